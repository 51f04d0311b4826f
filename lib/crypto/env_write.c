#include "crypto/env_vars.h"
#include "util/err.h"
#include "util/file.h"
#include "util/json.h"
#include "util/json_wipe.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Characters that make upstream wrap a value in double quotes. */
static int needs_quotes(char c)
{
	return c && strchr(" \t|&;<>()$`\\\"'\n", c) != NULL;
}

static const char *shell_escape(char c)
{
	switch (c) {
	case '\n': return "\\n";
	case '"': return "\\\"";
	case '$': return "\\$";
	case '`': return "\\`";
	}
	return NULL;
}

/* Writes ESC(value) at out, or only measures it when out is NULL; returns
 * its length. Backslashes are deliberately not doubled (upstream quirk). */
static size_t shell_value(char *out, const char *v, size_t len)
{
	size_t n = 0;
	int quote = 0;

	for (size_t i = 0; i < len; i++)
		quote |= needs_quotes(v[i]);
	if (quote && out)
		out[n] = '"';
	n += (size_t)quote;
	for (size_t i = 0; i < len; i++) {
		const char *e = shell_escape(v[i]);
		size_t elen = e ? 2 : 1;

		if (out)
			memcpy(out + n, e ? e : &v[i], elen);
		n += elen;
	}
	if (quote && out)
		out[n] = '"';
	return n + (size_t)quote;
}

int ds_env_render_shell(const struct ds_env_map *m, struct ds_buf *out)
{
	size_t total = 0, pos = 0;
	int r;

	for (size_t i = 0; i < m->len; i++)
		total += strlen(m->items[i].key) + 2 +
			 shell_value(NULL, m->items[i].value, m->items[i].value_len);
	r = ds_buf_alloc(out, total);
	for (size_t i = 0; r == 0 && i < m->len; i++) {
		size_t klen = strlen(m->items[i].key);

		memcpy(out->data + pos, m->items[i].key, klen);
		pos += klen;
		out->data[pos++] = '=';
		pos += shell_value((char *)out->data + pos, m->items[i].value,
				   m->items[i].value_len);
		out->data[pos++] = '\n';
	}
	return r;
}

int ds_env_render_json(const struct ds_env_map *m, struct ds_buf *out)
{
	json_t *doc;
	char *text = NULL;
	int bad, r;

	*out = (struct ds_buf){ 0 };
	/* Values are secrets: jansson must wipe its copies when it frees them. */
	ds_json_wipe_on_free();
	doc = json_object();
	bad = !doc;
	for (size_t i = 0; !bad && i < m->len; i++)
		bad = json_object_set_new(doc, m->items[i].key,
					  json_stringn(m->items[i].value, m->items[i].value_len));
	r = bad ? ds_err(-ENOMEM, "failed to build the env JSON")
		: ds_json_dump(doc, DS_JSON_COMPACT, &text);
	json_decref(doc);
	if (r == 0) {
		out->data = (uint8_t *)text;
		out->len = strlen(text);
	}
	return r;
}

int ds_env_write_files(const char *dir, const struct ds_env_map *m)
{
	struct ds_buf shell = { 0 }, json = { 0 };
	char env_path[PATH_MAX], json_path[PATH_MAX];
	int r;

	if ((size_t)snprintf(env_path, sizeof(env_path), "%s/%s", dir, DS_DECRYPTED_ENV_NAME) >=
		    sizeof(env_path) ||
	    (size_t)snprintf(json_path, sizeof(json_path), "%s/%s", dir,
			     DS_DECRYPTED_ENV_JSON_NAME) >= sizeof(json_path))
		return ds_err(-ENAMETOOLONG, "directory path too long: %s", dir);
	r = ds_env_render_shell(m, &shell);
	if (r == 0)
		r = ds_env_render_json(m, &json);
	if (r == 0)
		r = ds_write_file_atomic(env_path, shell.data, shell.len, 0600);
	if (r == 0) {
		r = ds_write_file_atomic(json_path, json.data, json.len, 0600);
		if (r)
			unlink(env_path);
	}
	ds_buf_wipe(&shell);
	ds_buf_wipe(&json);
	return r ? ds_err_ctx(r, "failed to write the decrypted env files") : 0;
}
