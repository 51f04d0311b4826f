/* Compose text to project name and service set (anchors, aliases, merges). */
#include <stddef.h>
#include <stdint.h>

#include "compose/compose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_compose_info info;

	if (size > DS_COMPOSE_MAX_SIZE)
		return 0;
	if (ds_compose_parse(data, size, &info) == 0) {
		for (size_t i = 0; i < info.n_services; i++)
			if (!ds_compose_has_service(&info, info.services[i]))
				__builtin_trap();
		ds_compose_info_free(&info);
	}
	return 0;
}
