#include "crypto/kdf.h"
#include "util/buf.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

static const char kdf_salt[] = "RATLS";

int ds_derive_key(const uint8_t *ikm, size_t ikm_len, const struct ds_slice *context, size_t n,
		  uint8_t *out, size_t out_len)
{
	struct ds_buf info = { 0 };
	OSSL_PARAM params[5], *p = params;
	EVP_KDF_CTX *ctx = NULL;
	EVP_KDF *kdf = NULL;
	int r;

	if (out_len == 0 || out_len > DS_KDF_MAX_OUT)
		return ds_err(-EINVAL, "invalid HKDF output length %zu", out_len);
	if (!ikm || ikm_len == 0)
		return ds_err(-EINVAL, "refusing to derive a key from empty key material");
	r = ds_buf_alloc(&info, 0);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = ds_buf_append(&info, context[i].data, context[i].len, SIZE_MAX);
	if (r)
		goto out;
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	if (!ctx) {
		r = ds_err(-ENOMEM, "HKDF-SHA256 is unavailable");
		goto out;
	}
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	/* OpenSSL refuses a NULL key pointer even for an empty key. */
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikm ? (void *)ikm : (void *)"",
						 ikm_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)kdf_salt,
						 sizeof(kdf_salt) - 1);
	if (info.len)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data, info.len);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, out_len, params) != 1)
		r = ds_err(-EIO, "HKDF-SHA256 derivation failed");
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	ds_buf_wipe(&info);
	return r;
}
