#include "crypto/sign.h"
#include "crypto/ossl.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

int ds_sign_algo_parse(const char *name, enum ds_sign_algo *out)
{
	if (!strcmp(name, "ed25519"))
		*out = DS_SIGN_ED25519;
	else if (!strcmp(name, "secp256k1") || !strcmp(name, "k256"))
		*out = DS_SIGN_SECP256K1;
	else if (!strcmp(name, "secp256k1_prehashed"))
		*out = DS_SIGN_SECP256K1_PREHASHED;
	else
		return ds_err(-EINVAL, "Unsupported algorithm");
	return 0;
}

const char *ds_sign_algo_name(enum ds_sign_algo algo)
{
	switch (algo) {
	case DS_SIGN_ED25519: return "ed25519";
	case DS_SIGN_SECP256K1: return "secp256k1";
	default: return "secp256k1_prehashed";
	}
}

int ds_sign_check_data(enum ds_sign_algo algo, size_t len, const char *what)
{
	if (algo == DS_SIGN_SECP256K1_PREHASHED && len != 32)
		return ds_err(-EINVAL, "Pre-hashed %s requires a 32-byte digest, but received %zu bytes",
			      what, len);
	return 0;
}

int ds_sign_key_derive(const uint8_t k256_key[DS_K256_SECRET_LEN], enum ds_sign_algo algo,
		       struct ds_getkey *out)
{
	return ds_getkey_derive(k256_key, DS_SIGN_KEY_PATH, DS_SIGN_KEY_PURPOSE,
				algo == DS_SIGN_ED25519 ? DS_KEY_ED25519 : DS_KEY_SECP256K1, out);
}

/* EVP's one-shot calls want a pointer even for no data. */
static const uint8_t *data_ptr(const uint8_t *data)
{
	static const uint8_t none[1];

	return data ? data : none;
}

static int ed25519_sign(const uint8_t seed[32], const uint8_t *data, size_t len,
			uint8_t sig[DS_SIGN_LEN])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t sig_len = DS_SIGN_LEN;
	int ok;

	ok = key && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
	     EVP_DigestSign(ctx, sig, &sig_len, data_ptr(data), len) == 1 && sig_len == DS_SIGN_LEN;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok ? 0 : ds_ossl_err(-EIO, "Ed25519 signing failed");
}

/* The curve check comes from libsodium, as OpenSSL has none for Ed25519
 * keys. It is stricter than "on the curve": keys of small order or outside
 * the prime-order subgroup are refused too; no honest signer has one. */
static int ed25519_verify(const uint8_t *pub, size_t pub_len, const uint8_t *data, size_t len,
			  const uint8_t sig[DS_SIGN_LEN])
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	int rc = -1;

	if (pub_len != 32)
		return ds_err(-EINVAL, "invalid public key: Ed25519 keys are 32 bytes, got %zu", pub_len);
	if (sodium_init() < 0)
		return ds_err(-EIO, "libsodium failed to initialise");
	if (crypto_core_ed25519_is_valid_point(pub) != 1)
		return ds_err(-EINVAL, "invalid public key: not a valid Ed25519 point");
	key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	ctx = EVP_MD_CTX_new();
	if (key && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1)
		rc = EVP_DigestVerify(ctx, sig, DS_SIGN_LEN, data_ptr(data), len);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	if (rc == 1)
		return 0;
	if (rc == 0) {
		ERR_clear_error();
		return ds_err(-EACCES, "Ed25519 signature verification failed");
	}
	return ds_ossl_err(-EIO, "Ed25519 verification failed to run");
}

/* The 32 bytes ECDSA signs: SHA-256(data), or data itself when prehashed. */
static int k256_digest(enum ds_sign_algo algo, const uint8_t *data, size_t len, const char *what,
		       uint8_t digest[32])
{
	int r = ds_sign_check_data(algo, len, what);

	if (r)
		return r;
	if (algo == DS_SIGN_SECP256K1_PREHASHED) {
		memcpy(digest, data, 32);
		return 0;
	}
	if (!EVP_Digest(data_ptr(data), len, digest, NULL, EVP_sha256(), NULL))
		return ds_ossl_err(-EIO, "SHA-256 failed");
	return 0;
}

int ds_sign(enum ds_sign_algo algo, const uint8_t key[32], const uint8_t *data, size_t len,
	    uint8_t sig[DS_SIGN_LEN])
{
	uint8_t digest[32];
	int r;

	if (algo == DS_SIGN_ED25519)
		return ed25519_sign(key, data, len, sig);
	r = k256_digest(algo, data, len, "signing", digest);
	return r ?: ds_k256_sign(key, digest, sig);
}

int ds_sign_verify(enum ds_sign_algo algo, const uint8_t *pub, size_t pub_len,
		   const uint8_t *data, size_t len, const uint8_t *sig, size_t sig_len)
{
	uint8_t digest[32];
	int r;

	if (sig_len != DS_SIGN_LEN)
		return ds_err(-EINVAL, "invalid signature: signatures are %d bytes, got %zu",
			      DS_SIGN_LEN, sig_len);
	if (algo == DS_SIGN_ED25519)
		return ed25519_verify(pub, pub_len, data, len, sig);
	r = k256_digest(algo, data, len, "verification", digest);
	return r ?: ds_k256_verify(pub, pub_len, digest, sig);
}
