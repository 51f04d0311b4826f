/* Strict reading of the agent's JSON answers. */
#include "agent/agent.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ds_agent_json_load(const uint8_t *data, size_t len, json_t **out)
{
	json_error_t error;
	json_t *root;

	root = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &error);
	if (!root) {
		/* jansson appends "near '<token>'": the token may be key material. */
		char *near = strstr(error.text, " near ");

		if (near)
			*near = '\0';
		return ds_err(-EBADMSG, "invalid JSON at byte %d: %s", error.position, error.text);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return ds_err(-EBADMSG, "JSON answer is not an object");
	}
	*out = root;
	return 0;
}

int ds_agent_json_string(const json_t *obj, const char *name, const char **out)
{
	const json_t *v = json_object_get(obj, name);

	if (!v)
		return ds_err(-EBADMSG, "member \"%s\" is missing", name);
	if (!json_is_string(v))
		return ds_err(-EBADMSG, "member \"%s\" is not a string", name);
	*out = json_string_value(v);
	return 0;
}

int ds_agent_json_strdup(const json_t *obj, const char *name, int optional, char **out)
{
	const char *s = "";
	int r = 0;

	if (!optional || json_object_get(obj, name))
		r = ds_agent_json_string(obj, name, &s);
	if (r)
		return r;
	*out = strdup(s);
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

int ds_agent_json_hex_value(const json_t *v, const char *what, struct ds_buf *out)
{
	const char *s = json_string_value(v);
	int r;

	if (!s)
		return ds_err(-EBADMSG, "%s is not a string", what);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	r = ds_hex_decode(s, strlen(s), out);
	/* A new chain: the decoder's message would quote a character. */
	return r ? ds_err(r == -ENOMEM ? r : -EBADMSG, "%s is not valid hex", what) : 0;
}

int ds_agent_json_hex(const json_t *obj, const char *name, struct ds_buf *out)
{
	const json_t *v = json_object_get(obj, name);
	char what[96];

	if (!v)
		return ds_err(-EBADMSG, "member \"%s\" is missing", name);
	snprintf(what, sizeof(what), "member \"%s\"", name);
	return ds_agent_json_hex_value(v, what, out);
}

int ds_agent_error_message(const uint8_t *data, size_t len, char *out, size_t size)
{
	const char *msg;
	json_t *root;
	size_t i;
	int r;

	r = ds_agent_json_load(data, len, &root);
	if (r)
		return -ENOENT;
	r = ds_agent_json_string(root, "error", &msg);
	if (r == 0) {
		for (i = 0; msg[i] && i + 1 < size; i++)
			out[i] = msg[i] >= 0x20 && msg[i] < 0x7f ? msg[i] : '?';
		out[i] = '\0';
	}
	json_decref(root);
	return r ? -ENOENT : 0;
}
