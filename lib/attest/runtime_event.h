/* The runtime event log (RTMR3): digests (V1 and V2), the HEAD log line
 * format, reading the log, and its paths (spec tdx-attestation.md 3.4-3.5). */
#ifndef DS_ATTEST_RUNTIME_EVENT_H
#define DS_ATTEST_RUNTIME_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "attest/event.h"

/* Longest runtime log we read, and longest single line. */
#define DS_RUNTIME_LOG_MAX (64u << 20)
#define DS_RUNTIME_LINE_MAX (1u << 20)

/* Directory of the runtime log: $DSTACK_RUNTIME_LOG_DIR (absolute) or
 * /run/log/dstack. The override exists so tests never touch /run. */
int ds_runtime_log_dir(const char **out);
/* <dir>/<file> into out (size PATH_MAX). */
int ds_runtime_log_file(const char *file, char *out, size_t size);
#define DS_RUNTIME_LOG_NAME "runtime_events.log"
#define DS_RUNTIME_VERSION_NAME "runtime_event_version"
#define DS_RUNTIME_LOCK_NAME "runtime_event.lock"

/* SHA-384 digest of a runtime event for digest version 1 or 2. */
int ds_runtime_digest(const char *name, const uint8_t *payload, size_t len, int version,
		      uint8_t out[DS_SHA384_LEN]);
/* The same with a caller's reusable context (for long replays). */
int ds_runtime_digest_with(struct ds_sha384 *h, const char *name, const uint8_t *payload,
			   size_t len, int version, uint8_t out[DS_SHA384_LEN]);
/* The hashed preimage itself (V1: type ":" name ":" payload; V2: JCS JSON). */
int ds_runtime_preimage(const char *name, const uint8_t *payload, size_t len, int version,
			struct ds_buf *out);

/* Sets the hex preimage of every V2 runtime event that has none (upstream's
 * fill_v2_preimages): verifiers require it (tdx-attestation.md 3.5). */
int ds_runtime_fill_v2_preimages(struct ds_event_list *list);

/* One log line without the newline: {"event":..,"payload":<b64>[,"version":2]} */
int ds_runtime_line_format(const char *name, const uint8_t *payload, size_t len, int version,
			   char **out);
/* Parses one line into an event with imr 3, the runtime type and the
 * recomputed digest. */
int ds_runtime_line_parse(const char *line, size_t len, struct ds_event *out);
/* Parses a whole log text: blank lines are skipped, any bad line fails. */
int ds_runtime_log_parse(const uint8_t *data, size_t len, struct ds_event_list *out);
/* Reads the log at path; a missing file is an empty log. */
int ds_runtime_log_read(const char *path, struct ds_event_list *out);

#endif
