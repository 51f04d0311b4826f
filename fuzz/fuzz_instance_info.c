/* .instance_info from the host, parsed and formatted back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "setup/instance_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_instance_info info;
	char *text;

	if (ds_instance_info_parse(data, size, &info) == 0) {
		if (ds_instance_info_format(&info, &text) == 0)
			free(text);
		ds_instance_info_free(&info);
	}
	return 0;
}
