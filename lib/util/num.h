/* Decimal integer parsing with the acceptance rules and messages of Rust's
 * str::parse (an optional sign, digits only, no surrounding space). */
#ifndef DS_UTIL_NUM_H
#define DS_UTIL_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Parses exactly len characters into [min, max]. A '-' is accepted only when
 * min < 0. Errors: "cannot parse integer from empty string", "invalid digit
 * found in string", "number too large/small to fit in target type". */
int ds_parse_int(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);

#endif
