/* The app keys (spec system-setup.md 2.5-2.7, 4): from the KMS (failover
 * over kms_urls), the local SGX key provider through the host, or random
 * (none); then the checks that bind them to this app. */
#include "attest/quote.h"
#include "attest/runtime_emit.h"
#include "crypto/mr_config.h"
#include "kms/kms_client.h"
#include "setup/local_key.h"
#include "setup/setup_internal.h"
#include "tdx/tdx.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/log.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define SEED_LEN 32

static int keys_none(struct ds_app_keys *keys)
{
	uint8_t seed[SEED_LEN];
	int r;

	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		return ds_err(-EIO, "getrandom failed");
	r = ds_app_keys_from_seed(seed, sizeof(seed), DS_KP_NONE, NULL, 0, &ds_local_attester, keys);
	OPENSSL_cleanse(seed, sizeof(seed));
	return r;
}

/* One KMS; nothing is measured unless it answered with keys. */
static int keys_from_kms_url(const struct ds_setup *s, const char *base, struct ds_app_keys *keys)
{
	struct ds_kms_opts opts = {
		.vm_config = s->hs.sys_config.vm_config,
		.check_rpc_usage = 1,
		.att = &ds_local_attester,
	};
	struct ds_buf os_image_hash = { 0 };
	char *url;
	int r;

	if (asprintf(&url, "%s/prpc", base) < 0)
		return ds_err(-ENOMEM, "out of memory");
	ds_info("kms", "Requesting app keys from KMS: %s", url);
	r = ds_kms_get_app_keys(url, &opts, keys, &os_image_hash);
	if (r)
		ds_err_ctx(r, "Failed to get app keys from KMS %s", url);
	free(url);
	if (r)
		return r;
	r = ds_runtime_emit("os-image-hash", os_image_hash.data, os_image_hash.len);
	ds_buf_free(&os_image_hash);
	return r ? ds_err_ctx(r, "Failed to extend RTMR3 with os-image-hash") : 0;
}

static int keys_kms(const struct ds_setup *s, struct ds_app_keys *keys)
{
	const struct ds_sys_config *cfg = &s->hs.sys_config;
	char first[DS_ERR_MSG_LEN * 2] = "", msg[DS_ERR_MSG_LEN * 2];
	int r = -ENOENT, first_r = 0;

	if (!cfg->n_kms_urls)
		return ds_err(-EINVAL, "No KMS URLs are set");
	for (size_t i = 0; i < cfg->n_kms_urls; i++) {
		r = keys_from_kms_url(s, cfg->kms_urls[i], keys);
		if (r == 0)
			return 0;
		ds_err_format(msg, sizeof(msg));
		ds_warn("kms", "%s", msg);
		if (!first_r) {
			first_r = r;
			memcpy(first, msg, sizeof(first));
		}
	}
	ds_err(first_r, "%s", first);
	return ds_err_ctx(first_r, "Failed to get app keys from KMS");
}

static int request_keys(struct ds_setup *s)
{
	switch (s->kp) {
	case DS_KP_KMS:
		return keys_kms(s, &s->keys);
	case DS_KP_LOCAL:
		return ds_local_key_get(&s->api, &s->keys);
	case DS_KP_NONE:
		return keys_none(&s->keys);
	default:
		return ds_err(-ENOTSUP, "unsupported key provider %s",
			      ds_key_provider_event_name(s->kp));
	}
}

static int check_mr_config(const struct ds_setup *s)
{
	static const uint8_t zero[DS_TDX_REPORT_DATA_LEN];
	const struct ds_instance_info *info = &s->hs.instance_info;
	const char *doc = s->hs.sys_config.mr_config;
	struct ds_mr_local local = {
		.compose_hash = s->compose_hash,
		.app_id = info->app_id.data,
		.instance_id = info->instance_id.data,
		.instance_id_len = info->instance_id.len,
		.key_provider = s->keys.key_provider.kind,
		.gpu_policy_hash = s->hs.app_compose.requirements.gpu_policy_hash,
		.init_script_hashes = (const uint8_t(*)[32])s->init_script_hashes,
		.init_script_hashes_len = s->n_init_script_hashes,
	};
	const struct ds_td10 *td;
	struct ds_buf quote = { 0 };
	struct ds_quote q;
	int r;

	ds_app_keys_provider_id(&s->keys, &local.key_provider_id, &local.key_provider_id_len);
	r = ds_tdx_get_quote(zero, &quote);
	r = r ?: ds_quote_parse(quote.data, quote.len, &q);
	r = r ?: ds_quote_td_report(&q, &td);
	r = r ?: ds_mr_config_verify_tdx(td->mr_config_id, doc, doc ? strlen(doc) : 0, &local);
	ds_buf_free(&quote);
	return r ? ds_err_ctx(r, "Failed to verify mr_config_id") : 0;
}

static int check_provider_pin(const struct ds_setup *s)
{
	const struct ds_buf *pin = &s->hs.app_compose.key_provider_id;
	const uint8_t *id;
	char *got, *want;
	size_t len;
	int r;

	ds_app_keys_provider_id(&s->keys, &id, &len);
	if (!pin->len || (len == pin->len && !memcmp(id, pin->data, len)))
		return 0;
	got = ds_hex_alloc(id, len);
	want = ds_hex_alloc(pin->data, pin->len);
	r = ds_err(-EPERM, "Unexpected key provider id: %s, expected %s", got ? got : "?",
		   want ? want : "?");
	free(got);
	free(want);
	return r;
}

static int measure_provider(const struct ds_setup *s)
{
	struct ds_buf payload = { 0 };
	int r = ds_app_keys_provider_event(&s->keys, &payload);

	if (r == 0) {
		ds_info("keys", "Key provider info: %.*s", (int)payload.len, payload.data);
		r = ds_runtime_emit("key-provider", payload.data, payload.len);
	}
	ds_buf_free(&payload);
	return r ? ds_err_ctx(r, "Failed to extend RTMR3 with key-provider") : 0;
}

static int save_keys(const struct ds_setup *s)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", s->shared_dir, DS_APP_KEYS_NAME) >=
	    sizeof(path))
		return ds_err(-ENAMETOOLONG, "path too long");
	return ds_app_keys_save(path, &s->keys);
}

int ds_setup_app_keys(struct ds_setup *s)
{
	int r;

	ds_host_api_notify_quiet(&s->api, "boot.progress", "requesting app keys");
	r = request_keys(s);
	if (r == 0 && !s->keys.disk_crypt_key.len)
		r = ds_err(-EINVAL, "Failed to get valid key phrase from KMS");
	if (r)
		return ds_err_ctx(r, "Failed to get app keys");
	r = check_mr_config(s);
	r = r ?: check_provider_pin(s);
	r = r ?: measure_provider(s);
	r = r ?: save_keys(s);
	return r;
}
