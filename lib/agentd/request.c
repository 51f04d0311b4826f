#include "agentd/request.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/json.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "a map";
	case JSON_ARRAY: return "a sequence";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a floating point number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int wrong_type(const char *key, const json_t *v, const char *expected)
{
	return ds_err(-EINVAL, "invalid type for `%s`: %s, expected %s", key, type_name(v), expected);
}

int ds_agentd_req_str(const struct ds_agentd_req *r, const char *key, const char **out)
{
	const json_t *v = json_object_get(r->obj, key);

	*out = "";
	if (!v)
		return 0;
	if (!json_is_string(v))
		return wrong_type(key, v, "a string");
	*out = json_string_value(v);
	return 0;
}

int ds_agentd_req_hex(const struct ds_agentd_req *r, const char *key, struct ds_buf *out)
{
	const char *s, *hex;
	int rc = ds_agentd_req_str(r, key, &s);

	if (rc)
		return rc;
	hex = ds_hex_strip_0x(s);
	rc = ds_hex_decode(hex, strlen(hex), out);
	return rc ? ds_err_ctx(rc, "invalid hex in `%s`", key) : 0;
}

int ds_agentd_req_report_data(const struct ds_agentd_req *r,
			      uint8_t out[DS_REPORT_DATA_LEN])
{
	struct ds_buf rd = { 0 };
	int rc = ds_agentd_req_hex(r, "report_data", &rd);

	memset(out, 0, DS_REPORT_DATA_LEN);
	if (rc == 0 && rd.len > DS_REPORT_DATA_LEN)
		rc = ds_err(-EINVAL, "Report data is too long");
	if (rc == 0 && rd.len)
		memcpy(out, rd.data, rd.len);
	ds_buf_free(&rd);
	return rc;
}

int ds_agentd_req_bool(const struct ds_agentd_req *r, const char *key, int *out)
{
	const json_t *v = json_object_get(r->obj, key);

	*out = 0;
	if (!v)
		return 0;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (r->form && json_is_string(v) && !strcmp(json_string_value(v), "true")) {
		*out = 1;
		return 0;
	}
	if (r->form && json_is_string(v) && !strcmp(json_string_value(v), "false"))
		return 0;
	return wrong_type(key, v, "a boolean");
}

static int parse_u64_text(const char *key, const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return ds_err(-EINVAL, "invalid number for `%s`", key);
	*out = strtoull(s, &end, 10);
	if (errno || *end)
		return ds_err(-EINVAL, "invalid number for `%s`", key);
	return 0;
}

int ds_agentd_req_opt_u64(const struct ds_agentd_req *r, const char *key, int *has,
			  uint64_t *out)
{
	const json_t *v = json_object_get(r->obj, key);

	*has = 0;
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (r->form && json_is_string(v)) {
		*has = 1;
		return parse_u64_text(key, json_string_value(v), out);
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return wrong_type(key, v, "u64");
	*has = 1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

int ds_agentd_req_strv(const struct ds_agentd_req *r, const char *key, const char ***out,
		       size_t *n)
{
	const json_t *v = json_object_get(r->obj, key);
	size_t len = json_array_size(v);

	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return wrong_type(key, v, "a sequence");
	*out = calloc(len ? len : 1, sizeof(**out));
	if (!*out)
		return ds_err(-ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		const json_t *s = json_array_get(v, i);

		if (!json_is_string(s)) {
			free(*out);
			*out = NULL;
			return wrong_type(key, s, "a string");
		}
		(*out)[i] = json_string_value(s);
	}
	*n = len;
	return 0;
}

json_t *ds_agentd_hex_json(const uint8_t *data, size_t len)
{
	char *hex = ds_hex_alloc(data, len);
	json_t *s = hex ? json_string(hex) : NULL;

	if (hex)
		OPENSSL_cleanse(hex, 2 * len);  /* it may be a key */
	free(hex);
	return s;
}

int ds_agentd_set(json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v))
		return ds_err(-ENOMEM, "out of memory");
	return 0;
}

int ds_agentd_json_text(json_t *v, int pretty, json_t **out)
{
	char *text = NULL;
	int r = ds_json_dump(v, pretty ? DS_JSON_PRETTY : DS_JSON_COMPACT, &text);

	json_decref(v);
	if (r)
		return r;
	*out = json_string(text);
	free(text);
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}
