/* [HEAD] The app-compose policy checks that run before time sync (spec
 * system-setup.md 2.3): manifest-version gates, snapshotter, then each
 * requirement against this guest. Any failure aborts setup. */
#ifndef DS_SETUP_APP_POLICY_H
#define DS_SETUP_APP_POLICY_H

#include "setup/app_compose.h"

#define DS_LAUNCH_TOKEN_DOMAIN "dstack-launch-token/v1:"
#define DS_LAUNCH_TOKEN_MIN_LEN 32

/* What the checks read from this guest. */
struct ds_app_policy_env {
	const char *const *os_release_paths;   /* NULL-terminated, first with VERSION_ID */
	const char *vm_config;                 /* sys-config vm_config text */
	const char *user_config_path;          /* SHARED/.user-config */
	int (*detect_platform)(const char **name);
};

/* /etc/os-release, /usr/lib/os-release and ds_tee_variant_detect. */
extern const char *const ds_os_release_paths[];

int ds_app_policy_verify(const struct ds_app_compose *ac, const struct ds_app_policy_env *env);

/* The single checks, each as upstream words its refusal. */
int ds_policy_os_version(const char *requirement, const char *current);
int ds_policy_launch_token(const char *hash_hex, const char *token);
/* The token at /dstack/launch_token of the user_config JSON text. */
int ds_policy_launch_token_from(const char *user_config, size_t len, char **token);

#endif
