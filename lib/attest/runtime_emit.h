/* Emitting a runtime event: under one flock of the runtime lock file, read
 * the boot's digest version, extend RTMR3 and append the log line, so that
 * the log and RTMR3 never disagree in order (spec tdx-attestation.md 3.4). */
#ifndef DS_ATTEST_RUNTIME_EMIT_H
#define DS_ATTEST_RUNTIME_EMIT_H

#include <stddef.h>
#include <stdint.h>

/* Reads the boot's digest version (1 or 2) from runtime_event_version. */
int ds_runtime_version_read(int *version);
/* Sets it once per boot, atomically; a different existing value fails. */
int ds_runtime_version_set(int version);
/* Measures one event into RTMR3 and the runtime log. */
int ds_runtime_emit(const char *name, const uint8_t *payload, size_t len);

#endif
