/* Standard base64 with padding (RFC 4648 section 4), through OpenSSL. */
#ifndef DS_UTIL_B64_H
#define DS_UTIL_B64_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Returns a malloc'd NUL-terminated string, or NULL when out of memory. */
char *ds_b64_encode(const uint8_t *data, size_t len);
/* Strict decoding: length a multiple of 4, only alphabet characters, padding
 * only at the end. */
int ds_b64_decode(const char *s, size_t slen, struct ds_buf *out);

#endif
