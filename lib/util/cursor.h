/* A bounds-checked reader over a byte string, for binary parsers of outside
 * input (quotes, CCEL, SCALE). Every take checks the remaining length first
 * and records a message naming the field on failure. */
#ifndef DS_UTIL_CURSOR_H
#define DS_UTIL_CURSOR_H

#include <stddef.h>
#include <stdint.h>

struct ds_cursor {
	const uint8_t *data;
	size_t len, pos;
	const char *what;       /* names the input in errors */
};

static inline struct ds_cursor ds_cursor_init(const uint8_t *data, size_t len, const char *what)
{
	return (struct ds_cursor){ .data = data, .len = len, .pos = 0, .what = what };
}

static inline size_t ds_cursor_left(const struct ds_cursor *c)
{
	return c->len - c->pos;
}

/* Points *out at the next n bytes and advances; -EBADMSG when fewer remain. */
int ds_cursor_take(struct ds_cursor *c, size_t n, const uint8_t **out, const char *field);
/* Copies the next n bytes into out. */
int ds_cursor_copy(struct ds_cursor *c, void *out, size_t n, const char *field);
int ds_cursor_u8(struct ds_cursor *c, uint8_t *out, const char *field);
int ds_cursor_u16le(struct ds_cursor *c, uint16_t *out, const char *field);
int ds_cursor_u32le(struct ds_cursor *c, uint32_t *out, const char *field);

#endif
