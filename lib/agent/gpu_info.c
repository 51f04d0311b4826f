/* GpuInfo: the NVIDIA attestation output saved at boot, passed through
 * (spec guest-agent-api.md 2.9; agents after 0.5.11). */
#include "agent/agent.h"
#include "util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ds_agent_gpu_info_parse(const uint8_t *data, size_t len, struct dstack_gpu_info *out)
{
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	r = ds_agent_json_strdup(root, "attestation", 0, &out->attestation);
	json_decref(root);
	return r;
}

int dstack_get_gpu_info(dstack_client *client, struct dstack_gpu_info *out)
{
	struct ds_buf body = { 0 };
	int r;

	if (!client || !out)
		return ds_err(-EINVAL, "GpuInfo needs a client and a result");
	memset(out, 0, sizeof(*out));
	r = ds_agent_call(client, "GpuInfo", json_object(), DS_AGENT_LARGE_ANSWER, &body);
	if (r)
		return r;
	return ds_agent_parsed(client, "GpuInfo", &body,
			       ds_agent_gpu_info_parse(body.data, body.len, out));
}

void dstack_gpu_info_free(struct dstack_gpu_info *info)
{
	if (!info)
		return;
	free(info->attestation);
	memset(info, 0, sizeof(*info));
}
