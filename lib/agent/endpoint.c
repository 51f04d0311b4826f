/* Which agent to talk to (spec guest-agent-api.md 1.2). The SDKs' order,
 * with one stricter rule: an empty explicit endpoint or environment
 * variable is an error, so a typo never silently selects another agent. */
#include "agent/agent.h"
#include "util/err.h"

#include <errno.h>
#include <unistd.h>

const char *const ds_agent_socket_candidates[] = {
	"/var/run/dstack.sock",
	"/run/dstack.sock",
	"/var/run/dstack/dstack.sock",
	"/run/dstack/dstack.sock",
	NULL,
};

int ds_agent_endpoint_resolve(const char *explicit_endpoint, const char *env,
			      const char *const *candidates, const char **out)
{
	if (explicit_endpoint) {
		if (!*explicit_endpoint)
			return ds_err(-EINVAL, "the guest-agent endpoint is empty");
		*out = explicit_endpoint;
		return 0;
	}
	if (env) {
		if (!*env)
			return ds_err(-EINVAL, "DSTACK_SIMULATOR_ENDPOINT is set but empty");
		*out = env;
		return 0;
	}
	/* Existence only, as the SDKs: the connect reports anything else. */
	for (size_t i = 0; candidates[i]; i++) {
		if (access(candidates[i], F_OK) == 0) {
			*out = candidates[i];
			return 0;
		}
	}
	*out = candidates[0];
	return 0;
}
