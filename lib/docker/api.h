/* The Docker Engine API over its Unix socket: list all containers, remove
 * one. Paths carry no API version, so the daemon answers with its own
 * (upstream pins v1.47, which older daemons reject and newer ones may drop). */
#ifndef DS_DOCKER_API_H
#define DS_DOCKER_API_H

#include "compose/compose.h"
#include "docker/orphan.h"

#define DS_DOCKER_DEFAULT_SOCKET "/var/run/docker.sock"
/* Bound of the container list response. */
#define DS_DOCKER_MAX_LIST (64u << 20)

/* The daemon's socket: the path of DOCKER_HOST=unix://PATH, or the default
 * when DOCKER_HOST is unset or empty. Other schemes (tcp://, ssh://) are
 * refused rather than silently ignored. */
int ds_docker_socket(const char **path);
/* Lists every container (all states) and appends the orphans of the compose
 * project, in the daemon's order. Entries without an Id are skipped; an
 * orphan whose Id is not a full container id is an error. */
int ds_docker_find_orphans(const char *socket, const struct ds_compose_info *info,
			   struct ds_orphan_list *out);
/* Removes a container as upstream does: force (a running one is killed) and
 * v (its anonymous volumes go too; named volumes stay). */
int ds_docker_remove(const char *socket, const char *id);

#endif
