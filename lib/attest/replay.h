/* Replaying event logs into RTMR values (spec tdx-attestation.md 3.6).
 * Runtime events (type 0x08000001) are never trusted for their stored
 * digest in the HEAD algorithms: it is recomputed from name, payload and
 * version. */
#ifndef DS_ATTEST_REPLAY_H
#define DS_ATTEST_REPLAY_H

#include <stdint.h>

#include "attest/event.h"

#define DS_BOOT_MR_DONE "boot-mr-done"

struct ds_rtmrs {
	uint8_t mr[4][DS_SHA384_LEN];
};

/* HEAD RTMR3: fold the recomputed digests of runtime events; stop after the
 * first event named stop (NULL: replay all). */
int ds_replay_rtmr3(const struct ds_event_list *runtime, const char *stop,
		    uint8_t rtmr3[DS_SHA384_LEN]);
/* HEAD replay-imr: every event with imr < 4 extends its register, runtime
 * events with their recomputed digest, others with the stored one. */
int ds_replay_imr(const struct ds_event_list *log, const char *stop, struct ds_rtmrs *out);
/* v0.5.4, over the old full log: RTMR3 events must carry their V1 digest
 * ("invalid digest"); the stored digests are folded. */
int ds_replay_old(const struct ds_event_list *log, const char *stop, struct ds_rtmrs *out);

#endif
