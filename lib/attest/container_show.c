#include "attest/container_show.h"
#include "attest/event_log.h"
#include "attest/runtime_event.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* V1: upstream prints Rust debug renderings of the platform and stack
 * (whole byte arrays, not a stable format); we print a stable summary
 * instead (docs/attestation-container.md). */
static int info_text_v1(const struct ds_attestation *a, const char *file, size_t total_bytes,
			char **out)
{
	char report_data[2 * DS_REPORT_DATA_LEN + 1], pod[64] = "";

	ds_hex_encode(a->report_data, DS_REPORT_DATA_LEN, report_data);
	if (a->report_data_payload)
		snprintf(pod, sizeof(pod), " report_data_payload_bytes=%zu",
			 strlen(a->report_data_payload));
	if (asprintf(out,
		     "file: %s\ntotal_bytes: %zu\nversion: V1\n"
		     "platform: tdx quote_bytes=%zu event_log_entries=%zu\n"
		     "stack: %s report_data=%s runtime_events=%zu config_bytes=%zu%s\n",
		     file, total_bytes, a->quote.len, a->event_log.len,
		     a->report_data_payload ? "dstack-pod" : "dstack", report_data,
		     a->runtime_events.len, strlen(a->config), pod) < 0)
		return ds_err(-ENOMEM, "out of memory");
	return 0;
}

int ds_attestation_info_text(const struct ds_attestation *a, const char *file,
			     size_t total_bytes, char **out)
{
	char *events_json = NULL;
	int r;

	if (a->wire == DS_ATT_WIRE_V1)
		return info_text_v1(a, file, total_bytes, out);
	r = ds_event_list_dump(&a->event_log, DS_JSON_COMPACT, &events_json);
	if (r)
		return r;
	/* only DstackTdx decodes, so the TDX fields are always present and
	 * there is never a TPM quote */
	if (asprintf(out,
		     "file: %s\ntotal_bytes: %zu\nversion: V0\nmode: %s\nconfig_bytes: %zu\n"
		     "tdx_quote_bytes: %zu\nevent_log_entries: %zu\nevent_log_json_bytes: %zu\n"
		     "tpm_quote_bytes: 0\n",
		     file, total_bytes, ds_att_variant_name(a->variant), strlen(a->config),
		     a->quote.len, a->event_log.len, strlen(events_json)) < 0)
		r = ds_err(-ENOMEM, "out of memory");
	free(events_json);
	return r;
}

static json_t *tdx_quote_json(const struct ds_attestation *a)
{
	char *hex = ds_hex_alloc(a->quote.data, a->quote.len);
	json_t *obj = json_object(), *events = NULL;
	int bad = !hex || !obj || ds_event_list_json(&a->event_log, &events);

	bad = bad || json_object_set_new(obj, "quote", json_string(hex));
	bad = bad || json_object_set(obj, "event_log", events);
	json_decref(events);
	free(hex);
	if (bad) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* serde_json of a Vec<u8>: an array of numbers. */
static json_t *byte_array(const uint8_t *data, size_t len)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < len; i++)
		if (json_array_append_new(arr, json_integer(data[i]))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

/* {"kind": kind, "data": data}, taking data. */
static json_t *tagged(const char *kind, json_t *data)
{
	json_t *obj = data ? json_object() : NULL;
	int bad = !obj;

	bad = bad || json_object_set_new(obj, "kind", json_string(kind));
	bad = bad || json_object_set(obj, "data", data);
	json_decref(data);
	if (bad) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *platform_json(const struct ds_attestation *a)
{
	json_t *data = json_object(), *events = NULL;
	int bad = !data || ds_event_list_json(&a->event_log, &events);

	bad = bad || json_object_set_new(data, "quote", byte_array(a->quote.data, a->quote.len));
	bad = bad || json_object_set(data, "event_log", events);
	json_decref(events);
	if (bad) {
		json_decref(data);
		return NULL;
	}
	return tagged("tdx", data);
}

static json_t *stack_json(const struct ds_attestation *a)
{
	json_t *data = json_object(), *events = json_array();
	const char *pod = a->report_data_payload;
	int bad = !data || !events;
	char *line;

	/* RuntimeEvent's JSON is the runtime log line: payload in base64 */
	for (size_t i = 0; !bad && i < a->runtime_events.len; i++) {
		const struct ds_event *ev = &a->runtime_events.items[i];

		bad = ds_runtime_line_format(ev->name, ev->payload.data, ev->payload.len,
					     ev->version, &line) ||
		      json_array_append_new(events, json_loads(line, 0, NULL));
		free(line);
	}
	bad = bad || json_object_set_new(data, "report_data",
					 byte_array(a->report_data, DS_REPORT_DATA_LEN));
	bad = bad || json_object_set(data, "runtime_events", events);
	bad = bad || json_object_set_new(data, "config", json_string(a->config));
	bad = bad || (pod && json_object_set_new(data, "report_data_payload", json_string(pod)));
	json_decref(events);
	if (bad) {
		json_decref(data);
		return NULL;
	}
	return tagged(pod ? "dstack-pod" : "dstack", data);
}

static int json_v1(const struct ds_attestation *a, char **out)
{
	json_t *doc = json_object();
	int bad = !doc, r;

	bad = bad || json_object_set_new(doc, "version", json_integer(1));
	bad = bad || json_object_set_new(doc, "platform", platform_json(a));
	bad = bad || json_object_set_new(doc, "stack", stack_json(a));
	r = bad ? ds_err(-ENOMEM, "failed to build the attestation JSON") :
		  ds_json_dump(doc, DS_JSON_PRETTY, out);
	json_decref(doc);
	return r;
}

int ds_attestation_json(const struct ds_attestation *a, char **out)
{
	json_t *doc;
	int bad, r;

	if (a->wire == DS_ATT_WIRE_V1)
		return json_v1(a, out);
	doc = json_object();
	bad = !doc;

	bad = bad || json_object_set_new(doc, "version", json_string("V0"));
	bad = bad || json_object_set_new(doc, "mode", json_string(ds_att_variant_id(a->variant)));
	bad = bad || json_object_set_new(doc, "config", json_string(a->config));
	bad = bad || json_object_set_new(doc, "tdx_quote", tdx_quote_json(a));
	bad = bad || json_object_set_new(doc, "tpm_quote", json_null());
	r = bad ? ds_err(-ENOMEM, "failed to build the attestation JSON") :
		  ds_json_dump(doc, DS_JSON_PRETTY, out);
	json_decref(doc);
	return r;
}
