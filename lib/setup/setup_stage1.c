/* Stage 1 of setup (spec system-setup.md 2.10, 3.9, 3.10): the decrypted
 * env files, the links in WORK and the guest agent's config. Every file is
 * written 0600 and atomically (stricter than upstream, on purpose). */
#include "crypto/env_vars.h"
#include "setup/setup_internal.h"
#include "util/err.h"
#include "util/file.h"
#include "util/json.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AGENT_CONFIG_NAME "agent.json"
/* HEAD creates it for the guest agent's socket. */
#define AGENT_RUN_DIR "/var/run/dstack"

static int write_env(const struct ds_setup *s)
{
	const struct ds_app_compose *ac = &s->hs.app_compose;
	const struct ds_env_allowed allowed = {
		.names = (const char *const *)ac->allowed_envs,
		.len = ac->n_allowed_envs,
	};
	const struct ds_buf *key = &s->keys.env_crypt_key, *env = &s->hs.encrypted_env;
	struct ds_env_map map = { 0 };
	int r;

	if (key->len && env->len)
		ds_info("env", "Processing encrypted env");
	else
		ds_info("env", "No encrypted env, using default");
	r = ds_env_unseal(key->data, key->len, env->data, env->len, &allowed, &map);
	r = r ?: ds_env_write_files(s->shared_dir, &map);
	ds_env_map_free(&map);
	return r ? ds_err_ctx(r, "Failed to decrypt the env") : 0;
}

/* ln -sf TARGET WORK/NAME, atomically (a temporary link renamed over). */
static int link_into_work(const char *work, const char *target, const char *name)
{
	char path[PATH_MAX], tmp[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", work, name) >= sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", work, name) >= sizeof(tmp))
		return ds_err(-ENAMETOOLONG, "path too long: %s", work);
	unlink(tmp);
	if (symlink(target, tmp) < 0)
		return ds_err(-errno, "Failed to link %s: %s", path, strerror(errno));
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return ds_err(-e, "Failed to link %s: %s", path, strerror(e));
	}
	return 0;
}

static int write_agent_config(const struct ds_setup *s)
{
	char path[PATH_MAX], *text = NULL;
	json_t *cfg;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", s->opts->work_dir, AGENT_CONFIG_NAME) >=
	    sizeof(path))
		return ds_err(-ENAMETOOLONG, "path too long");
	cfg = json_pack("{s:{s:{s:[s,s]}}}", "default", "core", "data_disks", "/",
			s->opts->mount_point);
	if (!cfg)
		return ds_err(-ENOMEM, "out of memory");
	r = ds_json_dump(cfg, DS_JSON_PRETTY, &text);
	r = r ?: ds_write_file_atomic(path, text, strlen(text), 0600);
	free(text);
	json_decref(cfg);
	return r ? ds_err_ctx(r, "Failed to write %s", path) : 0;
}

int ds_setup_stage1(struct ds_setup *s)
{
	const char *work = s->opts->work_dir;
	int r = write_env(s);

	r = r ?: link_into_work(work, DS_HOST_SHARED_DIR_NAME "/" DS_APP_COMPOSE_NAME,
				DS_APP_COMPOSE_NAME);
	r = r ?: link_into_work(work, DS_HOST_SHARED_DIR_NAME "/" DS_USER_CONFIG_NAME,
				"user_config");
	r = r ?: ds_mkdir_p(AGENT_RUN_DIR, 0755);
	r = r ?: write_agent_config(s);
	if (r == 0 && ds_app_compose_gateway_enabled(&s->hs.app_compose))
		ds_warn("setup", "gateway_enabled is set, but dstack-gateway setup is not part of "
				 "this dstack-util: the app has no gateway route");
	return r;
}
