#include "attest/container_show.h"
#include "attest/event_log.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ds_attestation_info_text(const struct ds_attestation *a, const char *file,
			     size_t total_bytes, char **out)
{
	char *events_json = NULL;
	int r = ds_event_list_dump(&a->event_log, DS_JSON_COMPACT, &events_json);

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

int ds_attestation_json(const struct ds_attestation *a, char **out)
{
	json_t *doc = json_object();
	int bad = !doc, r;

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
