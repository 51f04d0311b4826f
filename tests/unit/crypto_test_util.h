/* Helpers shared by the crypto unit tests (header only: every test program
 * is built from one source file). */
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

#include "util/buf.h"
#include "util/file.h"
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

/* Asserts that len bytes at p are the bytes of the hex string want. */
static inline void assert_hex(const uint8_t *p, size_t len, const char *want)
{
	char *got = ds_hex_alloc(p, len);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Reads a fixture file from DS_FIXTURES_DIR. */
static inline struct ds_buf fixture(const char *name)
{
	char path[4096];
	struct ds_buf b = { 0 };

	snprintf(path, sizeof(path), "%s/%s", DS_FIXTURES_DIR, name);
	assert_int_equal(ds_read_file(path, 16u << 20, &b), 0);
	return b;
}

#endif
