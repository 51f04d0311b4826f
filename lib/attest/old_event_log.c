#include "attest/old_event_log.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int get_u32(json_t *obj, const char *key, uint32_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > UINT32_MAX)
		return ds_err(-EBADMSG, "missing or invalid u32 field `%s`", key);
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

static int get_hex(json_t *obj, const char *key, struct ds_buf *out)
{
	json_t *v = json_object_get(obj, key);
	int r;

	if (!json_is_string(v))
		return ds_err(-EBADMSG, "missing or non-string field `%s`", key);
	r = ds_hex_decode(json_string_value(v), json_string_length(v), out);
	return r ? ds_err_ctx(r, "invalid hex in field `%s`", key) : 0;
}

static int get_name(json_t *obj, char **out)
{
	json_t *v = json_object_get(obj, "event");

	if (!json_is_string(v))
		return ds_err(-EBADMSG, "missing or non-string field `event`");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return ds_err(-EBADMSG, "event name contains a NUL character");
	*out = strdup(json_string_value(v));
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

static int event_from_json(json_t *obj, struct ds_event *ev)
{
	int r;

	*ev = (struct ds_event){ 0 };
	if (!json_is_object(obj))
		return ds_err(-EBADMSG, "event is not a JSON object");
	r = get_u32(obj, "imr", &ev->imr);
	r = r ?: get_u32(obj, "event_type", &ev->event_type);
	r = r ?: get_hex(obj, "digest", &ev->digest);
	if (r == 0 && ev->digest.len != DS_SHA384_LEN)
		r = ds_err(-EBADMSG, "digest must be %d bytes, got %zu", DS_SHA384_LEN,
			   ev->digest.len);
	r = r ?: get_name(obj, &ev->name);
	r = r ?: get_hex(obj, "event_payload", &ev->payload);
	if (r)
		ds_event_clear(ev);
	return r;
}

static int push_json_event(struct ds_event_list *list, json_t *obj)
{
	struct ds_event ev;
	int r = event_from_json(obj, &ev);

	return r ?: ds_event_list_push(list, &ev);
}

int ds_old_event_log_parse(const uint8_t *data, size_t len, struct ds_event_list *out)
{
	struct ds_event_list list = { 0 };
	json_error_t jerr;
	json_t *arr = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &jerr);
	int r = 0;

	if (!arr)
		return ds_err(-EBADMSG, "invalid event log JSON: %s", jerr.text);
	if (!json_is_array(arr))
		r = ds_err(-EBADMSG, "event log is not a JSON array");
	for (size_t i = 0; r == 0 && i < json_array_size(arr); i++) {
		r = push_json_event(&list, json_array_get(arr, i));
		if (r)
			ds_err_ctx(r, "event %zu", i);
	}
	json_decref(arr);
	if (r) {
		ds_event_list_free(&list);
		return ds_err_ctx(r, "Failed to decode event log");
	}
	*out = list;
	return 0;
}

static int parse_line(const uint8_t *line, size_t len, struct ds_event *out)
{
	json_error_t jerr;
	json_t *obj = json_loadb((const char *)line, len, JSON_REJECT_DUPLICATES, &jerr);
	int r;

	if (!obj)
		return ds_err(-EBADMSG, "invalid JSON: %s", jerr.text);
	r = event_from_json(obj, out);
	json_decref(obj);
	return r;
}

int ds_old_runtime_log_parse(const uint8_t *data, size_t len, struct ds_event_list *out)
{
	return ds_event_list_parse_lines(data, len, parse_line, out);
}
