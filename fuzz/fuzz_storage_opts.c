/* The storage options of the kernel command line, which the host sets. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "setup/storage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_storage_opts opts;
	char *cmdline;

	if (size == 0)
		return 0;
	cmdline = malloc(size);
	if (!cmdline)
		return 0;
	/* The first byte picks app-compose's storage_fs override. */
	memcpy(cmdline, data + 1, size - 1);
	cmdline[size - 1] = '\0';
	ds_storage_opts_parse(cmdline, (enum ds_storage_fs)(data[0] % 3), &opts);
	free(cmdline);
	return 0;
}
