#include "util/buf.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

int ds_buf_alloc(struct ds_buf *b, size_t len)
{
	uint8_t *p = calloc(len ? len : 1, 1);

	if (!p)
		return ds_err(-ENOMEM, "out of memory allocating %zu bytes", len);
	b->data = p;
	b->len = len;
	return 0;
}

int ds_buf_set(struct ds_buf *b, const void *data, size_t len)
{
	int r = ds_buf_alloc(b, len);

	if (r == 0 && len)
		memcpy(b->data, data, len);
	return r;
}

int ds_buf_append(struct ds_buf *b, const void *data, size_t len, size_t max)
{
	uint8_t *p;

	if (len > max || b->len > max - len)
		return ds_err(-EFBIG, "data larger than the limit of %zu bytes", max);
	p = realloc(b->data, b->len + len ? b->len + len : 1);
	if (!p)
		return ds_err(-ENOMEM, "out of memory allocating %zu bytes", b->len + len);
	if (len)
		memcpy(p + b->len, data, len);
	b->data = p;
	b->len += len;
	return 0;
}

void ds_buf_free(struct ds_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

void ds_buf_wipe(struct ds_buf *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->len);
	ds_buf_free(b);
}
