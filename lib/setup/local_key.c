#include "attest/quote.h"
#include "crypto/sealbox.h"
#include "setup/local_key.h"
#include "tdx/tdx.h"
#include "util/err.h"
#include "util/log.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sodium.h>
#include <string.h>

/* SGX report body (384 bytes) offsets. */
#define SGX_ATTRIBUTES 48
#define SGX_MR_ENCLAVE 64
#define SGX_REPORT_DATA 320
#define SGX_BODY_LEN 384
#define SGX_ATTR_DEBUG 0x02
#define SEED_LEN 32

int ds_local_provider_quote_check(const uint8_t *quote, size_t len, const uint8_t *encrypted_key,
				  size_t key_len, uint8_t mr[DS_SGX_MR_LEN])
{
	uint8_t digest[SHA256_DIGEST_LENGTH];
	const uint8_t *body;
	struct ds_quote q;
	int r = ds_quote_parse(quote, len, &q);

	if (r)
		return ds_err_ctx(r, "Invalid provider quote");
	if (q.body_type != DS_QUOTE_BODY_SGX || q.body_offset + SGX_BODY_LEN > len)
		return ds_err(-EINVAL, "the key provider's quote is not an SGX quote");
	body = quote + q.body_offset;
	if (body[SGX_ATTRIBUTES] & SGX_ATTR_DEBUG)
		return ds_err(-EPERM, "the key provider runs in a debug enclave");
	SHA256(encrypted_key, key_len, digest);
	if (memcmp(body + SGX_REPORT_DATA, digest, sizeof(digest)))
		return ds_err(-EPERM, "the provider quote does not bind the sealed key");
	memcpy(mr, body + SGX_MR_ENCLAVE, DS_SGX_MR_LEN);
	/* Upstream verifies the quote with DCAP collateral from the PCCS; no
	 * verifier exists here, so say so loudly instead of silently trusting. */
	ds_warn("keys", "the local key provider's SGX quote signature and TCB are NOT verified "
			"(no DCAP verifier); pin key_provider_id to bind the provider");
	return 0;
}

/* X25519 pair, and a TD quote with report data pk || 32 zero bytes. */
static int quote_for_key(uint8_t pk[32], uint8_t sk[32], struct ds_buf *quote)
{
	uint8_t report_data[DS_TDX_REPORT_DATA_LEN] = { 0 };

	if (sodium_init() < 0)
		return ds_err(-EIO, "libsodium failed to initialise");
	crypto_box_keypair(pk, sk);
	memcpy(report_data, pk, 32);
	return ds_tdx_get_quote(report_data, quote);
}

int ds_local_key_get(const struct ds_host_api *api, struct ds_app_keys *out)
{
	struct ds_buf quote = { 0 }, sealed = { 0 }, pq = { 0 }, seed = { 0 };
	uint8_t pk[32], sk[32], mr[DS_SGX_MR_LEN];
	int r;

	r = quote_for_key(pk, sk, &quote);
	r = r ?: ds_host_api_get_sealing_key(api, quote.data, quote.len, &sealed, &pq);
	r = r ?: ds_local_provider_quote_check(pq.data, pq.len, sealed.data, sealed.len, mr);
	r = r ?: ds_sealbox_open(pk, sk, sealed.data, sealed.len, &seed);
	if (r == 0 && seed.len != SEED_LEN)
		r = ds_err(-EINVAL, "the sealed key is %zu bytes, expected %d", seed.len, SEED_LEN);
	r = r ?: ds_app_keys_from_seed(seed.data, seed.len, DS_KP_LOCAL, mr, sizeof(mr),
				       &ds_local_attester, out);
	OPENSSL_cleanse(sk, sizeof(sk));
	ds_buf_wipe(&seed);
	ds_buf_free(&quote);
	ds_buf_free(&sealed);
	ds_buf_free(&pq);
	return r ? ds_err_ctx(r, "Failed to get the sealing key from the local key provider") : 0;
}
