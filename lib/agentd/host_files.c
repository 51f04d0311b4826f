#include "agentd/host_files.h"
#include "attest/vm_config.h"
#include "setup/host_shared.h"
#include "util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int take(struct ds_agentd_host *h, struct ds_host_shared *hs)
{
	const struct ds_instance_info *ii = &hs->instance_info;

	h->app_compose = hs->app_compose_raw;
	memset(&hs->app_compose_raw, 0, sizeof(hs->app_compose_raw));
	h->app_name = strdup(hs->app_compose.name ? hs->app_compose.name : "");
	h->vm_config = strdup(hs->sys_config.vm_config);
	if (!h->app_name || !h->vm_config)
		return ds_err(-ENOMEM, "out of memory");
	ds_compose_hash(h->app_compose.data, h->app_compose.len, h->compose_hash);
	memcpy(h->app_id, ii->app_id.len == sizeof(h->app_id) ? ii->app_id.data : h->compose_hash,
	       sizeof(h->app_id));
	return ds_buf_set(&h->instance_id, ii->instance_id.data, ii->instance_id.len);
}

int ds_agentd_host_load(const char *dir, struct ds_agentd_host *out)
{
	struct ds_host_shared hs = { 0 };
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_host_shared_load(dir, &hs);
	r = r ?: take(out, &hs);
	ds_host_shared_free(&hs);
	if (r == 0) {
		r = ds_vm_config_os_image_hash(out->vm_config, &out->os_image_hash);
		if (r)
			ds_err_ctx(r, "Failed to decode os image hash");
	}
	if (r)
		ds_agentd_host_free(out);
	return r;
}

void ds_agentd_host_free(struct ds_agentd_host *h)
{
	ds_buf_free(&h->app_compose);
	free(h->app_name);
	ds_buf_free(&h->instance_id);
	free(h->vm_config);
	ds_buf_free(&h->os_image_hash);
	memset(h, 0, sizeof(*h));
}
