#include "setup/host_shared.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>

/* Reads dir/name (at most max bytes). An absent file is an error when
 * required, else an empty buffer with *present = 0. */
static int read_member(const char *dir, const char *name, size_t max, int required,
		       struct ds_buf *out, int *present)
{
	char path[PATH_MAX];
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return ds_err(-ENAMETOOLONG, "path too long: %s", dir);
	r = ds_read_file(path, max, out);
	*present = r != -ENOENT;
	if (r == -ENOENT && !required) {
		ds_err_clear();
		return ds_buf_alloc(out, 0);
	}
	return r;
}

static int load_configs(const char *dir, struct ds_host_shared *hs)
{
	struct ds_buf raw = { 0 };
	int present, r;

	r = read_member(dir, DS_SYS_CONFIG_NAME, DS_SYS_CONFIG_MAX, 1, &raw, &present);
	if (r == 0)
		r = ds_sys_config_parse(raw.data, raw.len, &hs->sys_config);
	ds_buf_free(&raw);
	if (r == 0)
		r = read_member(dir, DS_APP_COMPOSE_NAME, DS_APP_COMPOSE_MAX, 1, &hs->app_compose_raw,
				&present);
	if (r == 0)
		r = ds_app_compose_parse(hs->app_compose_raw.data, hs->app_compose_raw.len,
					 &hs->app_compose);
	return r;
}

static int load_instance_info(const char *dir, struct ds_host_shared *hs)
{
	struct ds_buf raw = { 0 };
	int r;

	r = read_member(dir, DS_INSTANCE_INFO_NAME, DS_INSTANCE_INFO_MAX, 0, &raw,
			&hs->has_instance_info);
	if (r == 0)
		r = hs->has_instance_info ?
			ds_instance_info_parse(raw.data, raw.len, &hs->instance_info) :
			ds_instance_info_init(&hs->instance_info);
	ds_buf_free(&raw);
	return r;
}

int ds_host_shared_load(const char *dir, struct ds_host_shared *out)
{
	int present, r;

	*out = (struct ds_host_shared){ 0 };
	r = load_configs(dir, out);
	if (r == 0)
		r = load_instance_info(dir, out);
	if (r == 0)
		r = read_member(dir, DS_ENCRYPTED_ENV_NAME, DS_ENCRYPTED_ENV_MAX, 0,
				&out->encrypted_env, &present);
	if (r) {
		ds_host_shared_free(out);
		return ds_err_ctx(r, "Failed to load the host-shared files from %s", dir);
	}
	return 0;
}

void ds_host_shared_free(struct ds_host_shared *hs)
{
	ds_buf_free(&hs->app_compose_raw);
	ds_app_compose_free(&hs->app_compose);
	ds_sys_config_free(&hs->sys_config);
	ds_instance_info_free(&hs->instance_info);
	ds_buf_free(&hs->encrypted_env);
	hs->has_instance_info = 0;
}
