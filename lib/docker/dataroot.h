/* Offline mode: Docker's data root read directly, before dockerd starts.
 * Each container is a directory containers/<64 hex id>/ holding
 * config.v2.json, whose Config.Labels decide whether it is an orphan.
 * Nothing is followed through a symbolic link, every size and count read
 * from the disk is bounded, and the whole directory is judged before
 * anything is removed. */
#ifndef DS_DOCKER_DATAROOT_H
#define DS_DOCKER_DATAROOT_H

#include <jansson.h>
#include <limits.h>
#include <sys/types.h>

#include "compose/compose.h"
#include "docker/orphan.h"

#define DS_DOCKER_DEFAULT_ROOT "/var/lib/docker"
/* Bounds of one config.v2.json and of the entries of containers/. */
#define DS_CONTAINER_CONFIG_MAX (4u << 20)
#define DS_CONTAINERS_MAX_ENTRIES 100000

struct ds_data_root {
	int fd;               /* <root>/containers, -1 when it does not exist */
	dev_t dev;
	char path[PATH_MAX];  /* <root>/containers, for messages */
};

/* Receives one message about an entry that was skipped. */
typedef void (*ds_warn_fn)(void *ctx, const char *msg);

/* Opens <root>/containers (root itself may be reached through links, as an
 * operator may have configured; containers/ and below may not). A missing
 * root or containers/ is not an error: dr->fd is -1. */
int ds_data_root_open(const char *root, struct ds_data_root *dr);
/* Judges every entry of containers/ and appends the orphans. As upstream,
 * an entry without config.v2.json is skipped silently, and one whose file
 * cannot be read or parsed is skipped with a warning ("Failed to read PATH:
 * ..." / "Failed to parse PATH: ..."); so are symbolic links, names that
 * are not container ids and mount points. Errors reading the directory
 * itself abort. */
int ds_data_root_find_orphans(const struct ds_data_root *dr, const struct ds_compose_info *info,
			      ds_warn_fn warn, void *warn_ctx, struct ds_orphan_list *out);
/* Removes one orphan's directory, refusing if it is no longer the directory
 * that was judged. */
int ds_data_root_remove(const struct ds_data_root *dr, const struct ds_orphan *orphan);
void ds_data_root_close(struct ds_data_root *dr);

/* Config.Labels of a config.v2.json text: *labels is NULL when Config or
 * Labels is absent or null; otherwise it points into *doc, which the caller
 * releases with json_decref. */
int ds_container_config_labels(const void *data, size_t len, json_t **doc,
			       const json_t **labels);
/* The pid of a process named dockerd, or 0: the data root must not change
 * under a running daemon. */
int ds_dockerd_running(pid_t *pid);

#endif
