/* app-compose.json (spec system-setup.md 3.4): the fields setup uses, typed
 * strictly, with the defaults of both revisions, and the derived values
 * key_provider(), kms_enabled() and gateway_enabled(). The compose hash is
 * taken over the raw file bytes, never over a re-serialisation. */
#ifndef DS_SETUP_APP_COMPOSE_H
#define DS_SETUP_APP_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/key_provider.h"
#include "setup/requirements.h"
#include "util/buf.h"

/* HEAD's size limit of the host copy (v0.5.4: 128 KiB). */
#define DS_APP_COMPOSE_MAX (50u << 20)
/* Newest manifest version this guest understands (HEAD rule). */
#define DS_MANIFEST_VERSION_MAX 3
#define DS_INIT_SCRIPTS_MAX 5
#define DS_COMPOSE_HASH_LEN 32
#define DS_APP_ID_LEN 20

enum ds_storage_fs {
	DS_STORAGE_FS_UNSET,      /* no override: the kernel command line decides */
	DS_STORAGE_FS_ZFS,
	DS_STORAGE_FS_EXT4,
};

struct ds_docker_config {     /* [v0.5.4] docker_config; each NULL when absent */
	char *registry, *username, *token_key;
};

struct ds_app_compose {
	uint32_t manifest_version;    /* number 1/2 or canonical string "1".."3" */
	char *name, *runner;
	char **features;              /* NULL-terminated */
	size_t n_features;
	struct ds_docker_config docker_config;
	int public_logs, public_sysinfo, public_tcbinfo;
	int kms_enabled;              /* the field, not kms_enabled() */
	int gateway_enabled;          /* gateway_enabled OR tproxy_enabled fields */
	int local_key_provider_enabled;
	int has_key_provider;         /* key_provider given (not absent or null) */
	enum ds_key_provider_kind key_provider;
	struct ds_buf key_provider_id;
	char **allowed_envs;          /* NULL-terminated */
	size_t n_allowed_envs;
	int no_instance_id;
	int secure_time;
	char **init_scripts;          /* [HEAD] string or array (<= 5), NULL-terminated */
	size_t n_init_scripts;
	enum ds_storage_fs storage_fs;/* [HEAD] */
	uint64_t swap_size;           /* [HEAD] bytes */
	int event_log_version;        /* [HEAD] 1 or 2 */
	int has_snapshotter;          /* [HEAD] overlayfs or stargz given */
	struct ds_requirements requirements; /* [HEAD] */
};

int ds_app_compose_parse(const void *data, size_t len, struct ds_app_compose *out);
void ds_app_compose_free(struct ds_app_compose *ac);

/* key_provider if given, else kms if the kms_enabled field is set, else
 * local if local_key_provider_enabled, else none. features is not read. */
enum ds_key_provider_kind ds_app_compose_key_provider(const struct ds_app_compose *ac);
/* [v0.5.4] the kms_enabled field OR "kms" in features. */
int ds_app_compose_kms_enabled(const struct ds_app_compose *ac);
/* gateway_enabled OR tproxy_enabled OR "tproxy-net" in features. */
int ds_app_compose_gateway_enabled(const struct ds_app_compose *ac);

/* sha256 of the exact file bytes; the default app id is its first 20 bytes. */
void ds_compose_hash(const void *raw, size_t len, uint8_t out[DS_COMPOSE_HASH_LEN]);

#endif
