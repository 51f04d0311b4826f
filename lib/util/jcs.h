/* RFC 8785 JSON Canonicalization Scheme (JCS) over jansson values, as
 * upstream's serde_jcs writes it: object members sorted by the UTF-16 code
 * units of their names, no whitespace, minimal string escaping. Numbers are
 * limited to integers of magnitude <= 2^53 (their ECMAScript form is plain
 * decimal); any real is refused rather than formatted approximately. */
#ifndef DS_UTIL_JCS_H
#define DS_UTIL_JCS_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"

/* Where ds_jcs_escape writes: put(ctx, bytes, len) returns 0 or -errno. */
typedef int (*ds_jcs_put_fn)(void *ctx, const void *data, size_t len);
/* The RFC 8785 form of the string str (without the quotes): only '"', '\\'
 * and control characters escaped, these as \b \f \n \r \t or \u00xx;
 * runs of plain bytes are passed to put at once, so it can stream into a
 * hash. */
int ds_jcs_escape(const char *str, ds_jcs_put_fn put, void *ctx);
/* The canonical text of v into out (no more than max bytes). */
int ds_jcs_dump(const json_t *v, size_t max, struct ds_buf *out);

#endif
