/* What remove-orphans needs from a Compose file: the project name and the
 * set of service names. Anchors, aliases and `<<` merge keys are resolved
 * (with a work budget against alias bombs). Anything that could hide a
 * service from us (`include:`, `extends:`, a merge that does not resolve to
 * mappings, a service key that is not a YAML string, a second YAML document)
 * is refused: deleting a live service's container is worse than leaving an
 * orphan. */
#ifndef DS_COMPOSE_COMPOSE_H
#define DS_COMPOSE_COMPOSE_H

#include <stddef.h>

/* Upper bound of a compose file we read. */
#define DS_COMPOSE_MAX_SIZE (1u << 20)

struct ds_compose_info {
	char *project;      /* NULL when the text names none (ds_compose_parse only) */
	char **services;    /* sorted, without duplicates, never empty */
	size_t n_services;
};

/* Parses compose text (first document only). `name:` gives the project when
 * it is a string; when it is absent or null, project stays NULL. */
int ds_compose_parse(const void *text, size_t len, struct ds_compose_info *out);
/* Reads and parses a compose file; without a `name:` the project is the name
 * of the directory holding the file, symbolic links resolved (as upstream,
 * not lowercased or filtered as Compose would do). */
int ds_compose_load(const char *path, struct ds_compose_info *out);
int ds_compose_has_service(const struct ds_compose_info *info, const char *name);
void ds_compose_info_free(struct ds_compose_info *info);

#endif
