/* The v0.5.4 event-log format (spec tdx-attestation.md 3.4 "Old format"):
 * objects {"imr","event_type","digest"(48-byte hex),"event","event_payload"}
 * in a compact JSON array (RA-TLS certificates, the simulator's
 * eventlog.json) or one per line (the old runtime log). */
#ifndef DS_ATTEST_OLD_EVENT_LOG_H
#define DS_ATTEST_OLD_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "attest/event.h"

#define DS_OLD_EVENT_LOG_MAX (64u << 20)

/* A JSON array of old-format events. */
int ds_old_event_log_parse(const uint8_t *data, size_t len, struct ds_event_list *out);
/* The old runtime log text: blank lines skipped, any bad line fails. */
int ds_old_runtime_log_parse(const uint8_t *data, size_t len, struct ds_event_list *out);

#endif
