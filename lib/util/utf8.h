/* Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), as Rust's str::from_utf8 checks it. */
#ifndef DS_UTIL_UTF8_H
#define DS_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

int ds_utf8_valid(const uint8_t *s, size_t len);

#endif
