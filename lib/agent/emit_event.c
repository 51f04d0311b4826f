/* EmitEvent: a runtime event measured by the agent (spec guest-agent-api.md
 * 2.10; agents 0.5.0 to 0.5.11, removed upstream since). */
#include "agent/agent.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <stdlib.h>

#define MAX_PAYLOAD (1u << 20)

int dstack_emit_event(dstack_client *client, const char *event, const uint8_t *payload,
		      size_t len)
{
	struct ds_buf body = { 0 };
	json_t *req;
	char *hex;
	int r;

	if (!client || !event || (len && !payload))
		return ds_err(-EINVAL, "EmitEvent needs a client, an event name and its payload");
	if (!*event)
		return ds_err(-EINVAL, "event name cannot be empty");
	if (len > MAX_PAYLOAD)
		return ds_err(-EFBIG, "event payload is %zu bytes, at most %u are allowed", len, MAX_PAYLOAD);
	hex = ds_hex_alloc(payload, len);
	if (!hex)
		return ds_err(-ENOMEM, "out of memory");
	req = json_pack("{s:s, s:s}", "event", event, "payload", hex);
	free(hex);
	if (!req)
		return ds_err(-EINVAL, "event name must be valid UTF-8");
	/* Any 200 answer means the event was measured; its body is not used. */
	r = ds_agent_call(client, "EmitEvent", req, DS_AGENT_SMALL_ANSWER, &body);
	if (r == -EOPNOTSUPP)
		return ds_err_ctx(r, "this guest agent cannot emit events (EmitEvent was removed after 0.5.11)");
	ds_buf_free(&body);
	return r;
}
