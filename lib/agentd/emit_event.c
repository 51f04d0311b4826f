/* EmitEvent (spec guest-agent-api.md 2.10, agents 0.5.0 to 0.5.11): one
 * runtime event into RTMR3 and the runtime log, under the runtime lock the
 * other emitters of this guest share. */
#include "agentd/request.h"
#include "util/err.h"

#include <errno.h>

int ds_agentd_emit_event(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	struct ds_buf payload = { 0 };
	const char *event;
	int r;

	r = ds_agentd_req_str(req, "event", &event);
	r = r ?: ds_agentd_req_hex(req, "payload", &payload);
	if (r == 0 && !*event)
		r = ds_err(-EINVAL, "event name cannot be empty");
	r = r ?: a->backend->emit(event, payload.data, payload.len);
	ds_buf_free(&payload);
	if (r)
		return ds_err_ctx(r, "Failed to emit event");
	*out = json_object();
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}
