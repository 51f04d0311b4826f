/* Making app keys locally: from a seed (providers None, Local, Tpm) and at
 * random (gen-app-keys). */
#include "crypto/appkeys.h"
#include "crypto/k256.h"
#include "crypto/kdf.h"
#include "crypto/ossl.h"
#include "crypto/p256.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* The PEM text of key as a malloc'd string (a secret). */
static int key_pem_string(EVP_PKEY *key, char **out)
{
	struct ds_buf pem = { 0 };
	int r = ds_p256_pkcs8_pem(key, &pem);

	/* ds_p256_pkcs8_pem NUL-terminates; hand the buffer over as a string. */
	*out = r ? NULL : (char *)pem.data;
	return r;
}

/* make_app_keys: everything but the provider-specific fields. */
static int make_app_keys(EVP_PKEY *app_key, EVP_PKEY *disk_key, const uint8_t k256[32],
			 uint8_t ca_level, const struct ds_attester *att, struct ds_app_keys *k)
{
	struct ds_buf der = { 0 }, cert = { 0 };
	int r;

	r = ds_p256_pkcs8_der(disk_key, &der);
	if (r == 0)
		r = ds_buf_alloc(&k->disk_crypt_key, 32);
	if (r == 0 && !EVP_Digest(der.data, der.len, k->disk_crypt_key.data, NULL, EVP_sha256(),
				  NULL))
		r = ds_ossl_err(-EIO, "SHA-256 failed");
	ds_buf_wipe(&der);
	if (r == 0)
		r = ds_buf_set(&k->k256_key, k256, 32);
	if (r == 0)
		r = ds_buf_alloc(&k->env_crypt_key, 0);
	if (r == 0)
		r = ds_buf_alloc(&k->k256_signature, 0);
	if (r == 0 && !(k->gateway_app_id = strdup("")))
		r = ds_err(-ENOMEM, "out of memory");
	if (r == 0)
		r = ds_app_root_cert(app_key, ca_level, att, &cert);
	k->ca_cert = (char *)cert.data;
	if (r == 0)
		r = key_pem_string(app_key, &k->key_provider.key);
	return r;
}

/* The common end of both generators: unless an earlier step failed (r),
 * make the app keys; then release the key material, and out on failure. */
static int finish(int r, EVP_PKEY *app_key, EVP_PKEY *disk_key, uint8_t k256[32],
		  uint8_t ca_level, const struct ds_attester *att, struct ds_app_keys *out)
{
	if (r == 0)
		r = make_app_keys(app_key, disk_key, k256, ca_level, att, out);
	OPENSSL_cleanse(k256, 32);
	EVP_PKEY_free(app_key);
	EVP_PKEY_free(disk_key);
	if (r)
		ds_app_keys_free(out);
	return r;
}

static int provider_fields(enum ds_key_provider_kind kind, EVP_PKEY *app_key, const uint8_t *mr,
			   size_t mr_len, struct ds_key_provider *kp)
{
	uint8_t spki[DS_P256_SPKI_LEN];
	int r;

	kp->kind = kind;
	switch (kind) {
	case DS_KP_NONE:
		return 0;
	case DS_KP_LOCAL:
		if (!mr)
			return ds_err(-EINVAL, "Missing MR for local key provider");
		return ds_buf_set(&kp->mr, mr, mr_len);
	case DS_KP_TPM:
		r = ds_p256_spki_der(app_key, spki);
		return r ? r : ds_buf_set(&kp->pubkey, spki, sizeof(spki));
	case DS_KP_KMS:
		break;
	}
	return ds_err(-EINVAL, "KMS keys must be fetched from the KMS server");
}

int ds_app_keys_from_seed(const uint8_t *seed, size_t seed_len, enum ds_key_provider_kind kind,
			  const uint8_t *mr, size_t mr_len, const struct ds_attester *att,
			  struct ds_app_keys *out)
{
	struct ds_slice app_ctx[] = { DS_SLICE_STR("app-key") };
	struct ds_slice disk_ctx[] = { DS_SLICE_STR("app-disk-key") };
	struct ds_slice k256_ctx[] = { DS_SLICE_STR("app-k256-key") };
	EVP_PKEY *app_key = NULL, *disk_key = NULL;
	uint8_t k256[32];
	int r;

	memset(out, 0, sizeof(*out));
	/* Every provider's seed is 32 secret bytes; anything else (an empty
	 * unsealed key, say) would give publicly computable keys. */
	if (!seed || seed_len != DS_APP_KEYS_SEED_LEN)
		return ds_err(-EINVAL, "app key seed must be %d bytes, got %zu", DS_APP_KEYS_SEED_LEN,
			      seed ? seed_len : 0);
	r = ds_p256_derive_from_bytes(seed, seed_len, app_ctx, 1, &app_key);
	if (r == 0)
		r = ds_p256_derive_from_bytes(seed, seed_len, disk_ctx, 1, &disk_key);
	if (r == 0)
		r = ds_derive_key(seed, seed_len, k256_ctx, 1, k256, sizeof(k256));
	if (r == 0)
		r = ds_k256_normalize_even_y(k256);
	if (r == 0)
		r = provider_fields(kind, app_key, mr, mr_len, &out->key_provider);
	return finish(r, app_key, disk_key, k256, 1, att, out);
}

int ds_app_keys_generate(uint8_t ca_level, const struct ds_attester *att,
			 struct ds_app_keys *out)
{
	EVP_PKEY *app_key = NULL, *disk_key = NULL;
	uint8_t k256[32];
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_p256_generate(&app_key);
	if (r == 0)
		r = ds_p256_generate(&disk_key);
	if (r == 0)
		r = ds_k256_generate_even_y(k256);
	return finish(r, app_key, disk_key, k256, ca_level, att, out);
}
