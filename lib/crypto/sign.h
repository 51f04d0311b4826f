/* Sign and Verify of the guest agent (spec guest-agent-api.md 2.6, 2.7):
 * the app's signing key is GetKey's key for path "vms", purpose "signing";
 * Ed25519 signs the data itself, secp256k1 ECDSA its SHA-256, and
 * secp256k1_prehashed takes the data as the 32-byte digest. */
#ifndef DS_CRYPTO_SIGN_H
#define DS_CRYPTO_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/getkey.h"

#define DS_SIGN_LEN 64                  /* Ed25519, or secp256k1 r || s */
#define DS_SIGN_KEY_PATH "vms"
#define DS_SIGN_KEY_PURPOSE "signing"

enum ds_sign_algo { DS_SIGN_ED25519, DS_SIGN_SECP256K1, DS_SIGN_SECP256K1_PREHASHED };

/* "ed25519", "secp256k1" (also "k256") or "secp256k1_prehashed"; anything
 * else, "" included, fails with "Unsupported algorithm". */
int ds_sign_algo_parse(const char *name, enum ds_sign_algo *out);
/* The canonical name of algo, as sent to agents ("k256" is "secp256k1"). */
const char *ds_sign_algo_name(enum ds_sign_algo algo);
/* secp256k1_prehashed data must be the 32-byte digest itself: "Pre-hashed
 * <what> requires a 32-byte digest, but received <n> bytes". */
int ds_sign_check_data(enum ds_sign_algo algo, size_t len, const char *what);
/* The signing key, its public key and its chain signature: GetKey("vms",
 * "signing") for the algorithm's curve. Wipe out after use. */
int ds_sign_key_derive(const uint8_t k256_key[DS_K256_SECRET_LEN], enum ds_sign_algo algo,
		       struct ds_getkey *out);
/* Signs data with the 32-byte key of ds_sign_key_derive(); deterministic
 * (RFC 8032, or RFC 6979 with low-S). */
int ds_sign(enum ds_sign_algo algo, const uint8_t key[32], const uint8_t *data, size_t len,
	    uint8_t sig[DS_SIGN_LEN]);
/* 0 when sig is a valid signature of data by pub; -EACCES when it is a
 * well-formed signature that does not verify (a secp256k1 high-S one
 * included); -EINVAL for malformed input: a public key of the wrong length
 * or not a valid point, a signature not of 64 bytes or with r or s out of
 * range, a prehashed digest not of 32 bytes. */
int ds_sign_verify(enum ds_sign_algo algo, const uint8_t *pub, size_t pub_len,
		   const uint8_t *data, size_t len, const uint8_t *sig, size_t sig_len);

#endif
