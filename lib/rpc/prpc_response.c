#include "rpc/prpc.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/json.h"

#include <errno.h>
#include <string.h>

/* Longest server error text kept in an error message. */
#define ERROR_TEXT_MAX 300

/* Copies at most ERROR_TEXT_MAX bytes of text, each control byte turned into
 * a space so a hostile server cannot forge log lines or drive a terminal. */
static void sanitise(const char *text, size_t len, char *out)
{
	size_t n = len < ERROR_TEXT_MAX ? len : ERROR_TEXT_MAX;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		out[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	strcpy(out + n, len > n ? "..." : "");
}

/* The server's reason: "error" of a JSON object body, else the raw body. */
static void error_text(const uint8_t *body, size_t len, char *out)
{
	json_t *doc = json_loadb((const char *)body, len, 0, NULL);
	json_t *msg = json_object_get(doc, "error");

	if (json_is_string(msg))
		sanitise(json_string_value(msg), json_string_length(msg), out);
	else
		sanitise((const char *)body, len, out);
	json_decref(doc);
}

int ds_prpc_parse_response(const char *path, long status, const uint8_t *body, size_t len,
			   json_t **out)
{
	char text[ERROR_TEXT_MAX + 4];
	int r;

	*out = NULL;
	if (status != 200) {
		error_text(body, len, text);
		ds_err(-EPROTO, "server said: %s", len ? text : "(empty body)");
		return ds_err_ctx(-EPROTO, "Invalid status code: %ld, path=%s", status, path);
	}
	if (len == 0) {
		*out = json_null();
		return 0;
	}
	r = ds_json_parse(body, len, len, "response", out);
	return r ? ds_err_ctx(r, "Failed to deserialize response of %s", path) : 0;
}

int ds_prpc_bytes(const json_t *msg, const char *field, struct ds_buf *out)
{
	json_t *v = json_object_get(msg, field);
	const char *hex;
	int r;

	*out = (struct ds_buf){ 0 };
	if (!v)
		return ds_buf_alloc(out, 0);
	if (!json_is_string(v))
		return ds_err(-EINVAL, "invalid type for field `%s`: expected a hex string", field);
	hex = ds_hex_strip_0x(json_string_value(v));
	r = ds_hex_decode(hex, strlen(hex), out);
	return r ? ds_err_ctx(r, "invalid hex in field `%s`", field) : 0;
}

int ds_prpc_string(const json_t *msg, const char *field, const char **out)
{
	json_t *v = json_object_get(msg, field);

	*out = "";
	if (!v)
		return 0;
	if (!json_is_string(v))
		return ds_err(-EINVAL, "invalid type for field `%s`: expected a string", field);
	*out = json_string_value(v);
	return 0;
}
