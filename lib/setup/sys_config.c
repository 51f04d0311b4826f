#include "setup/sys_config.h"
#include "util/err.h"
#include "util/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* [HEAD] {"pccs":..,"amd_kds":..}: unknown members are rejected upstream. */
static int parse_collateral_urls(const json_t *root, char **pccs)
{
	static const char *const fields[] = { "pccs", "amd_kds", NULL };
	char *amd_kds = NULL;
	json_t *obj;
	int r = ds_json_member(root, "collateral_urls", DS_JSON_NULLABLE, &obj);

	*pccs = NULL;
	if (r || !obj)
		return r;
	if (!json_is_object(obj))
		return ds_err(-EINVAL, "invalid type for field `collateral_urls`: expected an object");
	r = ds_json_known_fields(obj, fields, "collateral_urls");
	r = r ?: ds_json_string(obj, "amd_kds", DS_JSON_NULLABLE, &amd_kds);
	free(amd_kds);
	return r ?: ds_json_string(obj, "pccs", DS_JSON_NULLABLE, pccs);
}

/* "tproxy_urls" is a serde alias: giving both names is a duplicate field. */
static int parse_gateway_urls(const json_t *root, struct ds_sys_config *cfg)
{
	int has_new = json_object_get(root, "gateway_urls") != NULL;
	int has_old = json_object_get(root, "tproxy_urls") != NULL;

	if (has_new && has_old)
		return ds_err(-EINVAL, "duplicate field `gateway_urls` (also given as `tproxy_urls`)");
	return ds_json_string_array(root, has_old ? "tproxy_urls" : "gateway_urls", 0,
				    &cfg->gateway_urls, &cfg->n_gateway_urls);
}

static int parse_fields(const json_t *root, void *out)
{
	struct ds_sys_config *cfg = out;
	char *legacy_pccs = NULL;
	int r;

	r = ds_json_string_array(root, "kms_urls", 0, &cfg->kms_urls, &cfg->n_kms_urls);
	if (!r)
		r = parse_gateway_urls(root, cfg);
	if (!r)
		r = ds_json_string(root, "docker_registry", DS_JSON_NULLABLE, &cfg->docker_registry);
	if (!r)
		r = ds_json_string(root, "host_api_url", DS_JSON_NULLABLE, &cfg->host_api_url);
	if (!r)
		r = ds_json_string(root, "vm_config", DS_JSON_REQUIRED, &cfg->vm_config);
	if (!r)
		r = ds_json_string(root, "mr_config", DS_JSON_NULLABLE, &cfg->mr_config);
	if (!r)
		r = ds_json_string(root, "nvidia_attestation_proxy_url", DS_JSON_NULLABLE,
				   &cfg->nvidia_attestation_proxy_url);
	if (!r)
		r = parse_collateral_urls(root, &cfg->pccs_url);
	if (!r)
		r = ds_json_string(root, "pccs_url", DS_JSON_NULLABLE, &legacy_pccs);
	if (r)
		return r;
	if (!cfg->pccs_url)
		cfg->pccs_url = legacy_pccs;
	else
		free(legacy_pccs);
	return 0;
}

int ds_sys_config_parse(const void *data, size_t len, struct ds_sys_config *out)
{
	int r;

	*out = (struct ds_sys_config){ 0 };
	r = ds_json_read_object(data, len, DS_SYS_CONFIG_MAX, "sys-config", parse_fields, out);
	if (r)
		ds_sys_config_free(out);
	return r;
}

void ds_sys_config_free(struct ds_sys_config *cfg)
{
	ds_strv_free(cfg->kms_urls);
	ds_strv_free(cfg->gateway_urls);
	free(cfg->pccs_url);
	free(cfg->docker_registry);
	free(cfg->host_api_url);
	free(cfg->vm_config);
	free(cfg->mr_config);
	free(cfg->nvidia_attestation_proxy_url);
	*cfg = (struct ds_sys_config){ 0 };
}
