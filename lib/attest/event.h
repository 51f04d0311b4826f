/* The dstack event model shared by the boot log (CCEL), the runtime log and
 * the attestation container (spec tdx-attestation.md section 3). */
#ifndef DS_ATTEST_EVENT_H
#define DS_ATTEST_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "attest/sha384.h"
#include "util/buf.h"

#define DS_RUNTIME_EVENT_TYPE 0x08000001u

struct ds_event {
	uint32_t imr;           /* 0-based RTMR index */
	uint32_t event_type;
	struct ds_buf digest;   /* stored digest (boot) or recomputed (runtime) */
	char *name;             /* "event": NUL-terminated UTF-8, "" when unnamed */
	struct ds_buf payload;  /* "event_payload" */
	int version;            /* runtime events: digest version 1 or 2; else 0
				   (2 also kept on other events of V1 containers) */
	char *preimage;         /* hex of the digest preimage, or NULL; only V1
				   containers carry it (tdx-attestation.md 3.5) */
};

struct ds_event_list {
	struct ds_event *items;
	size_t len, cap;
};

/* Appends ev, taking ownership of its buffers (also on failure). */
int ds_event_list_push(struct ds_event_list *list, struct ds_event *ev);
/* Appends an event a decoder filled when r == 0; when r < 0 clears it and
 * adds the context "<what> entry <i>". Returns r or the push result. */
int ds_event_list_push_decoded(struct ds_event_list *list, struct ds_event *ev, int r,
			       const char *what, uint32_t i);
/* Moves every event of src to the end of dst; src is left empty. */
int ds_event_list_append(struct ds_event_list *dst, struct ds_event_list *src);
/* A line-oriented log: one event per non-blank line, parsed by fn; any bad
 * line fails with "Failed to decode user event log" (and "line N"). */
typedef int (*ds_event_line_fn)(const uint8_t *line, size_t len, struct ds_event *out);
int ds_event_list_parse_lines(const uint8_t *data, size_t len, ds_event_line_fn fn,
			      struct ds_event_list *out);
void ds_event_clear(struct ds_event *ev);
void ds_event_list_free(struct ds_event_list *list);

#endif
