#include "util/scale.h"
#include "util/err.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ds_scale_compact(struct ds_cursor *c, uint32_t *out, const char *field)
{
	uint8_t b0, b[4] = { 0 };
	uint32_t v;
	int r = ds_cursor_u8(c, &b0, field);

	if (r)
		return r;
	switch (b0 & 3) {
	case 0:
		*out = b0 >> 2;
		return 0;
	case 1:
		r = ds_cursor_copy(c, b, 1, field);
		v = ((uint32_t)b0 | (uint32_t)b[0] << 8) >> 2;
		if (r == 0 && v < 64)
			r = ds_err(-EBADMSG, "non-minimal compact encoding of %s", field);
		break;
	case 2:
		r = ds_cursor_copy(c, b, 3, field);
		v = ((uint32_t)b0 | (uint32_t)b[0] << 8 | (uint32_t)b[1] << 16 |
		     (uint32_t)b[2] << 24) >> 2;
		if (r == 0 && v < (1u << 14))
			r = ds_err(-EBADMSG, "non-minimal compact encoding of %s", field);
		break;
	default:
		/* big-integer mode: only 4 value bytes fit a u32 */
		if (b0 >> 2 != 0)
			return ds_err(-EBADMSG, "compact %s out of range for u32", field);
		r = ds_cursor_copy(c, b, 4, field);
		v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		    (uint32_t)b[3] << 24;
		if (r == 0 && v < (1u << 30))
			r = ds_err(-EBADMSG, "non-minimal compact encoding of %s", field);
	}
	if (r == 0)
		*out = v;
	return r;
}

int ds_scale_count(struct ds_cursor *c, size_t min_elem_len, uint32_t *out, const char *field)
{
	int r = ds_scale_compact(c, out, field);

	if (r == 0 && (size_t)*out > ds_cursor_left(c) / min_elem_len)
		r = ds_err(-EBADMSG, "%s: %u elements cannot fit in the %zu bytes left", field, *out,
			   ds_cursor_left(c));
	return r;
}

int ds_scale_bytes(struct ds_cursor *c, struct ds_buf *out, const char *field)
{
	const uint8_t *p;
	uint32_t n;
	int r = ds_scale_compact(c, &n, field);

	r = r ?: ds_cursor_take(c, n, &p, field);
	return r ?: ds_buf_set(out, p, n);
}

int ds_scale_string(struct ds_cursor *c, char **out, const char *field)
{
	const uint8_t *p;
	uint32_t n;
	int r = ds_scale_compact(c, &n, field);

	r = r ?: ds_cursor_take(c, n, &p, field);
	if (r)
		return r;
	if (!ds_utf8_valid(p, n))
		return ds_err(-EBADMSG, "%s is not valid UTF-8", field);
	if (memchr(p, 0, n))
		return ds_err(-EBADMSG, "%s contains a NUL character", field);
	*out = strndup((const char *)p, n);
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

int ds_scale_put_u8(struct ds_buf *b, uint8_t v, size_t max)
{
	return ds_buf_append(b, &v, 1, max);
}

int ds_scale_put_u32(struct ds_buf *b, uint32_t v, size_t max)
{
	uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	return ds_buf_append(b, le, 4, max);
}

int ds_scale_put_compact(struct ds_buf *b, uint64_t n, size_t max)
{
	uint8_t out[9];
	size_t len, k;

	if (n < 64) {
		out[0] = (uint8_t)(n << 2);
		len = 1;
	} else if (n < (1u << 14)) {
		out[0] = (uint8_t)(n << 2 | 1);
		out[1] = (uint8_t)(n >> 6);
		len = 2;
	} else if (n < (1u << 30)) {
		uint32_t v = (uint32_t)(n << 2 | 2);

		for (len = 0; len < 4; len++)
			out[len] = (uint8_t)(v >> (8 * len));
	} else {
		for (k = 4; k < 8 && (n >> (8 * k)); k++)
			;
		out[0] = (uint8_t)((k - 4) << 2 | 3);
		for (size_t i = 0; i < k; i++)
			out[1 + i] = (uint8_t)(n >> (8 * i));
		len = 1 + k;
	}
	return ds_buf_append(b, out, len, max);
}

int ds_scale_put_bytes(struct ds_buf *b, const uint8_t *data, size_t len, size_t max)
{
	int r = ds_scale_put_compact(b, len, max);

	return r ?: ds_buf_append(b, data, len, max);
}

int ds_scale_put_string(struct ds_buf *b, const char *s, size_t max)
{
	return ds_scale_put_bytes(b, (const uint8_t *)s, strlen(s), max);
}
