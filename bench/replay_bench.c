/* Times the replay entry points over a runtime log given on the command
 * line: the parse, the HEAD RTMR3 replay (digests recomputed) and the bare
 * extend chain (stored digests, one 96-byte SHA-384 per event). Prints
 * "name seconds events" lines for bench/replay.sh. */
#include <stdio.h>
#include <time.h>

#include "attest/replay.h"
#include "attest/runtime_event.h"
#include "util/err.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct ds_event_list log = { 0 };
	struct ds_rtmrs mrs;
	uint8_t rtmr3[DS_SHA384_LEN];
	double t0, t1, t2, t3;

	if (argc != 2) {
		fprintf(stderr, "usage: %s RUNTIME_LOG\n", argv[0]);
		return 2;
	}
	t0 = now();
	if (ds_runtime_log_read(argv[1], &log)) {
		ds_err_print(stderr);
		return 1;
	}
	t1 = now();
	if (ds_replay_rtmr3(&log, NULL, rtmr3)) {
		ds_err_print(stderr);
		return 1;
	}
	t2 = now();
	/* as boot events, the stored digests are folded as they are */
	for (size_t i = 0; i < log.len; i++)
		log.items[i].event_type = 1;
	if (ds_replay_imr(&log, NULL, &mrs)) {
		ds_err_print(stderr);
		return 1;
	}
	t3 = now();
	printf("parse %.6f %zu\nreplay_rtmr3 %.6f %zu\nextend_chain %.6f %zu\n", t1 - t0, log.len,
	       t2 - t1, log.len, t3 - t2, log.len);
	ds_event_list_free(&log);
	return 0;
}
