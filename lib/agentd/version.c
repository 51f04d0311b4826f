/* Version (spec guest-agent-api.md 2.8): what SDKs probe before using the
 * options of agents >= 0.5.7. */
#include "agentd/request.h"
#include "util/err.h"

#include <errno.h>

int ds_agentd_version(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	(void)req;
	*out = json_pack("{s:s, s:s}", "version", a->version ? a->version : "",
			 "rev", a->rev ? a->rev : "");
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}
