/* Info (spec guest-agent-api.md 2.4): the app's identity from the work-dir
 * files (ids, compose, key provider, VM config; never a key) and the TCB
 * from a fresh quote (MRTD, RTMRs, the unstripped event log), with
 * mr_aggregated and device_id computed as `show` does. app_cert stays ""
 * (this agent requests no demo certificate). */
#include "agentd/request.h"
#include "attest/app_info.h"
#include "attest/event_log.h"
#include "attest/quote.h"
#include "util/err.h"
#include "util/file.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#define DMI_MAX 256

static json_t *buf_hex(const struct ds_buf *b)
{
	return ds_agentd_hex_json(b->data, b->len);
}

static json_t *text_json(const char *s, size_t len)
{
	return json_stringn(s, len);
}

/* A DMI string, trimmed; "" when unreadable, as upstream. */
static json_t *dmi_string(const char *name)
{
	char path[64];
	struct ds_buf b = { 0 };
	size_t start = 0, end;
	json_t *s;

	snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", name);
	if (ds_read_file(path, DMI_MAX, &b)) {
		ds_err_clear();
		return json_string("");
	}
	end = b.len;
	while (start < end && isspace(b.data[start]))
		start++;
	while (end > start && isspace(b.data[end - 1]))
		end--;
	s = json_stringn((const char *)b.data + start, end - start);
	ds_buf_free(&b);
	return s ? s : json_string("");
}

static int tcb_info(const struct ds_agentd *a, const struct ds_td10 *td,
		    const struct ds_app_info *info, const struct ds_event_list *log, json_t **out)
{
	json_t *obj = json_object(), *events = NULL;
	int r = obj ? 0 : ds_err(-ENOMEM, "out of memory");
	static const char *const rtmr[] = { "rtmr0", "rtmr1", "rtmr2", "rtmr3" };

	r = r ?: ds_agentd_set(obj, "mrtd", ds_agentd_hex_json(td->mr_td, 48));
	for (int i = 0; i < 4 && r == 0; i++)
		r = ds_agentd_set(obj, rtmr[i], ds_agentd_hex_json(td->rt_mr[i], 48));
	r = r ?: ds_agentd_set(obj, "mr_aggregated", ds_agentd_hex_json(info->mr_aggregated, 32));
	r = r ?: ds_agentd_set(obj, "os_image_hash", buf_hex(&a->host.os_image_hash));
	r = r ?: ds_agentd_set(obj, "compose_hash", ds_agentd_hex_json(a->host.compose_hash, 32));
	r = r ?: ds_agentd_set(obj, "device_id", ds_agentd_hex_json(info->device_id, 32));
	r = r ?: ds_event_list_json(log, &events);
	r = r ?: ds_agentd_set(obj, "event_log", events);
	r = r ?: ds_agentd_set(obj, "app_compose",
			       text_json((const char *)a->host.app_compose.data, a->host.app_compose.len));
	if (r) {
		json_decref(obj);
		return r;
	}
	return ds_agentd_json_text(obj, 1, out);
}

static int answer(const struct ds_agentd *a, const struct ds_td10 *td,
		  const struct ds_app_info *info, const struct ds_attestation *att, json_t **out)
{
	json_t *obj = json_object(), *tcb = NULL;
	int r = obj ? 0 : ds_err(-ENOMEM, "out of memory");

	r = r ?: ds_agentd_set(obj, "app_id", ds_agentd_hex_json(a->host.app_id, sizeof(a->host.app_id)));
	r = r ?: ds_agentd_set(obj, "instance_id", buf_hex(&a->host.instance_id));
	r = r ?: ds_agentd_set(obj, "app_cert", json_string(""));
	r = r ?: tcb_info(a, td, info, &att->event_log, &tcb);
	r = r ?: ds_agentd_set(obj, "tcb_info", tcb);
	r = r ?: ds_agentd_set(obj, "app_name", json_string(a->host.app_name));
	r = r ?: ds_agentd_set(obj, "device_id", ds_agentd_hex_json(info->device_id, 32));
	r = r ?: ds_agentd_set(obj, "mr_aggregated", ds_agentd_hex_json(info->mr_aggregated, 32));
	r = r ?: ds_agentd_set(obj, "os_image_hash", buf_hex(&a->host.os_image_hash));
	r = r ?: ds_agentd_set(obj, "key_provider_info",
			       text_json((const char *)a->key_provider_info.data,
					 a->key_provider_info.len));
	r = r ?: ds_agentd_set(obj, "compose_hash", ds_agentd_hex_json(a->host.compose_hash, 32));
	r = r ?: ds_agentd_set(obj, "vm_config", json_string(a->host.vm_config));
	r = r ?: ds_agentd_set(obj, "cloud_vendor", dmi_string("sys_vendor"));
	r = r ?: ds_agentd_set(obj, "cloud_product", dmi_string("product_name"));
	if (r) {
		json_decref(obj);
		return r;
	}
	*out = obj;
	return 0;
}

int ds_agentd_info(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	static const uint8_t zero[DS_REPORT_DATA_LEN];
	struct ds_attestation att = { 0 };
	struct ds_app_info info = { 0 };
	const struct ds_td10 *td = NULL;
	struct ds_quote q;
	int r;

	(void)req;
	r = a->backend->attest(zero, a->sys_config_path, &att);
	r = r ?: ds_quote_parse(att.quote.data, att.quote.len, &q);
	r = r ?: ds_quote_td_report(&q, &td);
	r = r ?: ds_app_info_new(att.quote.data, att.quote.len, &att.runtime_events,
				 att.config ? att.config : "", 0, &info);
	r = r ?: answer(a, td, &info, &att, out);
	ds_app_info_free(&info);
	ds_attestation_free(&att);
	return r ? ds_err_ctx(r, "Failed to get app info") : 0;
}
