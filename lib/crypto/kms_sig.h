/* Signatures made by the KMS root k256 key (spec crypto-and-certs.md 1.9,
 * 4.7, 6.2): over an app's k256 public key ("dstack-kms-issued") and over
 * an app's env-encryption public key ("dstack-env-encrypt-pubkey"). Each
 * recovers the signer; callers compare it with a trusted KMS key. */
#ifndef DS_CRYPTO_KMS_SIG_H
#define DS_CRYPTO_KMS_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/k256.h"

/* Default freshness window for v1 env-key signatures, in seconds. */
#define DS_ENV_PUBKEY_MAX_AGE 300

/* Signer of Keccak256("dstack-kms-issued:" || app_id || app_pub). */
int ds_kms_app_key_signer(const uint8_t *app_id, size_t app_id_len,
			  const uint8_t app_pub[DS_K256_PUB_LEN], const uint8_t *sig, size_t sig_len,
			  uint8_t kms_pub[DS_K256_PUB_LEN]);
/* Signer of Keccak256("dstack-env-encrypt-pubkey:" || app_id [|| be64(ts)]
 * || pubkey): the legacy form when timestamp is NULL, v1 otherwise. */
int ds_kms_env_pubkey_signer(const uint8_t *app_id, size_t app_id_len, const uint8_t pubkey[32],
			     const uint64_t *timestamp, const uint8_t *sig, size_t sig_len,
			     uint8_t kms_pub[DS_K256_PUB_LEN]);
/* Checks an env-encryption public key against the trusted KMS key. With a
 * timestamp (v1) it must also be fresh: -60 <= now - ts <= max_age. */
int ds_kms_env_pubkey_verify(const uint8_t *app_id, size_t app_id_len, const uint8_t pubkey[32],
			     const uint64_t *timestamp, const uint8_t *sig, size_t sig_len,
			     uint64_t now, uint64_t max_age,
			     const uint8_t trusted_kms_pub[DS_K256_PUB_LEN]);

#endif
