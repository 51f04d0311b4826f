#include "setup/app_compose.h"
#include "setup/app_compose_fields.h"
#include "util/err.h"
#include "util/json.h"

#include <errno.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

static int parse_docker_config(const json_t *root, struct ds_docker_config *dc)
{
	json_t *obj;
	int r = ds_json_member(root, "docker_config", 0, &obj);

	if (r || !obj)
		return r;
	if (!json_is_object(obj))
		return ds_err(-EINVAL, "invalid type for field `docker_config`: expected an object");
	r = ds_json_string(obj, "registry", DS_JSON_NULLABLE, &dc->registry);
	if (!r)
		r = ds_json_string(obj, "username", DS_JSON_NULLABLE, &dc->username);
	if (!r)
		r = ds_json_string(obj, "token_key", DS_JSON_NULLABLE, &dc->token_key);
	return r;
}

static int parse_flags(const json_t *root, struct ds_app_compose *ac)
{
	int gateway = 0, tproxy = 0, r;

	r = ds_json_bool(root, "public_logs", 0, 0, &ac->public_logs);
	if (!r)
		r = ds_json_bool(root, "public_sysinfo", 0, 0, &ac->public_sysinfo);
	if (!r)
		r = ds_json_bool(root, "public_tcbinfo", 0, 1, &ac->public_tcbinfo);
	if (!r)
		r = ds_json_bool(root, "kms_enabled", 0, 0, &ac->kms_enabled);
	if (!r)
		r = ds_json_bool(root, "gateway_enabled", 0, 0, &gateway);
	if (!r)
		r = ds_json_bool(root, "tproxy_enabled", 0, 0, &tproxy);
	if (!r)
		r = ds_json_bool(root, "local_key_provider_enabled", 0, 0,
				 &ac->local_key_provider_enabled);
	if (!r)
		r = ds_json_bool(root, "no_instance_id", 0, 0, &ac->no_instance_id);
	if (!r)
		r = ds_json_bool(root, "secure_time", 0, 1, &ac->secure_time);
	ac->gateway_enabled = gateway || tproxy;
	return r;
}

static int parse_event_log_version(const json_t *root, int *out)
{
	uint64_t v = 1;
	int r = ds_json_uint(root, "event_log_version", 0, UINT64_MAX, &v);

	if (r == 0 && v != 1 && v != 2)
		r = ds_err(-EINVAL, "unknown event log version: %llu", (unsigned long long)v);
	*out = (int)v;
	return r;
}

static int parse_fields(const json_t *root, void *out)
{
	struct ds_app_compose *ac = out;
	int r;

	r = ds_compose_manifest_version(root, &ac->manifest_version);
	if (!r)
		r = ds_json_string(root, "name", DS_JSON_REQUIRED, &ac->name);
	if (!r)
		r = ds_json_string(root, "runner", DS_JSON_REQUIRED, &ac->runner);
	if (!r)
		r = ds_json_string_array(root, "features", 0, &ac->features, &ac->n_features);
	if (!r)
		r = parse_docker_config(root, &ac->docker_config);
	if (!r)
		r = parse_flags(root, ac);
	if (!r)
		r = ds_compose_key_provider(root, &ac->has_key_provider, &ac->key_provider);
	if (!r)
		r = ds_json_hex(root, "key_provider_id", 0, &ac->key_provider_id);
	if (!r)
		r = ds_json_string_array(root, "allowed_envs", 0, &ac->allowed_envs,
					 &ac->n_allowed_envs);
	if (!r)
		r = ds_compose_init_scripts(root, &ac->init_scripts, &ac->n_init_scripts);
	if (!r)
		r = ds_compose_storage_fs(root, &ac->storage_fs);
	if (!r)
		r = ds_compose_swap_size(root, &ac->swap_size);
	if (!r)
		r = parse_event_log_version(root, &ac->event_log_version);
	if (!r)
		r = ds_compose_snapshotter(root, &ac->has_snapshotter);
	if (!r)
		r = ds_requirements_parse(root, &ac->requirements);
	return r;
}

int ds_app_compose_parse(const void *data, size_t len, struct ds_app_compose *out)
{
	int r;

	*out = (struct ds_app_compose){ 0 };
	r = ds_json_read_object(data, len, DS_APP_COMPOSE_MAX, "app-compose", parse_fields, out);
	if (r)
		ds_app_compose_free(out);
	return r;
}

void ds_app_compose_free(struct ds_app_compose *ac)
{
	free(ac->name);
	free(ac->runner);
	ds_strv_free(ac->features);
	free(ac->docker_config.registry);
	free(ac->docker_config.username);
	free(ac->docker_config.token_key);
	ds_buf_free(&ac->key_provider_id);
	ds_strv_free(ac->allowed_envs);
	ds_strv_free(ac->init_scripts);
	ds_requirements_free(&ac->requirements);
	*ac = (struct ds_app_compose){ 0 };
}

enum ds_key_provider_kind ds_app_compose_key_provider(const struct ds_app_compose *ac)
{
	if (ac->has_key_provider)
		return ac->key_provider;
	if (ac->kms_enabled)
		return DS_KP_KMS;
	if (ac->local_key_provider_enabled)
		return DS_KP_LOCAL;
	return DS_KP_NONE;
}

int ds_app_compose_kms_enabled(const struct ds_app_compose *ac)
{
	return ac->kms_enabled || ds_strv_contains(ac->features, "kms");
}

int ds_app_compose_gateway_enabled(const struct ds_app_compose *ac)
{
	return ac->gateway_enabled || ds_strv_contains(ac->features, "tproxy-net");
}

void ds_compose_hash(const void *raw, size_t len, uint8_t out[DS_COMPOSE_HASH_LEN])
{
	SHA256(raw, len, out);
}
