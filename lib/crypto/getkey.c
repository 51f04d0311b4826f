#include "crypto/getkey.h"
#include "crypto/kdf.h"
#include "crypto/keccak.h"
#include "crypto/kms_sig.h"
#include "crypto/ossl.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

int ds_key_algo_parse(const char *name, enum ds_key_algo *out)
{
	if (!strcmp(name, "") || !strcmp(name, "secp256k1") || !strcmp(name, "k256"))
		*out = DS_KEY_SECP256K1;
	else if (!strcmp(name, "ed25519"))
		*out = DS_KEY_ED25519;
	else
		return ds_err(-EINVAL, "Unsupported algorithm");
	return 0;
}

static int ed25519_pub(const uint8_t seed[32], uint8_t pub[32])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	size_t len = 32;
	int r = 0;

	if (!key || !EVP_PKEY_get_raw_public_key(key, pub, &len) || len != 32)
		r = ds_ossl_err(-EIO, "failed to compute the Ed25519 public key");
	EVP_PKEY_free(key);
	return r;
}

/* Keccak256(purpose ":" hex(pub)): the message the app key signs. */
static void app_message_digest(const char *purpose, const uint8_t *pub, size_t pub_len,
			       uint8_t digest[32])
{
	char hex[2 * DS_K256_PUB_LEN + 1];
	struct ds_keccak k;

	ds_hex_encode(pub, pub_len, hex);
	ds_keccak_init(&k, 32);
	ds_keccak_update(&k, purpose, strlen(purpose));
	ds_keccak_update(&k, ":", 1);
	ds_keccak_update(&k, hex, 2 * pub_len);
	ds_keccak_final(&k, digest);
}

int ds_getkey_pubkey(enum ds_key_algo algo, const uint8_t key[32], uint8_t pub[DS_K256_PUB_LEN],
		     size_t *pub_len)
{
	if (algo == DS_KEY_ED25519) {
		*pub_len = 32;
		return ed25519_pub(key, pub);
	}
	*pub_len = DS_K256_PUB_LEN;
	return ds_k256_pubkey(key, pub);
}

int ds_getkey_derive(const uint8_t k256_key[DS_K256_SECRET_LEN], const char *path,
		     const char *purpose, enum ds_key_algo algo, struct ds_getkey *out)
{
	struct ds_slice ctx[] = { DS_SLICE_STR(path) };
	uint8_t digest[32];
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_derive_key(k256_key, DS_K256_SECRET_LEN, ctx, 1, out->key, sizeof(out->key));
	if (r == 0)
		r = ds_getkey_pubkey(algo, out->key, out->pub, &out->pub_len);
	if (r)
		goto fail;
	app_message_digest(purpose, out->pub, out->pub_len, digest);
	r = ds_k256_sign_recoverable(k256_key, digest, out->sig_app);
	if (r == 0)
		return 0;
fail:
	OPENSSL_cleanse(out, sizeof(*out));
	return ds_err_ctx(r, "failed to derive key");
}

int ds_getkey_recover_app_pub(const char *purpose, const uint8_t *pub, size_t pub_len,
			      const uint8_t *sig_app, size_t sig_app_len,
			      uint8_t app_pub[DS_K256_PUB_LEN])
{
	uint8_t digest[32];
	int r;

	if (pub_len != 32 && pub_len != DS_K256_PUB_LEN)
		return ds_err(-EINVAL, "derived public key must be 32 or 33 bytes, got %zu", pub_len);
	app_message_digest(purpose, pub, pub_len, digest);
	r = ds_k256_recover(digest, sig_app, sig_app_len, app_pub);
	return r ? ds_err_ctx(r, "invalid app signature over the derived key") : 0;
}

int ds_getkey_verify_chain(const uint8_t *app_id, size_t app_id_len, const char *purpose,
			   const uint8_t *pub, size_t pub_len, const uint8_t *sig_app,
			   size_t sig_app_len, const uint8_t *kms_sig, size_t kms_sig_len,
			   const uint8_t kms_root[DS_K256_PUB_LEN],
			   uint8_t app_pub_out[DS_K256_PUB_LEN])
{
	uint8_t app_pub[DS_K256_PUB_LEN], kms_pub[DS_K256_PUB_LEN];
	int r;

	r = ds_getkey_recover_app_pub(purpose, pub, pub_len, sig_app, sig_app_len, app_pub);
	if (r == 0)
		r = ds_kms_app_key_signer(app_id, app_id_len, app_pub, kms_sig, kms_sig_len, kms_pub);
	if (r)
		return ds_err_ctx(r, "signature chain verification failed");
	if (CRYPTO_memcmp(kms_pub, kms_root, DS_K256_PUB_LEN) != 0)
		return ds_err(-EKEYREJECTED, "signature chain does not lead to the trusted KMS root key");
	if (app_pub_out)
		memcpy(app_pub_out, app_pub, DS_K256_PUB_LEN);
	return 0;
}
