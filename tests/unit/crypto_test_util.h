/* Helpers of the crypto unit tests on top of the shared fixtures.h and
 * helpers.h (header only: every test program is one source file). */
#ifndef DS_TEST_CRYPTO_UTIL_H
#define DS_TEST_CRYPTO_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "helpers.h"
#include "util/buf.h"
#include "util/hex.h"

/* Decodes a hex literal into a fresh buffer (test inputs are well formed). */
static inline struct ds_buf unhex(const char *s)
{
	struct ds_buf b = { 0 };

	assert_int_equal(ds_hex_decode(s, strlen(s), &b), 0);
	return b;
}

static inline void unhex_into(const char *s, uint8_t *out, size_t len)
{
	assert_int_equal(ds_hex_decode_exact(s, out, len), 0);
}

#endif
