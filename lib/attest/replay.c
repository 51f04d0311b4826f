#include "attest/replay.h"
#include "attest/runtime_event.h"
#include "util/err.h"

#include <errno.h>
#include <string.h>

static int stops_at(const struct ds_event *ev, const char *stop)
{
	return stop && strcmp(ev->name, stop) == 0;
}

static int runtime_digest(struct ds_sha384 *h, const struct ds_event *ev,
			  uint8_t out[DS_SHA384_LEN])
{
	/* V0 containers and old logs carry no version: they are V1 */
	return ds_runtime_digest_with(h, ev->name, ev->payload.data, ev->payload.len,
				      ev->version == 2 ? 2 : 1, out);
}

int ds_replay_rtmr3(const struct ds_event_list *runtime, const char *stop,
		    uint8_t rtmr3[DS_SHA384_LEN])
{
	struct ds_sha384 h;
	uint8_t d[DS_SHA384_LEN];
	int r = ds_sha384_init(&h);

	memset(rtmr3, 0, DS_SHA384_LEN);
	for (size_t i = 0; i < runtime->len && r == 0; i++) {
		r = runtime_digest(&h, &runtime->items[i], d);
		r = r ?: ds_sha384_extend(&h, rtmr3, d, sizeof(d));
		if (stops_at(&runtime->items[i], stop))
			break;
	}
	ds_sha384_free(&h);
	return r;
}

int ds_replay_imr(const struct ds_event_list *log, const char *stop, struct ds_rtmrs *out)
{
	struct ds_sha384 h;
	uint8_t d[DS_SHA384_LEN];
	int r = ds_sha384_init(&h);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < log->len && r == 0; i++) {
		const struct ds_event *ev = &log->items[i];

		if (ev->imr < 4 && ev->event_type == DS_RUNTIME_EVENT_TYPE) {
			r = runtime_digest(&h, ev, d);
			r = r ?: ds_sha384_extend(&h, out->mr[ev->imr], d, sizeof(d));
		} else if (ev->imr < 4) {
			r = ds_sha384_extend(&h, out->mr[ev->imr], ev->digest.data, ev->digest.len);
		}
		if (stops_at(ev, stop))
			break;
	}
	ds_sha384_free(&h);
	return r;
}

static int check_v1_digest(struct ds_sha384 *h, const struct ds_event *ev)
{
	uint8_t d[DS_SHA384_LEN];
	int r = ds_runtime_digest_with(h, ev->name, ev->payload.data, ev->payload.len, 1, d);

	if (r == 0 && (ev->digest.len != sizeof(d) || memcmp(ev->digest.data, d, sizeof(d))))
		r = ds_err(-EBADMSG, "invalid digest");
	return r ? ds_err_ctx(r, "Failed to validate event digest") : 0;
}

/* Upstream folds each register in its own pass over the same events and
 * validates in every pass; one pass gives the same values and errors. */
int ds_replay_old(const struct ds_event_list *log, const char *stop, struct ds_rtmrs *out)
{
	struct ds_sha384 h;
	int r = ds_sha384_init(&h);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < log->len && r == 0; i++) {
		const struct ds_event *ev = &log->items[i];

		if (ev->imr == 3)
			r = check_v1_digest(&h, ev);
		if (r == 0 && ev->imr < 4)
			r = ds_sha384_extend(&h, out->mr[ev->imr], ev->digest.data, ev->digest.len);
		if (stops_at(ev, stop))
			break;
	}
	ds_sha384_free(&h);
	return r ? ds_err_ctx(r, "Failed to replay event logs") : 0;
}
