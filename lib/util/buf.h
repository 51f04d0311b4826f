/* Owned byte buffers. Secrets are released with ds_buf_wipe(), which clears
 * the bytes before freeing them. */
#ifndef DS_UTIL_BUF_H
#define DS_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct ds_buf {
	uint8_t *data;
	size_t len;
};

/* Allocates len zeroed bytes. */
int ds_buf_alloc(struct ds_buf *b, size_t len);
/* Copies len bytes into a fresh buffer (len 0 gives an empty, non-NULL one). */
int ds_buf_set(struct ds_buf *b, const void *data, size_t len);
/* Appends len bytes, growing the buffer; fails beyond max total bytes. */
int ds_buf_append(struct ds_buf *b, const void *data, size_t len, size_t max);
void ds_buf_free(struct ds_buf *b);
void ds_buf_wipe(struct ds_buf *b);

#endif
