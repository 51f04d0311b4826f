/* app-compose.json from the host, and the values derived from it. */
#include <stddef.h>
#include <stdint.h>

#include "setup/app_compose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_app_compose ac;

	if (ds_app_compose_parse(data, size, &ac) == 0) {
		(void)ds_app_compose_key_provider(&ac);
		(void)ds_app_compose_kms_enabled(&ac);
		(void)ds_app_compose_gateway_enabled(&ac);
		ds_app_compose_free(&ac);
	}
	return 0;
}
