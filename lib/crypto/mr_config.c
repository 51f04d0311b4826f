#include "crypto/mr_config.h"
#include "crypto/keccak.h"
#include "crypto/ossl.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <string.h>

static const char v3_domain[] = "dstack-mr-config-v3:";

void ds_mr_config_v1(const uint8_t compose_hash[32], uint8_t out[DS_MR_CONFIG_ID_LEN])
{
	memset(out, 0, DS_MR_CONFIG_ID_LEN);
	out[0] = 1;
	memcpy(out + 1, compose_hash, 32);
}

void ds_mr_config_v2(const struct ds_mr_local *local, uint8_t out[DS_MR_CONFIG_ID_LEN])
{
	uint8_t kind = ds_key_provider_kind_byte(local->key_provider);
	struct ds_keccak k;

	memset(out, 0, DS_MR_CONFIG_ID_LEN);
	out[0] = 2;
	ds_keccak_init(&k, 32);
	ds_keccak_update(&k, local->compose_hash, 32);
	ds_keccak_update(&k, local->app_id, 20);
	ds_keccak_update(&k, &kind, 1);
	ds_keccak_update(&k, local->key_provider_id, local->key_provider_id_len);
	ds_keccak_final(&k, out + 1);
}

int ds_mr_config_v3_hash(const char *doc, size_t len, uint8_t out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int r = 0;

	/* sizeof includes the NUL, which is the 0x00 separator of the domain. */
	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(c, v3_domain, sizeof(v3_domain)) || !EVP_DigestUpdate(c, doc, len) ||
	    !EVP_DigestFinal_ex(c, out, NULL))
		r = ds_ossl_err(-EIO, "SHA-256 failed");
	EVP_MD_CTX_free(c);
	return r;
}

int ds_mr_config_v3(const char *doc, size_t len, uint8_t out[DS_MR_CONFIG_ID_LEN])
{
	memset(out, 0, DS_MR_CONFIG_ID_LEN);
	out[0] = 3;
	return ds_mr_config_v3_hash(doc, len, out + 1);
}

/* The parsed optional fields of a v3 document: a NULL data means absent. */
struct v3_doc {
	int version;
	enum ds_key_provider_kind key_provider;
	struct ds_buf compose_hash, app_id, gpu_policy_hash, key_provider_id, instance_id;
	struct ds_buf init_script_hashes;   /* concatenated 32-byte hashes */
};

static void v3_doc_free(struct v3_doc *d)
{
	ds_buf_free(&d->compose_hash);
	ds_buf_free(&d->app_id);
	ds_buf_free(&d->gpu_policy_hash);
	ds_buf_free(&d->key_provider_id);
	ds_buf_free(&d->instance_id);
	ds_buf_free(&d->init_script_hashes);
}

/* A hex string field; absent or null leaves out empty (data NULL). */
static int hex_field(json_t *obj, const char *name, struct ds_buf *out)
{
	json_t *v = json_object_get(obj, name);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ds_err(-EINVAL, "%s must be a hex string", name);
	if (ds_hex_decode(json_string_value(v), json_string_length(v), out))
		return ds_err_ctx(-EINVAL, "invalid hex in %s", name);
	return 0;
}

static int init_hashes_field(json_t *obj, struct ds_buf *out)
{
	json_t *v = json_object_get(obj, "init_script_hashes"), *item;
	size_t i;
	int r;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return ds_err(-EINVAL, "init_script_hashes must be an array");
	if (json_array_size(v) > DS_MR_CONFIG_MAX_INIT_SCRIPTS)
		return ds_err(-EINVAL, "init_script_hashes supports at most %d hashes",
			      DS_MR_CONFIG_MAX_INIT_SCRIPTS);
	r = ds_buf_alloc(out, 0);
	json_array_foreach(v, i, item) {
		uint8_t h[32];

		if (r)
			break;
		if (!json_is_string(item) || json_string_length(item) != 64 ||
		    ds_hex_decode_exact(json_string_value(item), h, 32))
			r = ds_err(-EINVAL, "each init_script_hash must be 32 bytes");
		else
			r = ds_buf_append(out, h, 32, 32 * DS_MR_CONFIG_MAX_INIT_SCRIPTS);
	}
	return r;
}

static int check_known_fields(json_t *obj)
{
	static const char *const known[] = { "version", "app_id", "compose_hash",
					     "gpu_policy_hash", "key_provider", "key_provider_id",
					     "instance_id", "init_script_hashes" };
	const char *name;
	json_t *v;

	json_object_foreach(obj, name, v) {
		size_t i = 0;

		while (i < sizeof(known) / sizeof(known[0]) && strcmp(name, known[i]))
			i++;
		if (i == sizeof(known) / sizeof(known[0]))
			return ds_err(-EINVAL, "unknown field `%s`", name);
	}
	return 0;
}

static int parse_fields(json_t *obj, struct v3_doc *d)
{
	json_t *version = json_object_get(obj, "version");
	json_t *kp = json_object_get(obj, "key_provider");
	int r = check_known_fields(obj);

	if (r)
		return r;
	d->version = 3;
	if (version) {
		if (!json_is_integer(version) || json_integer_value(version) < 0 ||
		    json_integer_value(version) > 255)
			return ds_err(-EINVAL, "version must be an integer from 0 to 255");
		d->version = (int)json_integer_value(version);
	}
	if (!json_is_string(json_object_get(obj, "compose_hash")))
		return ds_err(-EINVAL, "missing field `compose_hash`");
	if (!json_is_string(kp))
		return ds_err(-EINVAL, "missing field `key_provider`");
	r = ds_key_provider_kind_parse(json_string_value(kp), &d->key_provider);
	if (!r)
		r = hex_field(obj, "compose_hash", &d->compose_hash);
	if (!r)
		r = hex_field(obj, "app_id", &d->app_id);
	if (!r)
		r = hex_field(obj, "gpu_policy_hash", &d->gpu_policy_hash);
	if (!r)
		r = hex_field(obj, "key_provider_id", &d->key_provider_id);
	if (!r)
		r = hex_field(obj, "instance_id", &d->instance_id);
	if (!r)
		r = init_hashes_field(obj, &d->init_script_hashes);
	return r;
}

static int v3_parse(const char *doc, size_t len, struct v3_doc *d)
{
	json_error_t jerr;
	json_t *root;
	int r;

	memset(d, 0, sizeof(*d));
	root = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return ds_err(-EINVAL, "failed to parse mr_config document: %s", jerr.text);
	r = json_is_object(root) ? parse_fields(root, d)
				 : ds_err(-EINVAL, "mr_config document is not an object");
	json_decref(root);
	if (r)
		v3_doc_free(d);
	return r;
}

static int same(const struct ds_buf *declared, const void *local, size_t local_len)
{
	return declared->len == local_len && (!local_len || !memcmp(declared->data, local, local_len));
}

/* Upstream's order of comparisons; optional fields only when present. */
static int v3_compare(const struct v3_doc *d, const struct ds_mr_local *l)
{
	if (d->version != 3)
		return ds_err(-EINVAL, "mr_config version must be 3");
	if (!same(&d->compose_hash, l->compose_hash, 32))
		return ds_err(-EACCES, "Invalid mr_config compose_hash");
	if (d->gpu_policy_hash.data && !same(&d->gpu_policy_hash, l->gpu_policy_hash, 32))
		return ds_err(-EACCES, "Invalid mr_config gpu_policy_hash");
	if (d->init_script_hashes.data &&
	    !same(&d->init_script_hashes, l->init_script_hashes, 32 * l->init_script_hashes_len))
		return ds_err(-EACCES, "Invalid mr_config init_script_hashes");
	if (d->app_id.data && !same(&d->app_id, l->app_id, 20))
		return ds_err(-EACCES, "Invalid mr_config app_id");
	if (d->instance_id.data && !same(&d->instance_id, l->instance_id, l->instance_id_len))
		return ds_err(-EACCES, "Invalid mr_config instance_id");
	if (d->key_provider != l->key_provider)
		return ds_err(-EACCES, "Invalid mr_config key_provider");
	if (d->key_provider_id.data &&
	    !same(&d->key_provider_id, l->key_provider_id, l->key_provider_id_len))
		return ds_err(-EACCES, "Invalid mr_config key_provider_id");
	return 0;
}

int ds_mr_config_check_document(const char *doc, size_t len, const struct ds_mr_local *local)
{
	struct v3_doc d;
	int r = v3_parse(doc, len, &d);

	if (r)
		return ds_err_ctx(r, "Invalid mr_config document");
	r = v3_compare(&d, local);
	v3_doc_free(&d);
	return r;
}

int ds_mr_config_verify_tdx(const uint8_t id[DS_MR_CONFIG_ID_LEN], const char *doc,
			    size_t doc_len, const struct ds_mr_local *local)
{
	static const uint8_t zero[DS_MR_CONFIG_ID_LEN];
	uint8_t want[DS_MR_CONFIG_ID_LEN];
	int r;

	/* Upstream accepts an unset mr_config_id without checks (spec 9.1.9). */
	if (!memcmp(id, zero, DS_MR_CONFIG_ID_LEN))
		return 0;
	switch (id[0]) {
	case 1:
		ds_mr_config_v1(local->compose_hash, want);
		break;
	case 2:
		ds_mr_config_v2(local, want);
		break;
	case 3:
		if (!doc)
			return ds_err(-EINVAL, "mr_config is required for TDX MR_CONFIG_ID v3");
		r = ds_mr_config_check_document(doc, doc_len, local);
		if (r == 0)
			r = ds_mr_config_v3(doc, doc_len, want);
		if (r)
			return r;
		break;
	default:
		return ds_err(-EINVAL, "Invalid mr_config_id version");
	}
	if (memcmp(want, id, DS_MR_CONFIG_ID_LEN))
		return ds_err(-EACCES, "Invalid mr_config_id");
	return 0;
}
