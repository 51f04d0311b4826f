#include "util/msgpack.h"
#include "util/err.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Big-endian unsigned of n (1, 2 or 4) bytes. */
static uint32_t be_len(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* One item header: its size, the payload bytes after it (str, bin, ext)
 * and the number of nested items (array: n, map: 2n). */
struct mp_head {
	size_t head;
	uint64_t payload;
	uint64_t items;
	int container;
};

enum mp_kind { MP_FIXED, MP_BYTES, MP_ARRAY, MP_MAP };

/* Header layout of the non-fix markers 0xc0..0xdf: the kind, the bytes of
 * the length field (0 for fixed-size items) and the bytes that follow it
 * before the payload (ext type) or make up the value (fixed items). */
struct mp_marker {
	uint8_t kind, len_bytes, extra;
};

static const struct mp_marker markers[32] = {
	[0x00] = { MP_FIXED, 0, 0 },  /* nil */
	[0x02] = { MP_FIXED, 0, 0 },  [0x03] = { MP_FIXED, 0, 0 },  /* bool */
	[0x04] = { MP_BYTES, 1, 0 },  [0x05] = { MP_BYTES, 2, 0 },  [0x06] = { MP_BYTES, 4, 0 },
	[0x07] = { MP_BYTES, 1, 1 },  [0x08] = { MP_BYTES, 2, 1 },  [0x09] = { MP_BYTES, 4, 1 },
	[0x0a] = { MP_FIXED, 0, 4 },  [0x0b] = { MP_FIXED, 0, 8 },  /* float */
	[0x0c] = { MP_FIXED, 0, 1 },  [0x0d] = { MP_FIXED, 0, 2 },  /* uint */
	[0x0e] = { MP_FIXED, 0, 4 },  [0x0f] = { MP_FIXED, 0, 8 },
	[0x10] = { MP_FIXED, 0, 1 },  [0x11] = { MP_FIXED, 0, 2 },  /* int */
	[0x12] = { MP_FIXED, 0, 4 },  [0x13] = { MP_FIXED, 0, 8 },
	[0x14] = { MP_FIXED, 0, 2 },  [0x15] = { MP_FIXED, 0, 3 },  /* fixext + type */
	[0x16] = { MP_FIXED, 0, 5 },  [0x17] = { MP_FIXED, 0, 9 },  [0x18] = { MP_FIXED, 0, 17 },
	[0x19] = { MP_BYTES, 1, 0 },  [0x1a] = { MP_BYTES, 2, 0 },  [0x1b] = { MP_BYTES, 4, 0 },
	[0x1c] = { MP_ARRAY, 2, 0 },  [0x1d] = { MP_ARRAY, 4, 0 },
	[0x1e] = { MP_MAP, 2, 0 },    [0x1f] = { MP_MAP, 4, 0 },
};

/* Reads the header at p; the caller checks h->head against the input. */
static int read_head(const uint8_t *p, size_t avail, struct mp_head *h)
{
	uint8_t b = p[0];
	struct mp_marker m;
	uint32_t n;

	*h = (struct mp_head){ .head = 1 };
	if (b <= 0x7f || b >= 0xe0)                     /* fixint */
		return 0;
	if (b <= 0x9f) {                                /* fixmap, fixarray */
		h->container = 1;
		h->items = (uint64_t)(b & 0x0f) * (b <= 0x8f ? 2 : 1);
		return 0;
	}
	if (b <= 0xbf) {                                /* fixstr */
		h->payload = b & 0x1f;
		return 0;
	}
	if (b == 0xc1)
		return ds_err(-EBADMSG, "invalid MessagePack byte 0xc1");
	m = markers[b - 0xc0];
	h->head = 1u + m.len_bytes + m.extra;
	if (m.kind == MP_FIXED || avail < h->head)
		return 0;
	n = be_len(p + 1, m.len_bytes);
	h->container = m.kind != MP_BYTES;
	if (m.kind == MP_BYTES)
		h->payload = n;
	else
		h->items = (uint64_t)n * (m.kind == MP_MAP ? 2 : 1);
	return 0;
}

/* Walks the first item's headers: every count must fit in the bytes left
 * (each nested item takes at least one byte), nesting is bounded. */
static int check_bounds(const uint8_t *data, size_t len, const char *what, size_t *end)
{
	uint64_t pending[DS_MP_MAX_DEPTH + 1];
	unsigned depth = 0;
	size_t pos = 0;
	int r;

	pending[0] = 1;
	for (;;) {
		struct mp_head h;

		while (depth > 0 && pending[depth] == 0)
			depth--;
		if (pending[depth] == 0)
			break;
		pending[depth]--;
		if (pos >= len)
			return ds_err(-EBADMSG, "%s: truncated MessagePack", what);
		r = read_head(data + pos, len - pos, &h);
		if (r)
			return ds_err_ctx(r, "%s at offset %zu", what, pos);
		if (h.head > len - pos || h.payload > len - pos - h.head)
			return ds_err(-EBADMSG, "%s: truncated MessagePack", what);
		pos += h.head + (size_t)h.payload;
		if (h.items > len - pos)
			return ds_err(-EBADMSG, "%s: MessagePack count %llu at offset %zu exceeds "
				      "the remaining input", what, (unsigned long long)h.items,
				      pos - h.head);
		if (!h.container || h.items == 0)
			continue;
		if (depth == DS_MP_MAX_DEPTH)
			return ds_err(-EBADMSG, "%s: MessagePack nested deeper than %u", what,
				      DS_MP_MAX_DEPTH);
		pending[++depth] = h.items;
	}
	*end = pos;
	return 0;
}

int ds_mp_unpack(const uint8_t *data, size_t len, const char *what, msgpack_unpacked *out,
		 size_t *end)
{
	size_t off = 0;
	int r = check_bounds(data, len, what, end);

	if (r)
		return r;
	msgpack_unpacked_init(out);
	r = msgpack_unpack_next(out, (const char *)data, *end, &off);
	if (r != MSGPACK_UNPACK_SUCCESS || off != *end) {
		msgpack_unpacked_destroy(out);
		return ds_err(r == MSGPACK_UNPACK_NOMEM_ERROR ? -ENOMEM : -EBADMSG,
			      "%s: msgpack-c failed to unpack (%d)", what, r);
	}
	return 0;
}

static const char *type_name(msgpack_object_type t)
{
	switch (t) {
	case MSGPACK_OBJECT_NIL: return "nil";
	case MSGPACK_OBJECT_BOOLEAN: return "a boolean";
	case MSGPACK_OBJECT_POSITIVE_INTEGER: return "an unsigned integer";
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return "a negative integer";
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: return "a float";
	case MSGPACK_OBJECT_STR: return "a string";
	case MSGPACK_OBJECT_ARRAY: return "an array";
	case MSGPACK_OBJECT_MAP: return "a map";
	case MSGPACK_OBJECT_BIN: return "bin";
	case MSGPACK_OBJECT_EXT: return "ext";
	}
	return "unknown";
}

static int want(const msgpack_object *o, msgpack_object_type t, const char *what,
		const char *expected)
{
	if (o->type == t)
		return 0;
	return ds_err(-EBADMSG, "%s: invalid type: %s, expected %s", what, type_name(o->type),
		      expected);
}

int ds_mp_str_eq(const msgpack_object *o, const char *s)
{
	size_t n = strlen(s);

	return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n &&
	       memcmp(o->via.str.ptr, s, n) == 0;
}

int ds_mp_fields(const msgpack_object *o, struct ds_mp_field *fields, size_t n, const char *what)
{
	int r = want(o, MSGPACK_OBJECT_MAP, what, "a map");

	for (size_t i = 0; i < n; i++)
		fields[i].val = NULL;
	for (uint32_t k = 0; r == 0 && k < o->via.map.size; k++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[k];

		r = want(&kv->key, MSGPACK_OBJECT_STR, what, "a string key");
		for (size_t i = 0; r == 0 && i < n; i++) {
			if (!ds_mp_str_eq(&kv->key, fields[i].key))
				continue;
			if (fields[i].val)
				return ds_err(-EBADMSG, "%s: duplicate field `%s`", what,
					      fields[i].key);
			fields[i].val = &kv->val;
		}
	}
	for (size_t i = 0; r == 0 && i < n; i++)
		if ((fields[i].flags & DS_MP_REQUIRED) && !fields[i].val)
			r = ds_err(-EBADMSG, "%s: missing field `%s`", what, fields[i].key);
	return r;
}

int ds_mp_uint(const msgpack_object *o, uint64_t max, const char *what, uint64_t *out)
{
	int r = want(o, MSGPACK_OBJECT_POSITIVE_INTEGER, what, "an unsigned integer");

	if (r == 0 && o->via.u64 > max)
		r = ds_err(-ERANGE, "%s: %llu is out of range (at most %llu)", what,
			   (unsigned long long)o->via.u64, (unsigned long long)max);
	if (r == 0)
		*out = o->via.u64;
	return r;
}

int ds_mp_str(const msgpack_object *o, const char *what, char **out)
{
	int r = want(o, MSGPACK_OBJECT_STR, what, "a string");
	const uint8_t *p = (const uint8_t *)o->via.str.ptr;
	size_t n = o->via.str.size;

	if (r)
		return r;
	if (!ds_utf8_valid(p, n))
		return ds_err(-EBADMSG, "%s is not valid UTF-8", what);
	if (n && memchr(p, 0, n))
		return ds_err(-EBADMSG, "%s contains a NUL character", what);
	*out = strndup(n ? (const char *)p : "", n);
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

int ds_mp_bin(const msgpack_object *o, const char *what, struct ds_buf *out)
{
	int r = want(o, MSGPACK_OBJECT_BIN, what, "bin");

	return r ?: ds_buf_set(out, o->via.bin.ptr, o->via.bin.size);
}

int ds_mp_array(const msgpack_object *o, const char *what, const msgpack_object **items,
		uint32_t *n)
{
	int r = want(o, MSGPACK_OBJECT_ARRAY, what, "an array");

	if (r == 0) {
		*items = o->via.array.ptr;
		*n = o->via.array.size;
	}
	return r;
}

int ds_mp_u8_array(const msgpack_object *o, const char *what, struct ds_buf *out)
{
	const msgpack_object *items;
	uint32_t n;
	int r = ds_mp_array(o, what, &items, &n);

	r = r ?: ds_buf_alloc(out, n);
	for (uint32_t i = 0; r == 0 && i < n; i++) {
		uint64_t v;

		r = ds_mp_uint(&items[i], UINT8_MAX, what, &v);
		out->data[i] = (uint8_t)v;
	}
	if (r)
		ds_buf_free(out);
	return r;
}
