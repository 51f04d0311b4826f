/* /etc/os-release, read for VERSION_ID by the requirements.os_version check. */
#include <stdint.h>
#include <stdlib.h>

#include "setup/os_release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = NULL;

	if (ds_os_release_value((const char *)data, size, "VERSION_ID", &value) == 0)
		free(value);
	return 0;
}
