/* secp256k1 keys and ECDSA signatures (spec crypto-and-certs.md 1.5, 6.1)
 * through libsecp256k1: RFC 6979 nonces, low-S, compact r||s[||v] form. */
#ifndef DS_CRYPTO_K256_H
#define DS_CRYPTO_K256_H

#include <stddef.h>
#include <stdint.h>

#define DS_K256_SECRET_LEN 32
#define DS_K256_PUB_LEN 33      /* compressed SEC1: 02|03 || X */
#define DS_K256_SIG_LEN 64      /* r || s */
#define DS_K256_RSIG_LEN 65     /* r || s || v, v = recovery id 0..3 */

/* Compressed public key of the scalar sk; fails unless 0 < sk < n. */
int ds_k256_pubkey(const uint8_t sk[DS_K256_SECRET_LEN], uint8_t pub[DS_K256_PUB_LEN]);
/* dstack-util's app key rule (1.5a): sk must be in range; if its public key
 * has an odd Y, sk is replaced by n - sk so the key starts with 02. */
int ds_k256_normalize_even_y(uint8_t sk[DS_K256_SECRET_LEN]);
/* A uniformly random even-Y key, as gen-app-keys makes. */
int ds_k256_generate_even_y(uint8_t sk[DS_K256_SECRET_LEN]);

/* Recoverable signature over a 32-byte digest (low-S, RFC 6979). */
int ds_k256_sign_recoverable(const uint8_t sk[DS_K256_SECRET_LEN], const uint8_t digest[32],
			     uint8_t sig[DS_K256_RSIG_LEN]);
/* Recovers the signer's compressed key. The signature must be exactly 65
 * bytes with v in 0..3, r and s in [1, n-1] and s low, as k256 requires. */
int ds_k256_recover(const uint8_t digest[32], const uint8_t *sig, size_t sig_len,
		    uint8_t pub[DS_K256_PUB_LEN]);
/* Plain r||s signature over a 32-byte digest (low-S, RFC 6979). */
int ds_k256_sign(const uint8_t sk[DS_K256_SECRET_LEN], const uint8_t digest[32],
		 uint8_t sig[DS_K256_SIG_LEN]);
/* Verifies r||s against a SEC1 key (33 bytes 02|03 or 65 bytes 04): 0 when
 * valid; -EACCES for a well-formed signature that does not verify (high-S
 * included); -EINVAL for a key that is no such point, or r or s zero or
 * not below the group order. */
int ds_k256_verify(const uint8_t *pub, size_t pub_len, const uint8_t digest[32],
		   const uint8_t sig[DS_K256_SIG_LEN]);

#endif
