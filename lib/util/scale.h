/* The SCALE codec primitives used by dstack's attestation container (spec
 * tdx-attestation.md 5.1): compact lengths (minimal form required when
 * decoding), byte vectors and UTF-8 strings. Decoding reads through a
 * bounds-checked cursor; encoding appends to a growing buffer. */
#ifndef DS_UTIL_SCALE_H
#define DS_UTIL_SCALE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/cursor.h"

/* A compact-encoded u32 length, rejected when not in minimal form. */
int ds_scale_compact(struct ds_cursor *c, uint32_t *out, const char *field);
/* A compact element count, additionally bounded by the input left: every
 * element takes at least min_elem_len bytes. */
int ds_scale_count(struct ds_cursor *c, size_t min_elem_len, uint32_t *out, const char *field);
/* Vec<u8> copied into out. */
int ds_scale_bytes(struct ds_cursor *c, struct ds_buf *out, const char *field);
/* String into a NUL-terminated copy: valid UTF-8 without NUL characters. */
int ds_scale_string(struct ds_cursor *c, char **out, const char *field);

/* Encoders (raw bytes: ds_buf_append); max bounds the whole output. */
int ds_scale_put_u8(struct ds_buf *b, uint8_t v, size_t max);
int ds_scale_put_u32(struct ds_buf *b, uint32_t v, size_t max);
int ds_scale_put_compact(struct ds_buf *b, uint64_t n, size_t max);
int ds_scale_put_bytes(struct ds_buf *b, const uint8_t *data, size_t len, size_t max);
int ds_scale_put_string(struct ds_buf *b, const char *s, size_t max);

#endif
