#include "attest/event_log.h"
#include "attest/ccel.h"
#include "attest/runtime_event.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

int ds_event_log_read(struct ds_event_list *out)
{
	struct ds_event_list full = { 0 }, runtime = { 0 };
	char path[PATH_MAX];
	int r = ds_ccel_read(DS_CCEL_NEW, &full);

	r = r ?: ds_runtime_log_file(DS_RUNTIME_LOG_NAME, path, sizeof(path));
	r = r ?: ds_runtime_log_read(path, &runtime);
	r = r ?: ds_event_list_append(&full, &runtime);
	ds_event_list_free(&runtime);
	if (r) {
		ds_event_list_free(&full);
		return r;
	}
	*out = full;
	return 0;
}

static json_t *hex_string(const struct ds_buf *b)
{
	char *hex = ds_hex_alloc(b->data, b->len);
	json_t *s = hex ? json_string(hex) : NULL;

	free(hex);
	return s;
}

int ds_event_json(const struct ds_event *ev, json_t **out)
{
	json_t *obj = json_object(), *name = json_string(ev->name);
	int bad = !obj || !name;

	bad = bad || json_object_set_new(obj, "imr", json_integer(ev->imr));
	bad = bad || json_object_set_new(obj, "event_type", json_integer(ev->event_type));
	bad = bad || json_object_set_new(obj, "digest", hex_string(&ev->digest));
	bad = bad || json_object_set(obj, "event", name);
	bad = bad || json_object_set_new(obj, "event_payload", hex_string(&ev->payload));
	bad = bad || (ev->version == 2 && json_object_set_new(obj, "version", json_integer(2)));
	bad = bad || (ev->preimage && json_object_set_new(obj, "preimage", json_string(ev->preimage)));
	json_decref(name);
	if (bad) {
		json_decref(obj);
		/* json_string also fails on invalid UTF-8, which no parser lets in */
		return ds_err(-ENOMEM, "failed to build the JSON of event '%s'", ev->name);
	}
	*out = obj;
	return 0;
}

int ds_event_list_json(const struct ds_event_list *list, json_t **out)
{
	json_t *arr = json_array();
	int r = arr ? 0 : ds_err(-ENOMEM, "out of memory");

	for (size_t i = 0; i < list->len && r == 0; i++) {
		json_t *obj;

		r = ds_event_json(&list->items[i], &obj);
		if (r == 0 && json_array_append_new(arr, obj))
			r = ds_err(-ENOMEM, "out of memory");
	}
	if (r) {
		json_decref(arr);
		return r;
	}
	*out = arr;
	return 0;
}

int ds_event_list_dump(const struct ds_event_list *list, enum ds_json_style style, char **out)
{
	json_t *arr;
	int r = ds_event_list_json(list, &arr);

	if (r)
		return r;
	r = ds_json_dump(arr, style, out);
	json_decref(arr);
	return r;
}
