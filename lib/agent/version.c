/* Version: the agent's release, also the probe for newer request members
 * (spec guest-agent-api.md 2.8, 2.11). */
#include "agent/agent.h"
#include "util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ds_agent_version_parse(const uint8_t *data, size_t len, struct dstack_version *out)
{
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	r = ds_agent_json_strdup(root, "version", 0, &out->version);
	if (r == 0 && !*out->version)
		r = ds_err(-EBADMSG, "member \"version\" is empty");
	if (r == 0)
		r = ds_agent_json_strdup(root, "rev", 0, &out->rev);
	json_decref(root);
	if (r)
		dstack_version_free(out);
	return r;
}

int dstack_get_version(dstack_client *client, struct dstack_version *out)
{
	struct ds_buf body = { 0 };
	int r;

	if (!client || !out)
		return ds_err(-EINVAL, "Version needs a client and a result");
	memset(out, 0, sizeof(*out));
	r = ds_agent_call(client, "Version", json_object(), DS_AGENT_SMALL_ANSWER, &body);
	if (r)
		return r;
	return ds_agent_parsed(client, "Version", &body,
			       ds_agent_version_parse(body.data, body.len, out));
}

void dstack_version_free(struct dstack_version *version)
{
	if (!version)
		return;
	free(version->version);
	free(version->rev);
	memset(version, 0, sizeof(*version));
}
