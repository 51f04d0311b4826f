#include "cli.h"
#include "attest/event_log.h"
#include "attest/replay.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <stdio.h>

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util replay-imr\n\n"
		 "Replay event log and show calculated IMR/RTMR values\n\n"
		 "Options:\n  -h, --help  Print help\n",
};

static void print_report(const struct ds_event_list *log, const struct ds_rtmrs *mrs)
{
	size_t counts[4] = { 0 };

	for (size_t i = 0; i < log->len; i++)
		if (log->items[i].imr < 4)
			counts[log->items[i].imr]++;
	printf("Total events: %zu\nEvent distribution:\n", log->len);
	for (int i = 0; i < 4; i++)
		printf("  IMR %d: %zu events\n", i, counts[i]);
	printf("\nReplaying event log...\n\nCalculated IMR/RTMR values from event log replay:\n\n");
	for (int i = 0; i < 4; i++) {
		char hex[2 * DS_SHA384_LEN + 1];

		ds_hex_encode(mrs->mr[i], DS_SHA384_LEN, hex);
		printf("IMR %d (CCEL) \u2192 %s\n", i, hex);
	}
	printf("\n========================================\n"
	       "Note: These are the calculated values from replaying the CCEL event log.\n"
	       "The mapping between CCEL IMR indices and TDX RTMR indices may vary\n"
	       "depending on the platform implementation.\n");
}

int cmd_replay_imr(int argc, char **argv)
{
	struct ds_event_list log = { 0 };
	struct ds_rtmrs mrs;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	/* upstream prints the title before reading the logs */
	printf("=== Event Log Replay: Calculated IMR/RTMR Values ===\n\n");
	r = ds_event_log_read(&log);
	if (r)
		return cli_fail_ctx("Failed to read event logs");
	r = ds_replay_imr(&log, NULL, &mrs);
	if (r == 0)
		print_report(&log, &mrs);
	ds_event_list_free(&log);
	if (r == 0 && fflush(stdout) != 0)
		r = ds_err(-EIO, "failed to write to stdout");
	return r ? cli_fail_ctx("Failed to replay the event log") : CLI_EXIT_OK;
}
