/* The order of setup (spec system-setup.md 2.0-2.10, HEAD). Once the host
 * API is known, any failure is also reported to the host as boot.error. */
#include "attest/runtime_emit.h"
#include "attest/tee_variant.h"
#include "setup/app_policy.h"
#include "setup/setup_internal.h"
#include "util/err.h"
#include "util/exec.h"
#include "util/file.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int verify_policy(const struct ds_setup *s)
{
	char user_config[PATH_MAX];
	struct ds_app_policy_env env = {
		.os_release_paths = ds_os_release_paths,
		.vm_config = s->hs.sys_config.vm_config,
		.user_config_path = user_config,
		.detect_platform = ds_tee_variant_detect,
	};

	if ((size_t)snprintf(user_config, sizeof(user_config), "%s/%s", s->shared_dir,
			     DS_USER_CONFIG_NAME) >= sizeof(user_config))
		return ds_err(-ENAMETOOLONG, "work dir path too long");
	return ds_app_policy_verify(&s->hs.app_compose, &env);
}

static int wait_for_time(const struct ds_app_compose *ac)
{
	static const char *const argv[] = { "chronyc", "waitsync", "30", "0.1", "0", "5", NULL };
	int r;

	if (!ac->secure_time) {
		ds_info("setup", "secure_time is off: not waiting for the time to be synchronized");
		return 0;
	}
	ds_info("setup", "Waiting for the system time to be synchronized");
	r = ds_exec(argv);
	return r ? ds_err_ctx(r, "Failed to sync system time") : 0;
}

static int finish_stage0(struct ds_setup *s)
{
	char *info = NULL;
	int r = ds_instance_info_format(&s->hs.instance_info, &info);

	if (r)
		return r;
	ds_host_api_notify_quiet(&s->api, "instance.info", info);
	free(info);
	r = ds_runtime_emit("system-ready", NULL, 0);
	if (r)
		return ds_err_ctx(r, "Failed to extend RTMR3 with system-ready");
	ds_info("setup", "System ready");
	ds_host_api_notify_quiet(&s->api, "boot.progress", "data disk ready");
	return s->kp == DS_KP_KMS ? 0 : ds_setup_print_app_info();
}

static int run_stages(struct ds_setup *s)
{
	int r;

	s->kp = ds_app_compose_key_provider(&s->hs.app_compose);
	r = verify_policy(s);
	r = r ?: wait_for_time(&s->hs.app_compose);
	r = r ?: ds_setup_measure_app(s);
	if (r == 0 && s->kp == DS_KP_KMS)
		r = ds_setup_print_app_info();
	r = r ?: ds_setup_app_keys(s);
	r = r ?: ds_setup_data_disk(s);
	r = r ?: finish_stage0(s);
	r = r ?: ds_setup_stage1(s);
	return r;
}

static int load(struct ds_setup *s)
{
	const struct ds_setup_opts *o = s->opts;
	int r = 0;

	if ((size_t)snprintf(s->shared_dir, sizeof(s->shared_dir), "%s/%s", o->work_dir,
			     DS_HOST_SHARED_DIR_NAME) >= sizeof(s->shared_dir))
		return ds_err(-ENAMETOOLONG, "work dir path too long");
	/* Attestation reads the sys-config from this copy until /dstack exists. */
	if (setenv(DS_HOST_SHARED_DIR_ENV, s->shared_dir, 1) < 0)
		return ds_err(-errno, "setenv failed");
	r = ds_mkdir_p(o->work_dir, 0755);
	r = r ?: ds_host_shared_import(o->host_shared_source, s->shared_dir);
	r = r ?: ds_host_shared_load(s->shared_dir, &s->hs);
	r = r ?: ds_runtime_version_set(s->hs.app_compose.event_log_version);
	r = r ?: ds_host_api_init(&s->api, s->hs.sys_config.host_api_url);
	return r;
}

int ds_setup_run(const struct ds_setup_opts *opts)
{
	struct ds_setup s = { .opts = opts };
	char chain[2048];
	int r = load(&s);

	if (r == 0) {
		r = run_stages(&s);
		if (r) {
			ds_err_format(chain, sizeof(chain));
			ds_host_api_notify_quiet(&s.api, "boot.error", chain);
			if (ds_err_depth() == 0) /* the failed notification cleared it */
				ds_err(r, "%s", chain);
		}
	}
	ds_app_keys_free(&s.keys);
	free(s.init_script_hashes);
	ds_host_api_free(&s.api);
	ds_host_shared_free(&s.hs);
	return r;
}
