/* P-256 keys (spec crypto-and-certs.md 1.2-1.4): deterministic key pairs from
 * bytes, their canonical PKCS#8 encoding, and derive_dh_secret. Keys are
 * OpenSSL EVP_PKEYs; callers free them with EVP_PKEY_free. */
#ifndef DS_CRYPTO_P256_H
#define DS_CRYPTO_P256_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/kdf.h"
#include "util/buf.h"

#define DS_P256_SCALAR_LEN 32
#define DS_P256_POINT_LEN 65    /* 04 || X || Y */
#define DS_P256_SPKI_LEN 91     /* SubjectPublicKeyInfo DER */
#define DS_P256_PKCS8_LEN 138   /* PrivateKeyInfo DER (1.2) */

/* Key pair of the big-endian scalar d; fails unless 0 < d < n. */
int ds_p256_from_scalar(const uint8_t d[DS_P256_SCALAR_LEN], EVP_PKEY **out);
/* derive_p256_key_pair_from_bytes: scalar = derive_key(sk, context, 32),
 * no reduction and no retry. */
int ds_p256_derive_from_bytes(const uint8_t *sk, size_t sk_len, const struct ds_slice *context,
			      size_t n, EVP_PKEY **out);
/* derive_p256_key_pair: as above with the private scalar of from. */
int ds_p256_derive_from_key(EVP_PKEY *from, const struct ds_slice *context, size_t n,
			    EVP_PKEY **out);
/* derive_dh_secret: SHA256 of the PKCS#8 DER of derive_p256_key_pair. */
int ds_p256_dh_secret(EVP_PKEY *from, const struct ds_slice *context, size_t n,
		      uint8_t out[32]);
/* A fresh random key pair from OpenSSL's CSPRNG. */
int ds_p256_generate(EVP_PKEY **out);

/* The private scalar, big-endian, left-padded (a secret: wipe it). */
int ds_p256_scalar(EVP_PKEY *key, uint8_t d[DS_P256_SCALAR_LEN]);
/* The 138-byte PKCS#8 PrivateKeyInfo (a secret: release with ds_buf_wipe). */
int ds_p256_pkcs8_der(EVP_PKEY *key, struct ds_buf *out);
/* The PKCS#8 PEM ("BEGIN PRIVATE KEY"), NUL-terminated text in out (len
 * excludes the NUL; a secret: release with ds_buf_wipe). */
int ds_p256_pkcs8_pem(EVP_PKEY *key, struct ds_buf *out);
/* The 91-byte SubjectPublicKeyInfo DER and the raw uncompressed point. */
int ds_p256_spki_der(EVP_PKEY *key, uint8_t out[DS_P256_SPKI_LEN]);
int ds_p256_public_point(EVP_PKEY *key, uint8_t out[DS_P256_POINT_LEN]);
/* Parses a PEM private key (PKCS#8 or SEC1) and requires a P-256 key pair. */
int ds_p256_from_pem(const char *pem, size_t len, EVP_PKEY **out);
/* Whether key is a P-256 key (public or key pair). */
int ds_p256_is_p256(EVP_PKEY *key);

#endif
