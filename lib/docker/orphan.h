/* Which containers are orphans of a Compose project, and the list of them
 * that both the daemon mode and the offline mode decide on in full before
 * anything is removed. */
#ifndef DS_DOCKER_ORPHAN_H
#define DS_DOCKER_ORPHAN_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "compose/compose.h"

#define DS_LABEL_PROJECT "com.docker.compose.project"
#define DS_LABEL_SERVICE "com.docker.compose.service"
/* More orphans than this in one run is treated as an error. */
#define DS_ORPHANS_MAX 100000

struct ds_orphan {
	char *id;       /* full container id: 64 lowercase hex digits */
	char *service;  /* its com.docker.compose.service label */
	dev_t dev;      /* offline mode: the directory as scanned, */
	ino_t ino;      /* checked again just before it is removed */
};

struct ds_orphan_list {
	struct ds_orphan *items;
	size_t len, cap;
};

/* The verdict on one container's labels (a JSON object of strings; NULL or
 * JSON null when it has none): *service is the orphan's service name
 * (borrowed from labels), or NULL when the container stays because it has
 * no labels, belongs to another project, has no service label or names a
 * service of the compose file. Labels that are not an object of strings are
 * an error. */
int ds_orphan_check(const json_t *labels, const struct ds_compose_info *info,
		    const char **service);
/* 1 when s is a full container id (64 lowercase hex digits). */
int ds_container_id_valid(const char *s);
/* Appends copies of id and service. */
int ds_orphan_add(struct ds_orphan_list *list, const char *id, const char *service, dev_t dev,
		  ino_t ino);
void ds_orphan_list_free(struct ds_orphan_list *list);

#endif
