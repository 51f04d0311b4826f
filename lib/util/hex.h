/* Lowercase hex encoding; decoding accepts either case and reports errors
 * with the same words as upstream's hex crate. */
#ifndef DS_UTIL_HEX_H
#define DS_UTIL_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Writes 2*len hex digits and a NUL into out (size >= 2*len + 1). */
void ds_hex_encode(const uint8_t *data, size_t len, char *out);
/* Returns a malloc'd lowercase hex string, or NULL when out of memory. */
char *ds_hex_alloc(const uint8_t *data, size_t len);
/* Decodes exactly slen characters: "Odd number of digits" or
 * "Invalid character 'c' at position N" on bad input. */
int ds_hex_decode(const char *s, size_t slen, struct ds_buf *out);
/* Decodes into a fixed-size array: the input must be exactly 2*len digits. */
int ds_hex_decode_exact(const char *s, uint8_t *out, size_t len);
/* Skips any number of leading "0x" (upstream HEAD behaviour). */
const char *ds_hex_strip_0x(const char *s);

#endif
