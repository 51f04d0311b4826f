#include "docker/orphan.h"
#include "util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int labels_are_strings(const json_t *labels)
{
	const char *key;
	json_t *value;

	if (!json_is_object(labels))
		return ds_err(-EINVAL, "Labels is not an object");
	json_object_foreach((json_t *)labels, key, value)
		if (!json_is_string(value))
			return ds_err(-EINVAL, "label '%s' is not a string", key);
	return 0;
}

int ds_orphan_check(const json_t *labels, const struct ds_compose_info *info,
		    const char **service)
{
	const char *project, *name;
	int r;

	*service = NULL;
	if (!labels || json_is_null(labels))
		return 0;
	r = labels_are_strings(labels);
	if (r)
		return r;
	project = json_string_value(json_object_get(labels, DS_LABEL_PROJECT));
	name = json_string_value(json_object_get(labels, DS_LABEL_SERVICE));
	if (!project || strcmp(project, info->project) != 0 || !name)
		return 0;
	if (!ds_compose_has_service(info, name))
		*service = name;
	return 0;
}

int ds_container_id_valid(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == 64 && s[n] == '\0';
}

int ds_orphan_add(struct ds_orphan_list *list, const char *id, const char *service, dev_t dev,
		  ino_t ino)
{
	struct ds_orphan o = { .id = strdup(id), .service = strdup(service), .dev = dev, .ino = ino };

	if (list->len == DS_ORPHANS_MAX) {
		free(o.id);
		free(o.service);
		return ds_err(-E2BIG, "more than %d orphaned containers", DS_ORPHANS_MAX);
	}
	if (list->len == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 8;
		struct ds_orphan *grown = realloc(list->items, cap * sizeof(*grown));

		if (grown) {
			list->items = grown;
			list->cap = cap;
		}
	}
	if (!o.id || !o.service || list->len == list->cap) {
		free(o.id);
		free(o.service);
		return ds_err(-ENOMEM, "out of memory");
	}
	list->items[list->len++] = o;
	return 0;
}

void ds_orphan_list_free(struct ds_orphan_list *list)
{
	for (size_t i = 0; i < list->len; i++) {
		free(list->items[i].id);
		free(list->items[i].service);
	}
	free(list->items);
	*list = (struct ds_orphan_list){ 0 };
}
