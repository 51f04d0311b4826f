#include "util/cursor.h"
#include "util/err.h"

#include <errno.h>
#include <string.h>

int ds_cursor_take(struct ds_cursor *c, size_t n, const uint8_t **out, const char *field)
{
	if (n > ds_cursor_left(c))
		return ds_err(-EBADMSG, "%s truncated: %s needs %zu bytes at offset %zu, %zu left",
			      c->what, field, n, c->pos, ds_cursor_left(c));
	*out = c->data + c->pos;
	c->pos += n;
	return 0;
}

int ds_cursor_copy(struct ds_cursor *c, void *out, size_t n, const char *field)
{
	const uint8_t *p;
	int r = ds_cursor_take(c, n, &p, field);

	if (r == 0 && n)
		memcpy(out, p, n);
	return r;
}

static int take_le(struct ds_cursor *c, size_t n, uint64_t *out, const char *field)
{
	const uint8_t *p;
	int r = ds_cursor_take(c, n, &p, field);

	*out = 0;
	for (size_t i = 0; r == 0 && i < n; i++)
		*out |= (uint64_t)p[i] << (8 * i);
	return r;
}

int ds_cursor_u8(struct ds_cursor *c, uint8_t *out, const char *field)
{
	uint64_t v;
	int r = take_le(c, 1, &v, field);

	*out = (uint8_t)v;
	return r;
}

int ds_cursor_u16le(struct ds_cursor *c, uint16_t *out, const char *field)
{
	uint64_t v;
	int r = take_le(c, 2, &v, field);

	*out = (uint16_t)v;
	return r;
}

int ds_cursor_u32le(struct ds_cursor *c, uint32_t *out, const char *field)
{
	uint64_t v;
	int r = take_le(c, 4, &v, field);

	*out = (uint32_t)v;
	return r;
}
