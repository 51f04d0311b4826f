#include "attest/sha384.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/evp.h>

int ds_sha384_init(struct ds_sha384 *h)
{
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA384", NULL);
	int ok;

	h->ctx = EVP_MD_CTX_new();
	ok = md && h->ctx && EVP_DigestInit_ex(h->ctx, md, NULL);
	EVP_MD_free(md);        /* the context keeps its own reference */
	if (!ok) {
		ds_sha384_free(h);
		return ds_err(-ENOMEM, "failed to set up SHA-384");
	}
	return 0;
}

void ds_sha384_free(struct ds_sha384 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int ds_sha384_begin(struct ds_sha384 *h)
{
	/* a NULL type re-initialises with the digest already set */
	return EVP_DigestInit_ex(h->ctx, NULL, NULL) ? 0 : ds_err(-EIO, "SHA-384 init failed");
}

int ds_sha384_update(struct ds_sha384 *h, const void *data, size_t len)
{
	return EVP_DigestUpdate(h->ctx, data, len) ? 0 : ds_err(-EIO, "SHA-384 update failed");
}

int ds_sha384_end(struct ds_sha384 *h, uint8_t out[DS_SHA384_LEN])
{
	return EVP_DigestFinal_ex(h->ctx, out, NULL) ? 0 : ds_err(-EIO, "SHA-384 final failed");
}

int ds_sha384_extend(struct ds_sha384 *h, uint8_t mr[DS_SHA384_LEN], const uint8_t *digest,
		     size_t len)
{
	int r = ds_sha384_begin(h);

	r = r ?: ds_sha384_update(h, mr, DS_SHA384_LEN);
	r = r ?: ds_sha384_update(h, digest, len);
	return r ?: ds_sha384_end(h, mr);
}
