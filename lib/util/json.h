/* JSON on top of jansson. Output: text as upstream's serde_json writes it.
 * Input: strict, bounded parsing with serde-like typing: absent members take
 * a default, a member of the wrong type is an error, and null is accepted
 * only where the upstream field is an Option. */
#ifndef DS_UTIL_JSON_H
#define DS_UTIL_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Pretty (2-space indent) or compact text of v, members in insertion order,
 * no trailing newline. jansson gives serde_json's layout except for the hex
 * case of \u escapes, which is lowercased here. */
enum ds_json_style { DS_JSON_PRETTY, DS_JSON_COMPACT };
int ds_json_dump(const json_t *v, enum ds_json_style style, char **out);

/* Flags for the typed getters. */
#define DS_JSON_REQUIRED 1u   /* absent is "missing field `key`" */
#define DS_JSON_NULLABLE 2u   /* null reads as absent (an Option field) */

/* Parses exactly len bytes (no more than max) as one JSON value: trailing
 * data, duplicate keys and \u0000 escapes are errors. what names the
 * document in error messages. */
int ds_json_parse(const void *data, size_t len, size_t max, const char *what, json_t **out);
/* Same, and the value must be an object. */
int ds_json_parse_object(const void *data, size_t len, size_t max, const char *what,
			 json_t **out);

/* Parses an object document and hands it to read(root, out); any failure
 * gets the context "Failed to parse <what>". The caller frees out on error. */
int ds_json_read_object(const void *data, size_t len, size_t max, const char *what,
			int (*read)(const json_t *root, void *out), void *out);

/* Member lookup honouring the flags: *out is NULL when absent (or null with
 * DS_JSON_NULLABLE). */
int ds_json_member(const json_t *obj, const char *key, unsigned flags, json_t **out);
/* Every member name of obj is one of names (NULL-terminated), else
 * "unknown field `x` in `what`" (serde's deny_unknown_fields). */
int ds_json_known_fields(const json_t *obj, const char *const *names, const char *what);
/* A boolean member; absent leaves *out = dflt. */
int ds_json_bool(const json_t *obj, const char *key, unsigned flags, int dflt, int *out);
/* A string member copied into a malloc'd string; absent gives NULL. */
int ds_json_string(const json_t *obj, const char *key, unsigned flags, char **out);
/* An array of strings; absent gives an empty vector. The vector is
 * NULL-terminated and released with ds_strv_free(). */
int ds_json_string_array(const json_t *obj, const char *key, unsigned flags, char ***out,
			 size_t *n);
/* A non-negative integer member no larger than max; absent leaves *out. */
int ds_json_uint(const json_t *obj, const char *key, unsigned flags, uint64_t max,
		 uint64_t *out);
/* A hex string member decoded to bytes (no 0x prefix); absent gives empty. */
int ds_json_hex(const json_t *obj, const char *key, unsigned flags, struct ds_buf *out);

void ds_strv_free(char **v);
/* 1 when v (NULL-terminated) contains s. */
int ds_strv_contains(char *const *v, const char *s);

#endif
