/* GetKey (spec crypto-and-certs.md 6.2): a key derived from the app's
 * k256_key and a path, its public key, and the app signature that starts
 * the chain app key -> KMS root; plus verification of the whole chain. */
#ifndef DS_CRYPTO_GETKEY_H
#define DS_CRYPTO_GETKEY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/k256.h"

enum ds_key_algo { DS_KEY_SECP256K1, DS_KEY_ED25519 };

/* "secp256k1", "" and "k256" are secp256k1; "ed25519"; anything else fails
 * with "Unsupported algorithm". */
int ds_key_algo_parse(const char *name, enum ds_key_algo *out);

struct ds_getkey {
	uint8_t key[32];                /* derived secret: wipe after use */
	uint8_t pub[DS_K256_PUB_LEN];   /* compressed k256 (33) or Ed25519 (32) */
	size_t pub_len;
	uint8_t sig_app[DS_K256_RSIG_LEN];
};

/* The public key GetKey signs for a derived secret: compressed k256 (33
 * bytes) or the Ed25519 key of the secret as RFC 8032 seed (32). */
int ds_getkey_pubkey(enum ds_key_algo algo, const uint8_t key[32], uint8_t pub[DS_K256_PUB_LEN],
		     size_t *pub_len);
/* key = derive_key(k256_key, [path], 32); pub of key for algo; sig_app =
 * recoverable signature by k256_key over Keccak256(purpose ":" hex(pub)). */
int ds_getkey_derive(const uint8_t k256_key[DS_K256_SECRET_LEN], const char *path,
		     const char *purpose, enum ds_key_algo algo, struct ds_getkey *out);
/* Recovers the app's k256 public key from sig_app (chain step 1). */
int ds_getkey_recover_app_pub(const char *purpose, const uint8_t *pub, size_t pub_len,
			      const uint8_t *sig_app, size_t sig_app_len,
			      uint8_t app_pub[DS_K256_PUB_LEN]);
/* The whole chain: app key from sig_app, then the KMS key from kms_sig over
 * the app key; ok only when that KMS key equals the pinned kms_root
 * (-EKEYREJECTED otherwise). The app key goes to app_pub_out (may be NULL). */
int ds_getkey_verify_chain(const uint8_t *app_id, size_t app_id_len, const char *purpose,
			   const uint8_t *pub, size_t pub_len, const uint8_t *sig_app,
			   size_t sig_app_len, const uint8_t *kms_sig, size_t kms_sig_len,
			   const uint8_t kms_root[DS_K256_PUB_LEN],
			   uint8_t app_pub_out[DS_K256_PUB_LEN]);

#endif
