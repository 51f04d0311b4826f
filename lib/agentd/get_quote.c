/* GetQuote (spec guest-agent-api.md 2.2, 4.3): a TDX quote over the
 * caller's report data (at most 64 bytes, right-padded with zeros, never
 * hashed), the size-reduced event log of real hardware as JSON text, the
 * padded report data and the VM config. */
#include "agentd/request.h"
#include "attest/event_log.h"
#include "util/err.h"

#include <errno.h>

/* Boot events keep their digest and lose their payload (but the ACPI DATA
 * markers); runtime events keep their payload and lose their digest. */
static void strip_for_quote(struct ds_event_list *log)
{
	for (size_t i = 0; i < log->len; i++) {
		struct ds_event *ev = &log->items[i];

		if (ev->event_type == DS_RUNTIME_EVENT_TYPE)
			ds_buf_free(&ev->digest);
		else if (!ds_event_is_acpi_data(ev))
			ds_buf_free(&ev->payload);
	}
}

static int event_log_text(struct ds_event_list *log, json_t **out)
{
	json_t *arr = NULL;
	int r;

	strip_for_quote(log);
	r = ds_event_list_json(log, &arr);
	return r ?: ds_agentd_json_text(arr, 0, out);
}

static int answer(struct ds_attestation *att, json_t **out)
{
	json_t *obj = json_object(), *log = NULL;
	int r = obj ? 0 : ds_err(-ENOMEM, "out of memory");

	r = r ?: ds_agentd_set(obj, "quote", ds_agentd_hex_json(att->quote.data, att->quote.len));
	r = r ?: event_log_text(&att->event_log, &log);
	r = r ?: ds_agentd_set(obj, "event_log", log);
	r = r ?: ds_agentd_set(obj, "report_data",
			       ds_agentd_hex_json(att->report_data, sizeof(att->report_data)));
	r = r ?: ds_agentd_set(obj, "vm_config", json_string(att->config ? att->config : ""));
	if (r) {
		json_decref(obj);
		return r;
	}
	*out = obj;
	return 0;
}

int ds_agentd_get_quote(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	uint8_t report_data[DS_REPORT_DATA_LEN];
	struct ds_attestation att = { 0 };
	int r;

	r = ds_agentd_req_report_data(req, report_data);
	r = r ?: a->backend->attest(report_data, a->sys_config_path, &att);
	r = r ?: answer(&att, out);
	ds_attestation_free(&att);
	return r;
}
