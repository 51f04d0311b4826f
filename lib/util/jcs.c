#include "util/jcs.h"
#include "util/err.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JCS_MAX_INT (INT64_C(1) << 53)
#define JCS_MAX_DEPTH 64

/* The next UTF-16 code unit of the valid UTF-8 text at *s (jansson
 * validates strings); a supplementary character yields its two surrogates
 * through *pending. 0 at the end. */
static unsigned next_unit(const unsigned char **s, unsigned *pending)
{
	const unsigned char *p = *s;
	uint32_t c;

	if (*pending) {
		c = *pending;
		*pending = 0;
		return c;
	}
	if (!*p)
		return 0;
	if (p[0] < 0x80) {
		c = p[0];
		p += 1;
	} else if (p[0] < 0xe0) {
		c = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		p += 2;
	} else if (p[0] < 0xf0) {
		c = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		p += 3;
	} else {
		c = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
		    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		p += 4;
		c -= 0x10000;
		*pending = 0xdc00 | (c & 0x3ff);
		c = 0xd800 | (c >> 10);
	}
	*s = p;
	return c;
}

static int utf16_cmp(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;
	unsigned px = 0, py = 0;

	for (;;) {
		unsigned cx = next_unit(&x, &px), cy = next_unit(&y, &py);

		if (cx != cy || !cx)
			return cx < cy ? -1 : cx > cy;
	}
}

struct jcs_out {
	struct ds_buf *buf;
	size_t max;
};

static int put_str(struct jcs_out *o, const char *s)
{
	return ds_buf_append(o->buf, s, strlen(s), o->max);
}

int ds_jcs_escape(const char *str, ds_jcs_put_fn put, void *ctx)
{
	const unsigned char *p = (const unsigned char *)str, *run = p;
	int r = 0;

	for (; *p && r == 0; p++) {
		char esc[8];

		switch (*p) {
		case '"': strcpy(esc, "\\\""); break;
		case '\\': strcpy(esc, "\\\\"); break;
		case '\b': strcpy(esc, "\\b"); break;
		case '\f': strcpy(esc, "\\f"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\r': strcpy(esc, "\\r"); break;
		case '\t': strcpy(esc, "\\t"); break;
		default:
			if (*p >= 0x20)
				continue;
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
		}
		r = put(ctx, run, (size_t)(p - run));
		r = r ?: put(ctx, esc, strlen(esc));
		run = p + 1;
	}
	return r ?: put(ctx, run, (size_t)(p - run));
}

static int put_bytes(void *ctx, const void *data, size_t len)
{
	struct jcs_out *o = ctx;

	return ds_buf_append(o->buf, data, len, o->max);
}

static int put_string(struct jcs_out *o, const char *s)
{
	int r = put_str(o, "\"");

	r = r ?: ds_jcs_escape(s, put_bytes, o);
	return r ?: put_str(o, "\"");
}

static int put_value(struct jcs_out *o, const json_t *v, int depth);

static int put_object(struct jcs_out *o, const json_t *v, int depth)
{
	size_t n = json_object_size(v), i = 0;
	const char **keys = calloc(n ? n : 1, sizeof(*keys));
	const char *key;
	json_t *member;
	int r;

	if (!keys)
		return ds_err(-ENOMEM, "out of memory");
	json_object_foreach((json_t *)v, key, member)
		keys[i++] = key;
	qsort(keys, n, sizeof(*keys), utf16_cmp);
	r = put_str(o, "{");
	for (i = 0; r == 0 && i < n; i++) {
		r = i ? put_str(o, ",") : 0;
		r = r ?: put_string(o, keys[i]);
		r = r ?: put_str(o, ":");
		r = r ?: put_value(o, json_object_get(v, keys[i]), depth + 1);
	}
	free(keys);
	return r ?: put_str(o, "}");
}

static int put_array(struct jcs_out *o, const json_t *v, int depth)
{
	int r = put_str(o, "[");

	for (size_t i = 0; r == 0 && i < json_array_size(v); i++) {
		r = i ? put_str(o, ",") : 0;
		r = r ?: put_value(o, json_array_get(v, i), depth + 1);
	}
	return r ?: put_str(o, "]");
}

static int put_integer(struct jcs_out *o, json_int_t n)
{
	char text[32];

	if (n > JCS_MAX_INT || n < -JCS_MAX_INT)
		return ds_err(-ERANGE, "JCS: integer %" JSON_INTEGER_FORMAT
			      " is outside the exactly representable range", n);
	snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT, n);
	return put_str(o, text);
}

static int put_value(struct jcs_out *o, const json_t *v, int depth)
{
	if (depth > JCS_MAX_DEPTH)
		return ds_err(-ELOOP, "JCS: nesting deeper than %d", JCS_MAX_DEPTH);
	switch (json_typeof(v)) {
	case JSON_OBJECT: return put_object(o, v, depth);
	case JSON_ARRAY: return put_array(o, v, depth);
	case JSON_STRING: return put_string(o, json_string_value(v));
	case JSON_INTEGER: return put_integer(o, json_integer_value(v));
	case JSON_TRUE: return put_str(o, "true");
	case JSON_FALSE: return put_str(o, "false");
	case JSON_NULL: return put_str(o, "null");
	case JSON_REAL: break;
	}
	return ds_err(-ENOTSUP, "JCS: non-integer numbers are not supported");
}

int ds_jcs_dump(const json_t *v, size_t max, struct ds_buf *out)
{
	struct ds_buf b = { 0 };
	struct jcs_out o = { .buf = &b, .max = max };
	int r = ds_buf_alloc(&b, 0);

	r = r ?: put_value(&o, v, 0);
	if (r)
		ds_buf_free(&b);
	else
		*out = b;
	return r;
}
