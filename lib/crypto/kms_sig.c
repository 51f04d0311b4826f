#include "crypto/kms_sig.h"
#include "crypto/keccak.h"
#include "util/endian.h"
#include "util/err.h"

#include <errno.h>
#include <string.h>

static const char issued_tag[] = "dstack-kms-issued:";
static const char env_tag[] = "dstack-env-encrypt-pubkey:";

int ds_kms_app_key_signer(const uint8_t *app_id, size_t app_id_len,
			  const uint8_t app_pub[DS_K256_PUB_LEN], const uint8_t *sig, size_t sig_len,
			  uint8_t kms_pub[DS_K256_PUB_LEN])
{
	struct ds_keccak k;
	uint8_t digest[32];
	int r;

	ds_keccak_init(&k, sizeof(digest));
	ds_keccak_update(&k, issued_tag, sizeof(issued_tag) - 1);
	ds_keccak_update(&k, app_id, app_id_len);
	ds_keccak_update(&k, app_pub, DS_K256_PUB_LEN);
	ds_keccak_final(&k, digest);
	r = ds_k256_recover(digest, sig, sig_len, kms_pub);
	return r ? ds_err_ctx(r, "invalid KMS signature over the app key") : 0;
}

int ds_kms_env_pubkey_signer(const uint8_t *app_id, size_t app_id_len, const uint8_t pubkey[32],
			     const uint64_t *timestamp, const uint8_t *sig, size_t sig_len,
			     uint8_t kms_pub[DS_K256_PUB_LEN])
{
	struct ds_keccak k;
	uint8_t digest[32], ts[8];
	int r;

	ds_keccak_init(&k, sizeof(digest));
	ds_keccak_update(&k, env_tag, sizeof(env_tag) - 1);
	ds_keccak_update(&k, app_id, app_id_len);
	if (timestamp) {
		ds_put_be32(ts, (uint32_t)(*timestamp >> 32));
		ds_put_be32(ts + 4, (uint32_t)*timestamp);
		ds_keccak_update(&k, ts, sizeof(ts));
	}
	ds_keccak_update(&k, pubkey, 32);
	ds_keccak_final(&k, digest);
	r = ds_k256_recover(digest, sig, sig_len, kms_pub);
	return r ? ds_err_ctx(r, "invalid KMS signature over the env encryption key") : 0;
}

int ds_kms_env_pubkey_verify(const uint8_t *app_id, size_t app_id_len, const uint8_t pubkey[32],
			     const uint64_t *timestamp, const uint8_t *sig, size_t sig_len,
			     uint64_t now, uint64_t max_age,
			     const uint8_t trusted_kms_pub[DS_K256_PUB_LEN])
{
	uint8_t signer[DS_K256_PUB_LEN];
	int r;

	if (timestamp) {
		if (*timestamp > now + 60)
			return ds_err(-EACCES, "env encryption key timestamp is in the future");
		if (now > *timestamp && now - *timestamp > max_age)
			return ds_err(-EACCES, "env encryption key signature expired (older than %llu s)",
				      (unsigned long long)max_age);
	}
	r = ds_kms_env_pubkey_signer(app_id, app_id_len, pubkey, timestamp, sig, sig_len, signer);
	if (r)
		return r;
	if (memcmp(signer, trusted_kms_pub, DS_K256_PUB_LEN) != 0)
		return ds_err(-EACCES, "env encryption key is not signed by the trusted KMS");
	return 0;
}
