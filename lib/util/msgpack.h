/* MessagePack through msgpack-c, for parsers of outside input and for
 * writers that must match rmp-serde byte for byte.
 *
 * Reading: msgpack-c allocates every array and map in full as soon as it
 * reads the header (5 bytes can ask for gigabytes), so ds_mp_unpack first
 * walks the item headers and refuses any count larger than the bytes left,
 * nesting deeper than DS_MP_MAX_DEPTH and truncation; only then does
 * msgpack-c build the objects. The typed getters check types strictly, as
 * serde would for the target Rust type (no bin for a string, no float or
 * negative number for an unsigned field). */
#ifndef DS_UTIL_MSGPACK_H
#define DS_UTIL_MSGPACK_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define DS_MP_MAX_DEPTH 16

/* Unpacks the first item of data into out (msgpack_unpacked_destroy frees
 * it); *end gets the offset just after that item. what names the input. */
int ds_mp_unpack(const uint8_t *data, size_t len, const char *what, msgpack_unpacked *out,
		 size_t *end);

/* A map read like a serde struct: keys must be strings, a known key may
 * appear once ("duplicate field `k`"), required ones must be present
 * ("missing field `k`"), unknown keys are ignored. val is NULL when absent. */
#define DS_MP_REQUIRED 1u
struct ds_mp_field {
	const char *key;
	unsigned flags;
	const msgpack_object *val;
};
int ds_mp_fields(const msgpack_object *o, struct ds_mp_field *fields, size_t n, const char *what);

/* An unsigned integer no larger than max. */
int ds_mp_uint(const msgpack_object *o, uint64_t max, const char *what, uint64_t *out);
/* A UTF-8 string without NUL, copied into a malloc'd C string. */
int ds_mp_str(const msgpack_object *o, const char *what, char **out);
/* 1 when o is a string equal to s. */
int ds_mp_str_eq(const msgpack_object *o, const char *s);
/* bin, copied. */
int ds_mp_bin(const msgpack_object *o, const char *what, struct ds_buf *out);
/* An array of integers 0..255 (serde's Vec<u8>), as bytes. */
int ds_mp_u8_array(const msgpack_object *o, const char *what, struct ds_buf *out);
/* An array, its items in *items and count in *n. */
int ds_mp_array(const msgpack_object *o, const char *what, const msgpack_object **items,
		uint32_t *n);

/* Writing into a ds_buf of at most max bytes. A failed write makes the
 * msgpack_pack_* call return -1 and leaves its negative errno in err. */
struct ds_mp_writer {
	msgpack_packer pk;
	struct ds_buf buf;
	size_t max;
	int err;
};
void ds_mp_writer_init(struct ds_mp_writer *w, size_t max);
/* A string key or value from a C string. */
int ds_mp_pack_cstr(msgpack_packer *pk, const char *s);
/* Bytes as an array of integers (serde's Vec<u8>). */
int ds_mp_pack_u8_array(msgpack_packer *pk, const uint8_t *data, size_t len);
/* Bytes as bin. */
int ds_mp_pack_bin(msgpack_packer *pk, const uint8_t *data, size_t len);

#endif
