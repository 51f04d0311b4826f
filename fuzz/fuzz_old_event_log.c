/* The v0.5.4 event-log JSON (array and line forms) and the old replay. */
#include <stddef.h>
#include <stdint.h>

#include "attest/old_event_log.h"
#include "attest/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_event_list list = { 0 };
	struct ds_rtmrs mrs;

	if (ds_old_event_log_parse(data, size, &list) == 0) {
		ds_replay_old(&list, "boot-mr-done", &mrs);
		ds_event_list_free(&list);
	}
	if (ds_old_runtime_log_parse(data, size, &list) == 0)
		ds_event_list_free(&list);
	return 0;
}
