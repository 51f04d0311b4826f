/* A container's config.v2.json from Docker's data root, judged as the
 * offline mode does. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compose/compose.h"
#include "docker/dataroot.h"
#include "docker/orphan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char compose[] = "name: app\nservices: {web: {}, db: {}}\n";
	struct ds_compose_info info;
	const json_t *labels;
	const char *service;
	json_t *doc;

	if (ds_compose_parse(compose, strlen(compose), &info))
		__builtin_trap();
	if (ds_container_config_labels(data, size, &doc, &labels) == 0) {
		ds_orphan_check(labels, &info, &service);
		json_decref(doc);
	}
	ds_compose_info_free(&info);
	return 0;
}
