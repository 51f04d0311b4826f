/* JSON string output byte-compatible with Rust's serde_json: '"' and '\'
 * escaped, \b \f \n \r \t, other control characters as \u00xx (lowercase),
 * everything else (including '/', DEL and non-ASCII UTF-8) written raw.
 * Two passes (measure, then write into one allocation) so that secrets are
 * never left behind in buffers freed by realloc. */
#ifndef DS_UTIL_JSON_STR_H
#define DS_UTIL_JSON_STR_H

#include <stddef.h>

/* Length of the quoted, escaped form of s[0..len]. */
size_t ds_json_str_len(const char *s, size_t len);
/* Writes that form at out (no NUL) and returns the end of what it wrote. */
char *ds_json_str_put(char *out, const char *s, size_t len);

#endif
