#include "util/hex.h"
#include "util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char digits[] = "0123456789abcdef";

void ds_hex_encode(const uint8_t *data, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
}

char *ds_hex_alloc(const uint8_t *data, size_t len)
{
	char *s;

	if (len > (SIZE_MAX - 1) / 2)
		return NULL;
	s = malloc(2 * len + 1);
	if (s)
		ds_hex_encode(data, len, s);
	return s;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length first, then characters: the order upstream's hex crate checks in. */
static int decode_into(const char *s, size_t slen, uint8_t *out)
{
	if (slen % 2)
		return ds_err(-EINVAL, "Odd number of digits");
	for (size_t i = 0; i < slen; i++) {
		if (nibble(s[i]) < 0) {
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x20 && c < 0x7f)
				return ds_err(-EINVAL, "Invalid character '%c' at position %zu", c, i);
			return ds_err(-EINVAL, "Invalid character '\\u{%x}' at position %zu", c, i);
		}
	}
	for (size_t i = 0; i < slen / 2; i++)
		out[i] = (uint8_t)(nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]));
	return 0;
}

int ds_hex_decode(const char *s, size_t slen, struct ds_buf *out)
{
	struct ds_buf b = { 0 };
	int r;

	b.data = malloc(slen / 2 + 1);
	if (!b.data)
		return ds_err(-ENOMEM, "out of memory decoding hex");
	r = decode_into(s, slen, b.data);
	if (r) {
		ds_buf_wipe(&b);
		return r;
	}
	b.len = slen / 2;
	*out = b;
	return 0;
}

int ds_hex_decode_exact(const char *s, uint8_t *out, size_t len)
{
	size_t slen = strlen(s);

	if (slen != 2 * len)
		return ds_err(-EINVAL, "expected %zu hex digits, got %zu", 2 * len, slen);
	return decode_into(s, slen, out);
}

const char *ds_hex_strip_0x(const char *s)
{
	while (s[0] == '0' && s[1] == 'x')
		s += 2;
	return s;
}
