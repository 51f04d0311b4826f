#include "crypto/envelope.h"
#include "crypto/ossl.h"
#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <string.h>

int ds_x25519_public(const uint8_t sk[DS_X25519_KEY_LEN], uint8_t pk[DS_X25519_KEY_LEN])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, DS_X25519_KEY_LEN);
	size_t len = DS_X25519_KEY_LEN;
	int r = 0;

	if (!key || !EVP_PKEY_get_raw_public_key(key, pk, &len))
		r = ds_ossl_err(-EIO, "failed to compute the X25519 public key");
	EVP_PKEY_free(key);
	return r;
}

/* X25519(sk, peer); an all-zero result (low-order peer point) is an error. */
static int x25519(const uint8_t sk[DS_X25519_KEY_LEN], const uint8_t peer[DS_X25519_KEY_LEN],
		  uint8_t shared[DS_X25519_KEY_LEN])
{
	static const uint8_t zero[DS_X25519_KEY_LEN];
	EVP_PKEY *own = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, DS_X25519_KEY_LEN);
	EVP_PKEY *their = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer,
						      DS_X25519_KEY_LEN);
	EVP_PKEY_CTX *ctx = own ? EVP_PKEY_CTX_new(own, NULL) : NULL;
	size_t len = DS_X25519_KEY_LEN;
	int r = 0;

	if (!ctx || !their)
		r = ds_ossl_err(-ENOMEM, "failed to set up X25519");
	else if (EVP_PKEY_derive_init(ctx) != 1 || EVP_PKEY_derive_set_peer(ctx, their) != 1 ||
		 EVP_PKEY_derive(ctx, shared, &len) != 1 || len != DS_X25519_KEY_LEN ||
		 CRYPTO_memcmp(shared, zero, DS_X25519_KEY_LEN) == 0) {
		/* OpenSSL itself refuses the all-zero result; say why plainly. */
		ERR_clear_error();
		r = ds_err(-EINVAL, "invalid X25519 shared secret");
	}
	if (r)
		OPENSSL_cleanse(shared, DS_X25519_KEY_LEN);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(their);
	EVP_PKEY_free(own);
	return r;
}

/* One AES-256-GCM pass, no AAD. Decrypting checks tag; encrypting fills it. */
static int aes_gcm(int encrypt, const uint8_t key[32], const uint8_t iv[DS_ENV_IV_LEN],
		   const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[DS_ENV_TAG_LEN])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0, r = 0;

	if (len > INT_MAX)
		r = ds_err(-EFBIG, "ciphertext too large");
	else if (!ctx || EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) != 1 ||
		 EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, DS_ENV_IV_LEN, NULL) != 1 ||
		 EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, encrypt) != 1 ||
		 (len && EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1) ||
		 (!encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, DS_ENV_TAG_LEN, tag) != 1))
		r = ds_ossl_err(-EIO, "AES-256-GCM setup failed");
	else if (EVP_CipherFinal_ex(ctx, out + n, &fin) != 1)
		r = ds_err(-EBADMSG, "Decryption failed: authentication tag mismatch");
	else if (encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, DS_ENV_TAG_LEN, tag) != 1)
		r = ds_ossl_err(-EIO, "AES-256-GCM tag output failed");
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

int ds_env_decrypt(const uint8_t sk[DS_X25519_KEY_LEN], const uint8_t *envelope, size_t len,
		   struct ds_buf *plain)
{
	uint8_t shared[DS_X25519_KEY_LEN], tag[DS_ENV_TAG_LEN];
	size_t body;
	int r;

	*plain = (struct ds_buf){ 0 };
	if (len < DS_X25519_KEY_LEN)
		return ds_err(-EINVAL, "Invalid ephemeral public key length");
	if (len < DS_ENV_HEADER_LEN)
		return ds_err(-EINVAL, "Invalid IV length");
	if (len < DS_ENV_MIN_LEN)
		return ds_err(-EINVAL, "Invalid ciphertext length");
	r = x25519(sk, envelope, shared);
	if (r)
		return r;
	body = len - DS_ENV_MIN_LEN;
	memcpy(tag, envelope + len - DS_ENV_TAG_LEN, DS_ENV_TAG_LEN);
	r = ds_buf_alloc(plain, body);
	if (r == 0)
		r = aes_gcm(0, shared, envelope + DS_X25519_KEY_LEN, envelope + DS_ENV_HEADER_LEN,
			    body, plain->data, tag);
	if (r)
		ds_buf_wipe(plain);
	OPENSSL_cleanse(shared, sizeof(shared));
	return r;
}

int ds_env_encrypt(const uint8_t recipient_pk[DS_X25519_KEY_LEN],
		   const uint8_t eph_sk[DS_X25519_KEY_LEN], const uint8_t iv[DS_ENV_IV_LEN],
		   const uint8_t *plain, size_t len, struct ds_buf *envelope)
{
	uint8_t shared[DS_X25519_KEY_LEN];
	int r;

	*envelope = (struct ds_buf){ 0 };
	if (len > SIZE_MAX - DS_ENV_MIN_LEN)
		return ds_err(-EFBIG, "plaintext too large");
	r = x25519(eph_sk, recipient_pk, shared);
	if (r == 0)
		r = ds_buf_alloc(envelope, len + DS_ENV_MIN_LEN);
	if (r == 0)
		r = ds_x25519_public(eph_sk, envelope->data);
	if (r == 0) {
		memcpy(envelope->data + DS_X25519_KEY_LEN, iv, DS_ENV_IV_LEN);
		r = aes_gcm(1, shared, iv, plain, len, envelope->data + DS_ENV_HEADER_LEN,
			    envelope->data + DS_ENV_HEADER_LEN + len);
	}
	if (r)
		ds_buf_free(envelope);
	OPENSSL_cleanse(shared, sizeof(shared));
	return r;
}
