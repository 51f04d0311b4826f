/* Shared by the attestation unit tests: loading upstream fixtures (read
 * from DS_FIXTURES_DIR, never copied) and comparing hex. Include after
 * cmocka.h. */
#ifndef DS_TEST_FIXTURES_H
#define DS_TEST_FIXTURES_H

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/file.h"
#include "util/hex.h"

static inline void load_fixture(const char *name, struct ds_buf *out)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", DS_FIXTURES_DIR, name);
	assert_int_equal(ds_read_file(path, 1u << 24, out), 0);
}

/* The fixture holds one line of hex (v0.5.4-simulator-quote.hex). */
static inline void load_hex_fixture(const char *name, struct ds_buf *out)
{
	struct ds_buf text = { 0 };
	size_t n;

	load_fixture(name, &text);
	n = text.len;
	while (n && (text.data[n - 1] == '\n' || text.data[n - 1] == '\r'))
		n--;
	assert_int_equal(ds_hex_decode((const char *)text.data, n, out), 0);
	ds_buf_free(&text);
}

static inline void assert_hex(const uint8_t *data, size_t len, const char *expected)
{
	char hex[2 * len + 1];

	ds_hex_encode(data, len, hex);
	assert_string_equal(hex, expected);
}

#define ZERO48_HEX "000000000000000000000000000000000000000000000000" \
		   "000000000000000000000000000000000000000000000000"

#endif
