#include "attest/runtime_event.h"
#include "util/b64.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"
#include "util/jcs.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_RUNTIME_LOG_DIR "/run/log/dstack"

int ds_runtime_log_dir(const char **out)
{
	int r = ds_env_path("DSTACK_RUNTIME_LOG_DIR", out);

	if (r == 0 && !*out)
		*out = DEFAULT_RUNTIME_LOG_DIR;
	return r;
}

int ds_runtime_log_file(const char *file, char *out, size_t size)
{
	const char *dir;
	int r = ds_runtime_log_dir(&dir);

	if (r)
		return r;
	if ((size_t)snprintf(out, size, "%s/%s", dir, file) >= size)
		return ds_err(-ENAMETOOLONG, "runtime log path too long: %s/%s", dir, file);
	return 0;
}

/* The preimage is written to a sink: a buffer (to show it) or a running
 * SHA-384 (to hash it without building it). */
struct preimage_sink {
	struct ds_buf *buf;
	struct ds_sha384 *hash;
};

static int sink_put(struct preimage_sink *s, const void *data, size_t len)
{
	static const size_t max = DS_RUNTIME_LINE_MAX * 8;

	if (s->hash)
		return ds_sha384_update(s->hash, data, len);
	return ds_buf_append(s->buf, data, len, max);
}

static int sink_str(struct preimage_sink *s, const char *str)
{
	return sink_put(s, str, strlen(str));
}

static int sink_put_cb(void *ctx, const void *data, size_t len)
{
	return sink_put(ctx, data, len);
}

static int hex_stream(struct preimage_sink *s, const uint8_t *data, size_t len)
{
	char chunk[2 * 64 + 1];
	int r = 0;

	for (size_t off = 0; off < len && r == 0; off += 64) {
		size_t n = len - off < 64 ? len - off : 64;

		ds_hex_encode(data + off, n, chunk);
		r = sink_put(s, chunk, 2 * n);
	}
	return r;
}

static int write_preimage(struct preimage_sink *s, const char *name, const uint8_t *payload,
			  size_t len, int version)
{
	static const uint8_t type_le[4] = { 0x01, 0x00, 0x00, 0x08 };
	int r;

	if (version == 1) {
		r = sink_put(s, type_le, 4);
		r = r ?: sink_str(s, ":");
		r = r ?: sink_str(s, name);
		r = r ?: sink_str(s, ":");
		return r ?: sink_put(s, payload, len);
	}
	if (version != 2)
		return ds_err(-EINVAL, "invalid runtime event version: %d", version);
	r = sink_str(s, "{\"name\":\"");
	r = r ?: ds_jcs_escape(name, sink_put_cb, s);
	r = r ?: sink_str(s, "\",\"payload\":\"");
	r = r ?: hex_stream(s, payload, len);
	return r ?: sink_str(s, "\",\"type\":134217729}");
}

int ds_runtime_preimage(const char *name, const uint8_t *payload, size_t len, int version,
			struct ds_buf *out)
{
	struct ds_buf b = { 0 };
	struct preimage_sink s = { .buf = &b };
	int r = ds_buf_alloc(&b, 0);

	r = r ?: write_preimage(&s, name, payload, len, version);
	if (r)
		ds_buf_free(&b);
	else
		*out = b;
	return r;
}

int ds_runtime_fill_v2_preimages(struct ds_event_list *list)
{
	int r = 0;

	for (size_t i = 0; i < list->len && r == 0; i++) {
		struct ds_event *ev = &list->items[i];
		struct ds_buf pre = { 0 };

		if (ev->event_type != DS_RUNTIME_EVENT_TYPE || ev->version != 2 || ev->preimage)
			continue;
		r = ds_runtime_preimage(ev->name, ev->payload.data, ev->payload.len, 2, &pre);
		ev->preimage = r ? NULL : ds_hex_alloc(pre.data, pre.len);
		if (r == 0 && !ev->preimage)
			r = ds_err(-ENOMEM, "out of memory");
		ds_buf_free(&pre);
	}
	return r;
}

int ds_runtime_digest_with(struct ds_sha384 *h, const char *name, const uint8_t *payload,
			   size_t len, int version, uint8_t out[DS_SHA384_LEN])
{
	struct preimage_sink s = { .hash = h };
	int r = ds_sha384_begin(h);

	r = r ?: write_preimage(&s, name, payload, len, version);
	return r ?: ds_sha384_end(h, out);
}

int ds_runtime_digest(const char *name, const uint8_t *payload, size_t len, int version,
		      uint8_t out[DS_SHA384_LEN])
{
	struct ds_sha384 h;
	int r = ds_sha384_init(&h);

	r = r ?: ds_runtime_digest_with(&h, name, payload, len, version, out);
	ds_sha384_free(&h);
	return r;
}

int ds_runtime_line_format(const char *name, const uint8_t *payload, size_t len, int version,
			   char **out)
{
	char *b64 = ds_b64_encode(payload, len);
	json_t *obj = NULL, *jname;
	int r = 0;

	if (!b64)
		return ds_err(-ENOMEM, "out of memory");
	jname = json_string(name);
	if (!jname) {
		r = ds_err(-EINVAL, "event name is not valid UTF-8");
		goto out;
	}
	obj = json_object();
	if (!obj || json_object_set_new(obj, "event", jname) ||
	    json_object_set_new(obj, "payload", json_string(b64)) ||
	    (version == 2 && json_object_set_new(obj, "version", json_integer(2)))) {
		r = ds_err(-ENOMEM, "out of memory");
		goto out;
	}
	*out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!*out)
		r = ds_err(-ENOMEM, "out of memory");
out:
	json_decref(obj);
	free(b64);
	return r;
}

static int line_fields(json_t *obj, const char **name, const char **b64, size_t *b64_len,
		       int *version)
{
	json_t *jname = json_object_get(obj, "event");
	json_t *jpayload = json_object_get(obj, "payload");
	json_t *jversion = json_object_get(obj, "version");

	if (!json_is_string(jname))
		return ds_err(-EINVAL, "missing or non-string field `event`");
	if (!json_is_string(jpayload))
		return ds_err(-EINVAL, "missing or non-string field `payload`");
	*name = json_string_value(jname);
	if (strlen(*name) != json_string_length(jname))
		return ds_err(-EINVAL, "event name contains a NUL character");
	*b64 = json_string_value(jpayload);
	*b64_len = json_string_length(jpayload);
	*version = 1;
	if (jversion && !json_is_null(jversion)) {
		if (!json_is_integer(jversion))
			return ds_err(-EINVAL, "field `version` is not an integer");
		if (json_integer_value(jversion) != 1 && json_integer_value(jversion) != 2)
			return ds_err(-EINVAL, "unknown event log version: %lld",
				      (long long)json_integer_value(jversion));
		*version = (int)json_integer_value(jversion);
	}
	return 0;
}

int ds_runtime_line_parse(const char *line, size_t len, struct ds_event *out)
{
	struct ds_event ev = { .imr = 3, .event_type = DS_RUNTIME_EVENT_TYPE };
	const char *name = NULL, *b64 = NULL;
	size_t b64_len = 0;
	json_error_t jerr;
	json_t *obj;
	int r;

	if (len > DS_RUNTIME_LINE_MAX)
		return ds_err(-EFBIG, "runtime event line longer than %u bytes", DS_RUNTIME_LINE_MAX);
	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj)
		return ds_err(-EINVAL, "invalid JSON: %s", jerr.text);
	if (!json_is_object(obj)) {
		r = ds_err(-EINVAL, "runtime event is not a JSON object");
		goto out;
	}
	r = line_fields(obj, &name, &b64, &b64_len, &ev.version);
	if (r)
		goto out;
	r = ds_b64_decode(b64, b64_len, &ev.payload);
	if (r) {
		ds_err_ctx(r, "invalid base64 in field `payload`");
		goto out;
	}
	ev.name = strdup(name);
	r = ev.name ? ds_buf_alloc(&ev.digest, DS_SHA384_LEN) : ds_err(-ENOMEM, "out of memory");
	r = r ?: ds_runtime_digest(ev.name, ev.payload.data, ev.payload.len, ev.version,
				  ev.digest.data);
	if (r)
		goto out;
	*out = ev;
	ev = (struct ds_event){ 0 };
out:
	ds_event_clear(&ev);
	json_decref(obj);
	return r;
}

static int parse_line(const uint8_t *line, size_t len, struct ds_event *out)
{
	return ds_runtime_line_parse((const char *)line, len, out);
}

int ds_runtime_log_parse(const uint8_t *data, size_t len, struct ds_event_list *out)
{
	return ds_event_list_parse_lines(data, len, parse_line, out);
}

int ds_runtime_log_read(const char *path, struct ds_event_list *out)
{
	struct ds_buf data = { 0 };
	int r = ds_read_file(path, DS_RUNTIME_LOG_MAX, &data);

	if (r == -ENOENT) {
		ds_err_clear();
		*out = (struct ds_event_list){ 0 };
		return 0;
	}
	if (r)
		return r;
	r = ds_runtime_log_parse(data.data, data.len, out);
	ds_buf_free(&data);
	return r;
}
