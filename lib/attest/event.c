#include "attest/event.h"
#include "util/err.h"
#include "util/lines.h"

#include <errno.h>
#include <stdlib.h>

void ds_event_clear(struct ds_event *ev)
{
	ds_buf_free(&ev->digest);
	ds_buf_free(&ev->payload);
	free(ev->name);
	ev->name = NULL;
	free(ev->preimage);
	ev->preimage = NULL;
}

int ds_event_list_push(struct ds_event_list *list, struct ds_event *ev)
{
	if (list->len == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 16;
		struct ds_event *items = reallocarray(list->items, cap, sizeof(*items));

		if (!items) {
			ds_event_clear(ev);
			return ds_err(-ENOMEM, "out of memory growing an event list");
		}
		list->items = items;
		list->cap = cap;
	}
	list->items[list->len++] = *ev;
	*ev = (struct ds_event){ 0 };
	return 0;
}

int ds_event_list_push_decoded(struct ds_event_list *list, struct ds_event *ev, int r,
			       const char *what, uint32_t i)
{
	if (r == 0)
		return ds_event_list_push(list, ev);
	ds_event_clear(ev);
	return ds_err_ctx(r, "%s entry %u", what, i);
}

int ds_event_list_append(struct ds_event_list *dst, struct ds_event_list *src)
{
	int r = 0;

	for (size_t i = 0; i < src->len && r == 0; i++)
		r = ds_event_list_push(dst, &src->items[i]);
	ds_event_list_free(src);
	return r;
}

void ds_event_list_free(struct ds_event_list *list)
{
	for (size_t i = 0; i < list->len; i++)
		ds_event_clear(&list->items[i]);
	free(list->items);
	*list = (struct ds_event_list){ 0 };
}

struct line_ctx {
	ds_event_line_fn fn;
	struct ds_event_list *list;
};

static int push_line(const uint8_t *line, size_t len, void *arg)
{
	struct line_ctx *ctx = arg;
	struct ds_event ev = { 0 };
	int r = ctx->fn(line, len, &ev);

	if (r) {
		ds_event_clear(&ev);
		return r;
	}
	return ds_event_list_push(ctx->list, &ev);
}

int ds_event_list_parse_lines(const uint8_t *data, size_t len, ds_event_line_fn fn,
			      struct ds_event_list *out)
{
	struct ds_event_list list = { 0 };
	struct line_ctx ctx = { fn, &list };
	int r = ds_for_each_line(data, len, push_line, &ctx);

	if (r) {
		ds_event_list_free(&list);
		return ds_err_ctx(r, "Failed to decode user event log");
	}
	*out = list;
	return 0;
}
