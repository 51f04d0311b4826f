#include "util/json.h"
#include "util/err.h"
#include "util/hex.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* In jansson's output a backslash always starts an escape, so every "\u"
 * here is an escape of a control character. */
static void lowercase_unicode_escapes(char *s)
{
	while (*s) {
		if (*s++ != '\\' || !*s)
			continue;
		if (*s == 'u')
			for (int i = 1; i < 5 && s[i]; i++)
				s[i] = (char)tolower((unsigned char)s[i]);
		s++;
	}
}

int ds_json_dump(const json_t *v, enum ds_json_style style, char **out)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		       (style == DS_JSON_PRETTY ? JSON_INDENT(2) : JSON_COMPACT);

	*out = json_dumps(v, flags);
	if (!*out)
		return ds_err(-ENOMEM, "failed to serialize JSON");
	lowercase_unicode_escapes(*out);
	return 0;
}

int ds_json_parse(const void *data, size_t len, size_t max, const char *what, json_t **out)
{
	json_error_t error;
	json_t *v;

	*out = NULL;
	if (len > max)
		return ds_err(-EFBIG, "%s is larger than %zu bytes", what, max);
	v = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
	if (!v) {
		/* jansson quotes the offending token ("near '...'"): in a reply
		 * that carries keys, that token may be key material. */
		char *near = strstr(error.text, " near ");

		if (near)
			*near = '\0';
		return ds_err(-EINVAL, "invalid JSON in %s at line %d column %d: %s", what,
			      error.line, error.column, error.text);
	}
	*out = v;
	return 0;
}

int ds_json_parse_object(const void *data, size_t len, size_t max, const char *what,
			 json_t **out)
{
	int r = ds_json_parse(data, len, max, what, out);

	if (r == 0 && !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return ds_err(-EINVAL, "%s is not a JSON object", what);
	}
	return r;
}

int ds_json_read_object(const void *data, size_t len, size_t max, const char *what,
			int (*read)(const json_t *root, void *out), void *out)
{
	json_t *root;
	int r;

	r = ds_json_parse_object(data, len, max, what, &root);
	if (r == 0) {
		r = read(root, out);
		json_decref(root);
	}
	return r ? ds_err_ctx(r, "Failed to parse %s", what) : 0;
}

int ds_json_member(const json_t *obj, const char *key, unsigned flags, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	if (v && json_is_null(v) && (flags & DS_JSON_NULLABLE))
		v = NULL;
	if (!v && (flags & DS_JSON_REQUIRED))
		return ds_err(-EINVAL, "missing field `%s`", key);
	*out = v;
	return 0;
}

int ds_json_known_fields(const json_t *obj, const char *const *names, const char *what)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		size_t i = 0;

		while (names[i] && strcmp(names[i], key))
			i++;
		if (!names[i])
			return ds_err(-EINVAL, "unknown field `%s` in `%s`", key, what);
	}
	return 0;
}

static int wrong_type(const char *key, const char *expected)
{
	return ds_err(-EINVAL, "invalid type for field `%s`: expected %s", key, expected);
}

int ds_json_bool(const json_t *obj, const char *key, unsigned flags, int dflt, int *out)
{
	json_t *v;
	int r = ds_json_member(obj, key, flags, &v);

	if (r)
		return r;
	if (!v) {
		*out = dflt;
		return 0;
	}
	if (!json_is_boolean(v))
		return wrong_type(key, "a boolean");
	*out = json_is_true(v);
	return 0;
}

int ds_json_string(const json_t *obj, const char *key, unsigned flags, char **out)
{
	json_t *v;
	int r = ds_json_member(obj, key, flags, &v);

	*out = NULL;
	if (r || !v)
		return r;
	if (!json_is_string(v))
		return wrong_type(key, "a string");
	*out = strdup(json_string_value(v));
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

int ds_json_string_array(const json_t *obj, const char *key, unsigned flags, char ***out,
			 size_t *n)
{
	char **v = NULL;
	json_t *arr, *item;
	size_t i;
	int r = ds_json_member(obj, key, flags, &arr);

	*out = NULL;
	*n = 0;
	if (r)
		return r;
	if (arr && !json_is_array(arr))
		return wrong_type(key, "an array of strings");
	v = calloc((arr ? json_array_size(arr) : 0) + 1, sizeof(*v));
	if (!v)
		return ds_err(-ENOMEM, "out of memory");
	json_array_foreach(arr, i, item) {
		if (!json_is_string(item)) {
			ds_strv_free(v);
			return wrong_type(key, "an array of strings");
		}
		v[i] = strdup(json_string_value(item));
		if (!v[i]) {
			ds_strv_free(v);
			return ds_err(-ENOMEM, "out of memory");
		}
	}
	*out = v;
	*n = arr ? json_array_size(arr) : 0;
	return 0;
}

int ds_json_uint(const json_t *obj, const char *key, unsigned flags, uint64_t max,
		 uint64_t *out)
{
	json_t *v;
	int r = ds_json_member(obj, key, flags, &v);

	if (r || !v)
		return r;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return wrong_type(key, "a non-negative integer");
	if ((uint64_t)json_integer_value(v) > max)
		return ds_err(-ERANGE, "field `%s` is larger than %llu", key,
			      (unsigned long long)max);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

int ds_json_hex(const json_t *obj, const char *key, unsigned flags, struct ds_buf *out)
{
	json_t *v;
	int r = ds_json_member(obj, key, flags, &v);

	*out = (struct ds_buf){ 0 };
	if (r)
		return r;
	if (!v)
		return ds_buf_alloc(out, 0);
	if (!json_is_string(v))
		return wrong_type(key, "a hex string");
	r = ds_hex_decode(json_string_value(v), json_string_length(v), out);
	return r ? ds_err_ctx(r, "invalid hex in field `%s`", key) : 0;
}

void ds_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int ds_strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}
