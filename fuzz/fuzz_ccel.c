/* The CCEL: TCG2 parsing, conversion under both rule sets, labels and the
 * eventlog JSON of what decodes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "attest/ccel.h"
#include "attest/event_log.h"
#include "attest/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_event_list list = { 0 };
	struct ds_rtmrs mrs;
	char *json = NULL;

	if (ds_ccel_decode(data, size, DS_CCEL_OLD, &list) == 0)
		ds_event_list_free(&list);
	if (ds_ccel_decode(data, size, DS_CCEL_NEW, &list) == 0) {
		if (ds_event_list_dump(&list, DS_JSON_PRETTY, &json) == 0)
			free(json);
		ds_replay_imr(&list, NULL, &mrs);
		ds_event_list_free(&list);
	}
	return 0;
}
