#include "crypto/csr.h"
#include "util/err.h"
#include "util/scale.h"

#include <errno.h>
#include <string.h>

#define CSR_CONFIRM "please sign cert:"
#define CSR_MAX (16u << 20)

static int put_option_u64(struct ds_buf *b, const uint64_t *v)
{
	uint8_t le[8];

	if (!v)
		return ds_scale_put_u8(b, 0, CSR_MAX);
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(*v >> (8 * i));
	return ds_scale_put_u8(b, 1, CSR_MAX) ?: ds_buf_append(b, le, sizeof(le), CSR_MAX);
}

static int put_config(struct ds_buf *b, const struct ds_csr_config *cfg)
{
	int r = ds_scale_put_u8(b, cfg->org_name ? 1 : 0, CSR_MAX);

	if (r == 0 && cfg->org_name)
		r = ds_scale_put_string(b, cfg->org_name, CSR_MAX);
	r = r ?: ds_scale_put_string(b, cfg->subject, CSR_MAX);
	r = r ?: ds_scale_put_compact(b, cfg->n_sans, CSR_MAX);
	for (size_t i = 0; r == 0 && i < cfg->n_sans; i++)
		r = ds_scale_put_string(b, cfg->sans[i], CSR_MAX);
	r = r ?: ds_scale_put_u8(b, cfg->usage_server_auth ? 1 : 0, CSR_MAX);
	r = r ?: ds_scale_put_u8(b, cfg->usage_client_auth ? 1 : 0, CSR_MAX);
	r = r ?: ds_scale_put_u8(b, cfg->ext_quote ? 1 : 0, CSR_MAX);
	r = r ?: ds_scale_put_u8(b, cfg->ext_app_info ? 1 : 0, CSR_MAX);
	r = r ?: put_option_u64(b, cfg->not_before);
	return r ?: put_option_u64(b, cfg->not_after);
}

int ds_csr_v2_encode(const uint8_t *pubkey, size_t pubkey_len, const struct ds_csr_config *cfg,
		     const uint8_t *attestation, size_t attestation_len, struct ds_buf *out)
{
	struct ds_buf b = { 0 };
	int r = ds_buf_alloc(&b, 0);

	r = r ?: ds_scale_put_string(&b, CSR_CONFIRM, CSR_MAX);
	r = r ?: ds_scale_put_bytes(&b, pubkey, pubkey_len, CSR_MAX);
	r = r ?: put_config(&b, cfg);
	r = r ?: ds_buf_append(&b, attestation, attestation_len, CSR_MAX);
	if (r) {
		ds_buf_free(&b);
		return ds_err_ctx(r, "Failed to encode the certificate signing request");
	}
	*out = b;
	return 0;
}

int ds_csr_sign(EVP_PKEY *key, const struct ds_buf *csr, struct ds_buf *signature)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t len = 0;
	int r = 0;

	*signature = (struct ds_buf){ 0 };
	if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, &len, csr->data, csr->len) != 1) {
		r = ds_err(-EIO, "failed to set up the CSR signature");
		goto out;
	}
	r = ds_buf_alloc(signature, len);
	if (r)
		goto out;
	if (EVP_DigestSign(ctx, signature->data, &len, csr->data, csr->len) != 1) {
		ds_buf_free(signature);
		r = ds_err(-EIO, "failed to sign the certificate signing request");
		goto out;
	}
	signature->len = len;
out:
	EVP_MD_CTX_free(ctx);
	return r;
}
