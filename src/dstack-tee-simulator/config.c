#include "sim.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#define CONFIG_MAX (1u << 20)

/* vm_config may carry a tdx_measurement document, from which upstream
 * computes MRTD and RTMR0-2 with dstack-mr. That calculation is not
 * implemented here: refuse instead of serving different measurements. */
static int check_vm_config(json_t *vm_config)
{
	json_t *doc;

	if (!vm_config)
		return 0;
	if (!json_is_string(vm_config))
		return ds_err(-EINVAL, "vm_config must be a JSON string");
	doc = json_loads(json_string_value(vm_config), 0, NULL);
	if (json_is_object(doc) && json_object_get(doc, "tdx_measurement")) {
		json_decref(doc);
		return ds_err(-EOPNOTSUPP, "vm_config.tdx_measurement is not supported by this "
			      "simulator (its MRTD is 0x11 repeated, its RTMRs replay the CCEL)");
	}
	json_decref(doc);
	return 0;
}

static int parse(json_t *root, struct sim_config *cfg)
{
	json_t *seed = json_object_get(root, "mock_attestation_seed");
	json_t *platform = json_object_get(root, "platform");
	struct ds_buf bytes = { 0 };
	int r;

	if (!json_is_object(root))
		return ds_err(-EINVAL, "the config is not a JSON object");
	if (platform && (!json_is_string(platform) ||
			 strcmp(json_string_value(platform), "dstack-tdx") != 0))
		return ds_err(-EOPNOTSUPP, "unsupported platform (only dstack-tdx is simulated)");
	if (!json_is_string(seed))
		return ds_err(-EINVAL, "mock_attestation_seed is required (64 hex characters)");
	r = ds_hex_decode(json_string_value(seed), json_string_length(seed), &bytes);
	if (r)
		return ds_err_ctx(r, "mock attestation seed must be hex");
	if (bytes.len != SIM_SEED_LEN)
		r = ds_err(-EINVAL, "mock attestation seed must be 32 bytes");
	else
		memcpy(cfg->seed, bytes.data, SIM_SEED_LEN);
	ds_buf_wipe(&bytes);
	return r ?: check_vm_config(json_object_get(root, "vm_config"));
}

int sim_config_load(const char *path, struct sim_config *cfg)
{
	struct ds_buf text = { 0 };
	json_error_t jerr;
	json_t *root;
	int r = ds_read_file(path, CONFIG_MAX, &text);

	if (r)
		return ds_err_ctx(r, "failed to read %s", path);
	root = json_loadb((const char *)text.data, text.len, JSON_REJECT_DUPLICATES, &jerr);
	ds_buf_wipe(&text);
	if (!root)
		return ds_err(-EINVAL, "failed to parse %s: %s", path, jerr.text);
	r = parse(root, cfg);
	json_decref(root);
	return r ? ds_err_ctx(r, "failed to load %s", path) : 0;
}
