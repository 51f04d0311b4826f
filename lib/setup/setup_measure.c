/* Measuring the app identity (spec system-setup.md 2.4, HEAD order). RTMR3
 * cannot be rolled back, so a boot is measured exactly once: a second run in
 * the same boot is refused instead of extending again. */
#include "attest/app_info.h"
#include "attest/local.h"
#include "attest/runtime_emit.h"
#include "attest/runtime_event.h"
#include "setup/gpu_gate.h"
#include "setup/setup_internal.h"
#include "util/err.h"
#include "util/log.h"

#include <errno.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static int check_fresh_boot(void)
{
	struct ds_event_list log = { 0 };
	char path[PATH_MAX];
	int r = ds_runtime_log_file(DS_RUNTIME_LOG_NAME, path, sizeof(path));

	r = r ?: ds_runtime_log_read(path, &log);
	if (r == 0 && log.len)
		r = ds_err(-EALREADY,
			   "this boot is already measured (%zu runtime events in %s, first \"%s\"); "
			   "RTMR3 cannot be rolled back: reboot the CVM to run setup again",
			   log.len, path, log.items[0].name);
	ds_event_list_free(&log);
	return r;
}

static int random_bytes(struct ds_buf *b, size_t len)
{
	int r = ds_buf_alloc(b, len);

	if (r == 0 && getrandom(b->data, len, 0) != (ssize_t)len)
		r = ds_err(-EIO, "getrandom failed");
	return r;
}

/* app id, seed and instance id as HEAD: an explicit app id is kept (the
 * parser made sure it is 20 bytes), the seed is fresh with provider none. */
static int derive_identity(struct ds_setup *s)
{
	struct ds_instance_info *info = &s->hs.instance_info;
	uint8_t digest[SHA256_DIGEST_LENGTH], pre[2 * DS_INSTANCE_FIELD_LEN];
	int r = 0;

	if (!info->app_id.len) {
		ds_buf_free(&info->app_id);
		r = ds_buf_set(&info->app_id, s->compose_hash, DS_APP_ID_LEN);
	}
	if (r == 0 && (s->kp == DS_KP_NONE || !info->instance_id_seed.len)) {
		ds_buf_free(&info->instance_id_seed);
		r = random_bytes(&info->instance_id_seed, DS_INSTANCE_FIELD_LEN);
	}
	if (r)
		return r;
	ds_buf_free(&info->instance_id);
	if (s->hs.app_compose.no_instance_id)
		return ds_buf_alloc(&info->instance_id, 0);
	/* both are exactly 20 bytes here (parser and the steps above) */
	memcpy(pre, info->instance_id_seed.data, DS_INSTANCE_FIELD_LEN);
	memcpy(pre + DS_INSTANCE_FIELD_LEN, info->app_id.data, DS_INSTANCE_FIELD_LEN);
	SHA256(pre, sizeof(pre), digest);
	return ds_buf_set(&info->instance_id, digest, DS_INSTANCE_FIELD_LEN);
}

/* sha256 of each init script. */
static int script_hashes(struct ds_setup *s)
{
	const struct ds_app_compose *ac = &s->hs.app_compose;

	if (!ac->n_init_scripts)
		return 0;
	s->init_script_hashes = calloc(ac->n_init_scripts, sizeof(*s->init_script_hashes));
	if (!s->init_script_hashes)
		return ds_err(-ENOMEM, "out of memory");
	for (size_t i = 0; i < ac->n_init_scripts; i++)
		SHA256((const uint8_t *)ac->init_scripts[i], strlen(ac->init_scripts[i]),
		       s->init_script_hashes[i]);
	s->n_init_script_hashes = ac->n_init_scripts;
	return 0;
}

static int emit(const char *name, const uint8_t *payload, size_t len)
{
	int r = ds_runtime_emit(name, payload, len);

	return r ? ds_err_ctx(r, "Failed to extend RTMR3 with %s", name) : 0;
}

static int gpu_gate(const struct ds_gpu_policy *policy)
{
	struct ds_gpu_inventory inv;
	int r = ds_gpu_inventory_at(DS_PCI_DEVICES_DIR, &inv);

	return r ?: ds_gpu_gate(policy, &inv);
}

static int emit_identity(const struct ds_setup *s)
{
	const struct ds_instance_info *info = &s->hs.instance_info;
	int r = emit("system-preparing", NULL, 0);

	r = r ?: emit("app-id", info->app_id.data, info->app_id.len);
	r = r ?: emit("compose-hash", s->compose_hash, sizeof(s->compose_hash));
	for (size_t i = 0; r == 0 && i < s->n_init_script_hashes; i++)
		r = emit("init-script-hash", s->init_script_hashes[i], 32);
	r = r ?: emit("gpu-policy-hash", s->hs.app_compose.requirements.gpu_policy_hash,
		      DS_GPU_POLICY_HASH_LEN);
	r = r ?: gpu_gate(&s->hs.app_compose.requirements.gpu_policy);
	r = r ?: emit("instance-id", info->instance_id.data, info->instance_id.len);
	r = r ?: emit("boot-mr-done", NULL, 0);
	return r;
}

int ds_setup_measure_app(struct ds_setup *s)
{
	int r = check_fresh_boot();

	ds_compose_hash(s->hs.app_compose_raw.data, s->hs.app_compose_raw.len, s->compose_hash);
	r = r ?: derive_identity(s);
	r = r ?: script_hashes(s);
	r = r ?: emit_identity(s);
	return r ? ds_err_ctx(r, "Failed to measure the app") : 0;
}

int ds_setup_print_app_info(void)
{
	static const uint8_t zero[DS_REPORT_DATA_LEN];
	struct ds_attestation att = { 0 };
	struct ds_app_info info = { 0 };
	char *json = NULL;
	int r = ds_attestation_local(zero, NULL, &att);

	r = r ?: ds_app_info_new(att.quote.data, att.quote.len, &att.runtime_events, att.config, 0,
				 &info);
	r = r ?: ds_app_info_new_json(&info, &json);
	if (r == 0) {
		printf("%s\n", json);
		fflush(stdout);
	}
	free(json);
	ds_app_info_free(&info);
	ds_attestation_free(&att);
	return r ? ds_err_ctx(r, "Failed to print the app info") : 0;
}
