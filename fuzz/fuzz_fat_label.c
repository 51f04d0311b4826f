/* The first sector of a host disk, checked for the host-share FAT label. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "setup/host_shared.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sector[512] = { 0 };

	memcpy(sector, data, size < sizeof(sector) ? size : sizeof(sector));
	ds_fat_label_matches(sector, DS_HOST_SHARED_LABEL);
	return 0;
}
