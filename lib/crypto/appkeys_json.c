/* Reading and writing the app keys JSON. */
#include "crypto/appkeys.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"
#include "util/json_str.h"
#include "util/json_wipe.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void str_wipe(char **s)
{
	if (*s)
		OPENSSL_cleanse(*s, strlen(*s));
	free(*s);
	*s = NULL;
}

void ds_app_keys_free(struct ds_app_keys *k)
{
	struct ds_key_provider *kp = &k->key_provider;

	ds_buf_wipe(&k->disk_crypt_key);
	ds_buf_wipe(&k->env_crypt_key);
	ds_buf_wipe(&k->k256_key);
	ds_buf_free(&k->k256_signature);
	str_wipe(&k->gateway_app_id);
	str_wipe(&k->ca_cert);
	str_wipe(&kp->key);
	ds_buf_free(&kp->mr);
	ds_buf_free(&kp->pubkey);
	str_wipe(&kp->url);
	str_wipe(&kp->tmp_ca_key);
	str_wipe(&kp->tmp_ca_cert);
	kp->kind = DS_KP_NONE;
}

void ds_app_keys_provider_id(const struct ds_app_keys *k, const uint8_t **id, size_t *len)
{
	const struct ds_buf *b = k->key_provider.kind == DS_KP_KMS     ? &k->key_provider.pubkey
				 : k->key_provider.kind == DS_KP_LOCAL ? &k->key_provider.mr
								       : NULL;

	*id = b ? b->data : NULL;
	*len = b ? b->len : 0;
}

int ds_app_keys_provider_event(const struct ds_app_keys *k, struct ds_buf *out)
{
	const char *name = ds_key_provider_event_name(k->key_provider.kind);
	const uint8_t *id;
	size_t id_len;
	int r;

	ds_app_keys_provider_id(k, &id, &id_len);
	r = ds_buf_alloc(out, strlen(name) + 2 * id_len + 20);
	if (r == 0) {
		char *p = (char *)out->data;

		p += sprintf(p, "{\"name\":\"%s\",\"id\":\"", name);
		ds_hex_encode(id, id_len, p);
		p += 2 * id_len;
		p += sprintf(p, "\"}");
		out->len = (size_t)(p - (char *)out->data);
	}
	return r;
}

/* ---- parsing ---- */

static int get_string(json_t *obj, const char *name, char **out)
{
	json_t *v = json_object_get(obj, name);

	if (!v)
		return ds_err(-EINVAL, "missing field `%s`", name);
	if (!json_is_string(v))
		return ds_err(-EINVAL, "field `%s` must be a string", name);
	*out = strdup(json_string_value(v));
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

/* A hex field; allowed lists the accepted byte lengths (ends with -1).
 * optional: a missing field is empty (serde default). */
static int get_hex(json_t *obj, const char *name, int optional, const int *allowed,
		   struct ds_buf *out)
{
	json_t *v = json_object_get(obj, name);
	int r;

	if (!v && optional)
		return ds_buf_alloc(out, 0);
	if (!v)
		return ds_err(-EINVAL, "missing field `%s`", name);
	if (!json_is_string(v))
		return ds_err(-EINVAL, "field `%s` must be a hex string", name);
	r = ds_hex_decode(json_string_value(v), json_string_length(v), out);
	if (r)
		return ds_err_ctx(r, "invalid hex in field `%s`", name);
	for (; allowed && *allowed >= 0; allowed++)
		if (out->len == (size_t)*allowed)
			return 0;
	if (!allowed)
		return 0;
	r = ds_err(-EINVAL, "field `%s` has a wrong length (%zu bytes)", name, out->len);
	ds_buf_wipe(out);
	return r;
}

static const char *const kp_tags[] = {
	[DS_KP_NONE] = "None", [DS_KP_LOCAL] = "Local", [DS_KP_KMS] = "Kms", [DS_KP_TPM] = "Tpm",
};

static int parse_provider(json_t *obj, struct ds_key_provider *kp)
{
	const char *tag = NULL;
	json_t *inner = NULL;
	size_t i;
	int r;

	if (!json_is_object(obj) || json_object_size(obj) != 1)
		return ds_err(-EINVAL, "key_provider must be an object with exactly one variant");
	json_object_foreach(obj, tag, inner)
		break;
	for (i = 0; i < sizeof(kp_tags) / sizeof(kp_tags[0]) && strcmp(tag, kp_tags[i]); i++)
		;
	if (i == sizeof(kp_tags) / sizeof(kp_tags[0]))
		return ds_err(-EINVAL, "unknown key provider variant `%s`", tag);
	if (!json_is_object(inner))
		return ds_err(-EINVAL, "key provider `%s` must be an object", tag);
	kp->kind = (enum ds_key_provider_kind)i;
	switch (kp->kind) {
	case DS_KP_NONE:
		return get_string(inner, "key", &kp->key);
	case DS_KP_LOCAL:
		r = get_string(inner, "key", &kp->key);
		return r ? r : get_hex(inner, "mr", 0, NULL, &kp->mr);
	case DS_KP_TPM:
		r = get_string(inner, "key", &kp->key);
		return r ? r : get_hex(inner, "pubkey", 0, NULL, &kp->pubkey);
	case DS_KP_KMS:
		r = get_string(inner, "url", &kp->url);
		if (r == 0)
			r = get_hex(inner, "pubkey", 0, NULL, &kp->pubkey);
		if (r == 0)
			r = get_string(inner, "tmp_ca_key", &kp->tmp_ca_key);
		return r ? r : get_string(inner, "tmp_ca_cert", &kp->tmp_ca_cert);
	}
	return 0;
}

static int parse_fields(json_t *root, struct ds_app_keys *k)
{
	static const int len32[] = { 32, -1 }, len0_32[] = { 0, 32, -1 }, len0_65[] = { 0, 65, -1 };
	int r;

	if (!json_is_object(root))
		return ds_err(-EINVAL, "app keys must be a JSON object");
	r = get_hex(root, "disk_crypt_key", 0, len32, &k->disk_crypt_key);
	if (r == 0)
		r = get_hex(root, "env_crypt_key", 1, len0_32, &k->env_crypt_key);
	if (r == 0)
		r = get_hex(root, "k256_key", 0, len32, &k->k256_key);
	if (r == 0)
		r = get_hex(root, "k256_signature", 0, len0_65, &k->k256_signature);
	if (r == 0)
		r = get_string(root, "gateway_app_id", &k->gateway_app_id);
	if (r == 0)
		r = get_string(root, "ca_cert", &k->ca_cert);
	if (r == 0 && !json_object_get(root, "key_provider"))
		r = ds_err(-EINVAL, "missing field `key_provider`");
	if (r == 0)
		r = parse_provider(json_object_get(root, "key_provider"), &k->key_provider);
	return r;
}

int ds_app_keys_parse(const char *json, size_t len, struct ds_app_keys *out)
{
	json_error_t jerr;
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	ds_json_wipe_on_free();
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		ds_err(-EINVAL, "%s at line %d column %d", jerr.text, jerr.line, jerr.column);
		return ds_err_ctx(-EINVAL, "invalid app keys");
	}
	r = parse_fields(root, out);
	json_decref(root);
	if (r) {
		ds_app_keys_free(out);
		return ds_err_ctx(r, "invalid app keys");
	}
	return 0;
}

int ds_app_keys_load(const char *path, struct ds_app_keys *out)
{
	struct ds_buf text = { 0 };
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_read_file(path, DS_APP_KEYS_MAX, &text);
	if (r == 0)
		r = ds_app_keys_parse((const char *)text.data, text.len, out);
	ds_buf_wipe(&text);
	return r ? ds_err_ctx(r, "Failed to load app keys from %s", path) : 0;
}

/* ---- writing: measured first, then written into one allocation ---- */

struct writer {
	char *p;        /* NULL while measuring */
	size_t n;
};

static void put_raw(struct writer *w, const char *s)
{
	if (w->p)
		memcpy(w->p + w->n, s, strlen(s));
	w->n += strlen(s);
}

static void put_str(struct writer *w, const char *name, const char *value)
{
	put_raw(w, "\"");
	put_raw(w, name);
	put_raw(w, "\":");
	if (w->p)
		ds_json_str_put(w->p + w->n, value, strlen(value));
	w->n += ds_json_str_len(value, strlen(value));
}

static void put_hex(struct writer *w, const char *name, const struct ds_buf *b)
{
	put_raw(w, "\"");
	put_raw(w, name);
	put_raw(w, "\":\"");
	if (w->p) {
		ds_hex_encode(b->data, b->len, w->p + w->n);
		/* ds_hex_encode writes a NUL that the next put overwrites */
	}
	w->n += 2 * b->len;
	put_raw(w, "\"");
}

static void put_provider(struct writer *w, const struct ds_key_provider *kp)
{
	put_raw(w, "\"key_provider\":{\"");
	put_raw(w, kp_tags[kp->kind]);
	put_raw(w, "\":{");
	if (kp->kind == DS_KP_KMS) {
		put_str(w, "url", kp->url);
		put_raw(w, ",");
		put_hex(w, "pubkey", &kp->pubkey);
		put_raw(w, ",");
		put_str(w, "tmp_ca_key", kp->tmp_ca_key);
		put_raw(w, ",");
		put_str(w, "tmp_ca_cert", kp->tmp_ca_cert);
	} else {
		put_str(w, "key", kp->key);
	}
	if (kp->kind == DS_KP_LOCAL || kp->kind == DS_KP_TPM) {
		put_raw(w, ",");
		put_hex(w, kp->kind == DS_KP_LOCAL ? "mr" : "pubkey",
			kp->kind == DS_KP_LOCAL ? &kp->mr : &kp->pubkey);
	}
	put_raw(w, "}}");
}

static void put_keys(struct writer *w, const struct ds_app_keys *k)
{
	put_raw(w, "{");
	put_hex(w, "disk_crypt_key", &k->disk_crypt_key);
	put_raw(w, ",");
	put_hex(w, "env_crypt_key", &k->env_crypt_key);
	put_raw(w, ",");
	put_hex(w, "k256_key", &k->k256_key);
	put_raw(w, ",");
	put_hex(w, "k256_signature", &k->k256_signature);
	put_raw(w, ",");
	put_str(w, "gateway_app_id", k->gateway_app_id);
	put_raw(w, ",");
	put_str(w, "ca_cert", k->ca_cert);
	put_raw(w, ",");
	put_provider(w, &k->key_provider);
	put_raw(w, "}");
}

static int complete(const struct ds_app_keys *k)
{
	const struct ds_key_provider *kp = &k->key_provider;

	if (!k->gateway_app_id || !k->ca_cert)
		return 0;
	if (kp->kind == DS_KP_KMS)
		return kp->url && kp->tmp_ca_key && kp->tmp_ca_cert;
	return kp->key != NULL;
}

int ds_app_keys_serialize(const struct ds_app_keys *keys, struct ds_buf *out)
{
	struct writer w = { 0 };
	int r;

	*out = (struct ds_buf){ 0 };
	if (!complete(keys))
		return ds_err(-EINVAL, "incomplete app keys");
	put_keys(&w, keys);
	/* One spare byte for the NUL the hex encoder writes at the very end. */
	r = ds_buf_alloc(out, w.n + 1);
	if (r)
		return r;
	w = (struct writer){ (char *)out->data, 0 };
	put_keys(&w, keys);
	out->len = w.n;
	return 0;
}

int ds_app_keys_save(const char *path, const struct ds_app_keys *keys)
{
	struct ds_buf json;
	int r = ds_app_keys_serialize(keys, &json);

	if (r == 0)
		r = ds_write_file_atomic(path, json.data, json.len, 0600);
	ds_buf_wipe(&json);
	return r ? ds_err_ctx(r, "Failed to write app keys") : 0;
}
