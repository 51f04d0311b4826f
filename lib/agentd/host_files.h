/* The host-provided files of the work dir the agent answers Info from
 * (spec system-setup.md 1.4). Kept apart from the app keys: setup's and
 * lib/crypto's headers both define the key-provider kinds. */
#ifndef DS_AGENTD_HOST_FILES_H
#define DS_AGENTD_HOST_FILES_H

#include <stdint.h>

#include "util/buf.h"

struct ds_agentd_host {
	struct ds_buf app_compose;        /* exact bytes */
	char *app_name;
	uint8_t compose_hash[32];
	uint8_t app_id[20];
	struct ds_buf instance_id;        /* 20 bytes or empty */
	char *vm_config;
	struct ds_buf os_image_hash;      /* 32 bytes or empty */
};

/* Loads app-compose.json, .sys-config.json and .instance_info from dir;
 * the app id is the instance info's, else the compose hash's first 20
 * bytes, as setup measures it. */
int ds_agentd_host_load(const char *dir, struct ds_agentd_host *out);
void ds_agentd_host_free(struct ds_agentd_host *h);

#endif
