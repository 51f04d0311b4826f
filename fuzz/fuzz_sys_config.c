/* .sys-config.json from the host. */
#include <stddef.h>
#include <stdint.h>

#include "setup/sys_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_sys_config cfg;

	if (ds_sys_config_parse(data, size, &cfg) == 0)
		ds_sys_config_free(&cfg);
	return 0;
}
