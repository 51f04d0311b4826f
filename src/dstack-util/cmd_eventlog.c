#include "cli.h"
#include "attest/event_log.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util eventlog\n\n"
		 "Get TDX event logs: the CCEL boot events and the runtime events as JSON\n\n"
		 "Options:\n  -h, --help  Print help\n",
};

int cmd_eventlog(int argc, char **argv)
{
	struct ds_event_list log = { 0 };
	char **args, *json = NULL;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = ds_event_log_read(&log);
	if (r)
		return cli_fail_ctx("Failed to read event logs");
	r = ds_event_list_dump(&log, DS_JSON_PRETTY, &json);
	r = r ?: cli_write_stdout(json, strlen(json));
	free(json);
	ds_event_list_free(&log);
	return r ? cli_fail_ctx("Failed to write event logs") : CLI_EXIT_OK;
}
