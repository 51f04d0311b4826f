#include "crypto/env_vars.h"
#include "crypto/envelope.h"
#include "util/err.h"
#include "util/json_wipe.h"
#include "util/log.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

int ds_env_key_valid(const char *key, size_t len)
{
	if (len == 0 || !(key[0] == '_' || (key[0] >= 'a' && key[0] <= 'z') ||
			  (key[0] >= 'A' && key[0] <= 'Z')))
		return 0;
	for (size_t i = 1; i < len; i++) {
		char c = key[i];
		if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static int is_allowed(const struct ds_env_allowed *allowed, const char *key, size_t len)
{
	for (size_t i = 0; allowed && i < allowed->len; i++)
		if (strlen(allowed->names[i]) == len && memcmp(allowed->names[i], key, len) == 0)
			return 1;
	return 0;
}

static void var_wipe(struct ds_env_var *v)
{
	if (v->value)
		OPENSSL_cleanse(v->value, v->value_len);
	free(v->value);
	free(v->key);
	v->key = v->value = NULL;
}

void ds_env_map_free(struct ds_env_map *m)
{
	for (size_t i = 0; i < m->len; i++)
		var_wipe(&m->items[i]);
	free(m->items);
	m->items = NULL;
	m->len = 0;
}

/* Inserts in key order (the map has room for one more); a duplicate key
 * replaces the old value. Takes ownership of v. */
static void map_put(struct ds_env_map *m, struct ds_env_var *v)
{
	size_t lo = 0, hi = m->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->items[mid].key, v->key);

		if (c == 0) {
			var_wipe(&m->items[mid]);
			m->items[mid] = *v;
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&m->items[lo + 1], &m->items[lo], (m->len - lo) * sizeof(*v));
	m->items[lo] = *v;
	m->len++;
}

static char *dup_bytes(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* Upstream's per-entry checks; key names are not secret and may appear in
 * messages, values never do. */
static int check_entry(const char *key, size_t klen, size_t vlen, size_t *total)
{
	if (klen > DS_ENV_MAX_KEY_LEN)
		return ds_err(-EINVAL, "Environment variable name too long: %.*s", 64, key);
	if (vlen > DS_ENV_MAX_VALUE_LEN)
		return ds_err(-EINVAL, "Environment variable value too long for key: %s", key);
	if (!ds_env_key_valid(key, klen))
		return ds_err(-EINVAL, "Invalid env key: %.*s", (int)klen, key);
	*total += klen + vlen;
	if (*total > DS_ENV_MAX_TOTAL)
		return ds_err(-EINVAL, "Environment variables total size too large");
	return 0;
}

static int entry_strings(json_t *entry, json_t **key, json_t **value)
{
	*key = json_is_object(entry) ? json_object_get(entry, "key") : NULL;
	*value = json_is_object(entry) ? json_object_get(entry, "value") : NULL;
	if (!json_is_object(entry))
		return ds_err(-EINVAL, "env entry is not an object");
	if (!json_is_string(*key) || !json_is_string(*value))
		return ds_err(-EINVAL, "env entry needs string fields key and value");
	return 0;
}

static int parse_entries(json_t *env, const struct ds_env_allowed *allowed,
			 struct ds_env_map *out)
{
	size_t total = 0, i;
	json_t *entry;
	int r = 0;

	out->items = calloc(json_array_size(env) + 1, sizeof(*out->items));
	if (!out->items)
		return ds_err(-ENOMEM, "out of memory");
	json_array_foreach(env, i, entry) {
		struct ds_env_var v = { 0 };
		json_t *key, *value;
		const char *k;
		size_t klen;

		r = entry_strings(entry, &key, &value);
		if (r)
			break;
		k = json_string_value(key);
		klen = json_string_length(key);
		if (!is_allowed(allowed, k, klen)) {
			/* Names are not secret, but only well-formed ones are echoed. */
			if (ds_env_key_valid(k, klen) && klen <= DS_ENV_MAX_KEY_LEN)
				ds_warn("env", "Skipping unauthorized environment variable: %s", k);
			else
				ds_warn("env", "Skipping an unauthorized environment variable with an "
					"invalid name");
			continue;
		}
		r = check_entry(k, klen, json_string_length(value), &total);
		if (r)
			break;
		v.key = dup_bytes(k, klen);
		v.value_len = json_string_length(value);
		v.value = dup_bytes(json_string_value(value), v.value_len);
		if (!v.key || !v.value) {
			var_wipe(&v);
			r = ds_err(-ENOMEM, "out of memory");
			break;
		}
		map_put(out, &v);
	}
	return r;
}

int ds_env_parse(const uint8_t *json, size_t len, const struct ds_env_allowed *allowed,
		 struct ds_env_map *out)
{
	json_error_t jerr;
	json_t *root, *env;
	int r;

	*out = (struct ds_env_map){ 0 };
	ds_json_wipe_on_free();
	root = json_loadb((const char *)json, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root)
		return ds_err(-EINVAL, "Failed to parse env: %s at line %d column %d", jerr.text,
			      jerr.line, jerr.column);
	env = json_is_object(root) ? json_object_get(root, "env") : NULL;
	if (!json_is_array(env))
		r = ds_err(-EINVAL, "Failed to parse env: expected an object with an array field env");
	else if (json_array_size(env) > DS_ENV_MAX_ITEMS)
		r = ds_err(-EINVAL, "Too many environment variables: %zu", json_array_size(env));
	else
		r = parse_entries(env, allowed, out);
	json_decref(root);
	if (r)
		ds_env_map_free(out);
	return r;
}

int ds_env_unseal(const uint8_t *env_crypt_key, size_t key_len, const uint8_t *envelope,
		  size_t envelope_len, const struct ds_env_allowed *allowed,
		  struct ds_env_map *out)
{
	struct ds_buf plain = { 0 };
	int r;

	*out = (struct ds_env_map){ 0 };
	if (key_len == 0 || envelope_len == 0)
		return 0;
	if (key_len != DS_X25519_KEY_LEN)
		return ds_err(-EINVAL, "Invalid env crypt key length");
	r = ds_env_decrypt(env_crypt_key, envelope, envelope_len, &plain);
	if (r)
		return ds_err_ctx(r, "Failed to decrypt env file");
	r = ds_env_parse(plain.data, plain.len, allowed, out);
	ds_buf_wipe(&plain);
	return r;
}
