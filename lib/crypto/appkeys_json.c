/* Reading and writing the app keys JSON. */
#include "crypto/appkeys.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"
#include "util/json.h"
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

/* ---- writing: a jansson document in upstream's field order, dumped as
 * serde_json does; jansson wipes what it frees (ds_json_wipe_on_free) ---- */

static int set_str(json_t *obj, const char *name, const char *value)
{
	return json_object_set_new(obj, name, json_string(value));
}

static int set_hex(json_t *obj, const char *name, const struct ds_buf *b)
{
	char *hex = ds_hex_alloc(b->data, b->len);
	int bad = !hex || set_str(obj, name, hex);

	if (hex)
		OPENSSL_cleanse(hex, 2 * b->len);
	free(hex);
	return bad;
}

static json_t *provider_json(const struct ds_key_provider *kp)
{
	json_t *outer = json_object(), *inner = json_object();
	int bad = !outer || !inner;

	if (kp->kind == DS_KP_KMS)
		bad = bad || set_str(inner, "url", kp->url) || set_hex(inner, "pubkey", &kp->pubkey) ||
		      set_str(inner, "tmp_ca_key", kp->tmp_ca_key) ||
		      set_str(inner, "tmp_ca_cert", kp->tmp_ca_cert);
	else
		bad = bad || set_str(inner, "key", kp->key);
	if (kp->kind == DS_KP_LOCAL)
		bad = bad || set_hex(inner, "mr", &kp->mr);
	if (kp->kind == DS_KP_TPM)
		bad = bad || set_hex(inner, "pubkey", &kp->pubkey);
	if (bad) {
		json_decref(inner);
		json_decref(outer);
		return NULL;
	}
	/* set_new takes inner even when it fails. */
	if (json_object_set_new(outer, kp_tags[kp->kind], inner)) {
		json_decref(outer);
		return NULL;
	}
	return outer;
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

int ds_app_keys_serialize(const struct ds_app_keys *k, struct ds_buf *out)
{
	json_t *doc;
	char *text = NULL;
	int r;

	*out = (struct ds_buf){ 0 };
	if (!complete(k))
		return ds_err(-EINVAL, "incomplete app keys");
	ds_json_wipe_on_free();
	doc = json_object();
	if (!doc || set_hex(doc, "disk_crypt_key", &k->disk_crypt_key) ||
	    set_hex(doc, "env_crypt_key", &k->env_crypt_key) ||
	    set_hex(doc, "k256_key", &k->k256_key) ||
	    set_hex(doc, "k256_signature", &k->k256_signature) ||
	    set_str(doc, "gateway_app_id", k->gateway_app_id) || set_str(doc, "ca_cert", k->ca_cert) ||
	    json_object_set_new(doc, "key_provider", provider_json(&k->key_provider)))
		r = ds_err(-ENOMEM, "failed to build the app keys JSON");
	else
		r = ds_json_dump(doc, DS_JSON_COMPACT, &text);
	json_decref(doc);
	if (r == 0) {
		/* Hand jansson's string over as the buffer (it is malloc'd). */
		out->data = (uint8_t *)text;
		out->len = strlen(text);
	}
	return r;
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
