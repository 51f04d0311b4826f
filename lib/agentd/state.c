/* The agent's inputs, read once at start from what setup left in the work
 * dir (spec system-setup.md 1.4). Nothing here is reloaded. */
#include "agentd/agentd.h"
#include "attest/local.h"
#include "attest/runtime_emit.h"
#include "setup/shared_files.h"
#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct ds_agentd_backend ds_agentd_tdx_backend = {
	.attest = ds_attestation_local,
	.emit = ds_runtime_emit,
};

static int shared_path(const char *work_dir, const char *name, char *out)
{
	int n = snprintf(out, PATH_MAX, "%s/%s/%s", work_dir, DS_HOST_SHARED_DIR_NAME, name);

	return n > 0 && n < PATH_MAX ? 0 : ds_err(-ENAMETOOLONG, "work dir path too long");
}

/* The CA GetTlsKey signs with: the app keys' CA certificate and the key of
 * a local provider. A KMS provider's certificates come from the KMS. */
static int load_ca(struct ds_agentd *a)
{
	const struct ds_key_provider *kp = &a->keys.key_provider;

	if (!kp->key || !a->keys.ca_cert)
		return 0;
	return ds_ca_load(a->keys.ca_cert, strlen(a->keys.ca_cert), kp->key, strlen(kp->key),
			  &a->ca);
}

static int load(const char *work_dir, struct ds_agentd *a)
{
	char dir[PATH_MAX], keys[PATH_MAX], sys_config[PATH_MAX];
	int r;

	r = shared_path(work_dir, "", dir);
	r = r ?: shared_path(work_dir, DS_APP_KEYS_NAME, keys);
	r = r ?: shared_path(work_dir, DS_SYS_CONFIG_NAME, sys_config);
	r = r ?: ds_agentd_host_load(dir, &a->host);
	if (r)
		return r;
	a->sys_config_path = strdup(sys_config);
	if (!a->sys_config_path)
		return ds_err(-ENOMEM, "out of memory");
	r = ds_app_keys_load(keys, &a->keys);
	r = r ?: ds_app_keys_provider_event(&a->keys, &a->key_provider_info);
	return r ?: load_ca(a);
}

int ds_agentd_load(const char *work_dir, const struct ds_agentd_backend *backend,
		   struct ds_agentd *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->backend = backend;
	r = load(work_dir, out);
	if (r) {
		ds_agentd_free(out);
		return ds_err_ctx(r, "Failed to load the agent state from %s", work_dir);
	}
	return 0;
}

void ds_agentd_free(struct ds_agentd *a)
{
	ds_app_keys_free(&a->keys);
	ds_ca_free(&a->ca);
	ds_agentd_host_free(&a->host);
	ds_buf_free(&a->key_provider_info);
	free(a->sys_config_path);
	memset(a, 0, sizeof(*a));
}
