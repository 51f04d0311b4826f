#include "crypto/ossl.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/err.h>
#include <string.h>

int ds_ossl_err(int code, const char *msg)
{
	unsigned long e = ERR_peek_last_error();
	char reason[256];

	if (e) {
		ERR_error_string_n(e, reason, sizeof(reason));
		ERR_clear_error();
		return ds_err(code, "%s (%s)", msg, reason);
	}
	return ds_err(code, "%s", msg);
}

int ds_bio_text(BIO *bio, struct ds_buf *out)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);
	int r;

	if (len < 0)
		return ds_err(-EIO, "failed to read a memory BIO");
	r = ds_buf_alloc(out, (size_t)len + 1);
	if (r)
		return r;
	memcpy(out->data, data, (size_t)len);
	out->len = (size_t)len;
	return 0;
}
