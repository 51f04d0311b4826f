/* The full event log of HEAD (spec tdx-attestation.md 3.4, 4.7): labelled
 * CCEL events followed by the runtime events, and its JSON form. */
#ifndef DS_ATTEST_EVENT_LOG_H
#define DS_ATTEST_EVENT_LOG_H

#include <jansson.h>

#include "attest/event.h"
#include "util/json.h"

/* Reads the CCEL (ds_ccel_read) and the runtime log (ds_runtime_log_read). */
int ds_event_log_read(struct ds_event_list *out);

/* {"imr","event_type","digest","event","event_payload"[,"version":2]} */
int ds_event_json(const struct ds_event *ev, json_t **out);
int ds_event_list_json(const struct ds_event_list *list, json_t **out);
/* The array text of 4.7 (pretty) or of attest-info's size count (compact). */
int ds_event_list_dump(const struct ds_event_list *list, enum ds_json_style style, char **out);

#endif
