/* Runtime event log text (one JSON object per line). */
#include <stddef.h>
#include <stdint.h>

#include "attest/runtime_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_event_list list = { 0 };

	if (ds_runtime_log_parse(data, size, &list) == 0)
		ds_event_list_free(&list);
	return 0;
}
