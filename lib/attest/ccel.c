#include "attest/ccel.h"
#include "util/cursor.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TCG_TERMINATOR 0xFFFFFFFFu
#define EV_PLATFORM_CONFIG_FLAGS 10u
#define ACPI_DATA "ACPI DATA"

/* The legacy-format header event and the TCG_EfiSpecIDEventStruct inside
 * it. Nothing in it is used: upstream takes digest sizes from a fixed table. */
static int skip_spec_id_event(struct ds_cursor *c)
{
	struct ds_cursor ev;
	const uint8_t *skip, *body;
	uint32_t pcr, type, size, nalgs;
	uint8_t vendor_len;
	int r = ds_cursor_u32le(c, &pcr, "header pcr_index");

	r = r ?: ds_cursor_u32le(c, &type, "header event_type");
	r = r ?: ds_cursor_take(c, 20, &skip, "header SHA-1 digest");
	r = r ?: ds_cursor_u32le(c, &size, "header event_size");
	r = r ?: ds_cursor_take(c, size, &body, "header event");
	if (r)
		return r;
	ev = ds_cursor_init(body, size, "Spec ID event");
	r = ds_cursor_take(&ev, 16 + 4 + 4, &skip, "signature and versions");
	r = r ?: ds_cursor_u32le(&ev, &nalgs, "number_of_algorithms");
	r = r ?: ds_cursor_take(&ev, (size_t)nalgs * 4, &skip, "algorithm sizes");
	r = r ?: ds_cursor_u8(&ev, &vendor_len, "vendor_info_size");
	r = r ?: ds_cursor_take(&ev, vendor_len, &skip, "vendor_info");
	return r ? ds_err_ctx(r, "Failed to parse spec id event") : 0;
}

static int digest_size(uint16_t alg_id, size_t *out)
{
	switch (alg_id) {
	case 0x0004: *out = 20; return 0;
	case 0x000B: *out = 32; return 0;
	case 0x000C: *out = 48; return 0;
	case 0x000D: *out = 64; return 0;
	}
	return ds_err(-EBADMSG, "Unsupported algorithm ID: 0x%04x", alg_id);
}

static int bounded_count(uint32_t n, const char *what)
{
	if (n > DS_TCG_VEC_MAX)
		return ds_err(-EBADMSG, "VecOf length exceeds upper bound: %s %u > %u", what, n,
			      DS_TCG_VEC_MAX);
	return 0;
}

static void tcg_event_clear(struct ds_tcg_event *ev)
{
	for (uint32_t i = 0; ev->digests && i < ev->digest_count; i++)
		ds_buf_free(&ev->digests[i].value);
	free(ev->digests);
	ds_buf_free(&ev->data);
	*ev = (struct ds_tcg_event){ 0 };
}

static int parse_digests(struct ds_cursor *c, struct ds_tcg_event *ev)
{
	uint32_t n;
	int r = ds_cursor_u32le(c, &n, "digest_count");

	r = r ?: bounded_count(n, "digest_count");
	/* each digest takes at least 2 + 20 bytes: bound before allocating */
	if (r == 0 && (size_t)n * 22 > ds_cursor_left(c))
		r = ds_err(-EBADMSG, "TCG event truncated: %u digests do not fit", n);
	if (r)
		return r;
	ev->digests = calloc(n ? n : 1, sizeof(*ev->digests));
	if (!ev->digests)
		return ds_err(-ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n && r == 0; i++) {
		const uint8_t *p;
		size_t size = 0;

		r = ds_cursor_u16le(c, &ev->digests[i].alg_id, "algorithm_id");
		r = r ?: digest_size(ev->digests[i].alg_id, &size);
		r = r ?: ds_cursor_take(c, size, &p, "digest");
		r = r ?: ds_buf_set(&ev->digests[i].value, p, size);
		if (r == 0)
			ev->digest_count = i + 1;
	}
	return r;
}

static int parse_event(struct ds_cursor *c, struct ds_tcg_event *ev)
{
	const uint8_t *p;
	uint32_t size;
	int r = ds_cursor_u32le(c, &ev->mr_index, "mr_index");

	r = r ?: ds_cursor_u32le(c, &ev->event_type, "event_type");
	r = r ?: parse_digests(c, ev);
	r = r ?: ds_cursor_u32le(c, &size, "event_size");
	r = r ?: bounded_count(size, "event_size");
	r = r ?: ds_cursor_take(c, size, &p, "event data");
	return r ?: ds_buf_set(&ev->data, p, size);
}

static int push_tcg(struct ds_tcg_log *log, size_t *cap, struct ds_tcg_event *ev)
{
	if (log->len == *cap) {
		size_t ncap = *cap ? 2 * *cap : 32;
		struct ds_tcg_event *items = reallocarray(log->events, ncap, sizeof(*items));

		if (!items)
			return ds_err(-ENOMEM, "out of memory");
		log->events = items;
		*cap = ncap;
	}
	log->events[log->len++] = *ev;
	*ev = (struct ds_tcg_event){ 0 };
	return 0;
}

int ds_tcg_parse(const uint8_t *data, size_t len, struct ds_tcg_log *out)
{
	struct ds_cursor c = ds_cursor_init(data, len, "TCG event log");
	struct ds_tcg_log log = { 0 };
	size_t cap = 0;
	int r = skip_spec_id_event(&c);

	while (r == 0) {
		struct ds_tcg_event ev = { 0 };
		struct ds_cursor ahead = c;
		uint32_t peek;

		if (ds_cursor_u32le(&ahead, &peek, "mr_index")) {
			r = ds_err(-EBADMSG, "failed to decode imr: the log ends without the "
				   "0xFFFFFFFF terminator at offset %zu", c.pos);
			break;
		}
		if (peek == TCG_TERMINATOR)
			break;
		r = parse_event(&c, &ev);
		if (r)
			ds_err_ctx(r, "event %zu", log.len);
		r = r ?: push_tcg(&log, &cap, &ev);
		tcg_event_clear(&ev);
	}
	if (r) {
		ds_tcg_log_free(&log);
		return r;
	}
	*out = log;
	return 0;
}

void ds_tcg_log_free(struct ds_tcg_log *log)
{
	for (size_t i = 0; i < log->len; i++)
		tcg_event_clear(&log->events[i]);
	free(log->events);
	*log = (struct ds_tcg_log){ 0 };
}

static int convert_event(const struct ds_tcg_event *t, enum ds_ccel_rules rules,
			 struct ds_event *ev)
{
	const struct ds_buf *d;
	int r;

	if (t->digest_count != 1)
		return ds_err(-EBADMSG, "expected 1 digest, got %u", t->digest_count);
	d = &t->digests[0].value;
	if (rules == DS_CCEL_OLD && d->len != 48)
		return ds_err(-EBADMSG, "invalid digest size");
	*ev = (struct ds_event){ .imr = t->mr_index - 1, .event_type = t->event_type };
	ev->name = strdup("");
	r = ev->name ? 0 : ds_err(-ENOMEM, "out of memory");
	r = r ?: ds_buf_set(&ev->digest, d->data, d->len);
	r = r ?: ds_buf_set(&ev->payload, t->data.data, t->data.len);
	return r;
}

int ds_ccel_convert(const struct ds_tcg_log *log, enum ds_ccel_rules rules,
		    struct ds_event_list *out)
{
	struct ds_event_list list = { 0 };
	int r = 0;

	for (size_t i = 0; i < log->len && r == 0; i++) {
		struct ds_event ev = { 0 };

		if (log->events[i].mr_index == 0) {
			/* some platforms fill index 0: new drops, old rejects */
			if (rules == DS_CCEL_OLD)
				r = ds_err(-EBADMSG, "invalid imr index");
			continue;
		}
		r = convert_event(&log->events[i], rules, &ev);
		if (r)
			ds_event_clear(&ev);
		else
			r = ds_event_list_push(&list, &ev);
	}
	if (r) {
		ds_event_list_free(&list);
		return r;
	}
	*out = list;
	return 0;
}

int ds_ccel_label_acpi(struct ds_event_list *events)
{
	static const char *const labels[] = { "acpi-loader", "acpi-rsdp", "acpi-tables" };
	size_t seen = 0;

	for (size_t i = 0; i < events->len && seen < 3; i++) {
		struct ds_event *ev = &events->items[i];
		char *name;

		if (ev->imr != 0 || ev->event_type != EV_PLATFORM_CONFIG_FLAGS ||
		    ev->payload.len != strlen(ACPI_DATA) ||
		    memcmp(ev->payload.data, ACPI_DATA, ev->payload.len))
			continue;
		name = strdup(labels[seen++]);
		if (!name)
			return ds_err(-ENOMEM, "out of memory");
		free(ev->name);
		ev->name = name;
	}
	return 0;
}

int ds_ccel_decode(const uint8_t *data, size_t len, enum ds_ccel_rules rules,
		   struct ds_event_list *out)
{
	struct ds_tcg_log log = { 0 };
	int r = ds_tcg_parse(data, len, &log);

	r = r ?: ds_ccel_convert(&log, rules, out);
	ds_tcg_log_free(&log);
	if (r == 0 && rules == DS_CCEL_NEW) {
		r = ds_ccel_label_acpi(out);
		if (r)
			ds_event_list_free(out);
	}
	return r ? ds_err_ctx(r, "failed to decode CCEL") : 0;
}

int ds_ccel_path(const char **out)
{
	int r = ds_env_path("DSTACK_CCEL_FILE", out);

	if (r == 0 && !*out)
		*out = DS_CCEL_DEFAULT_PATH;
	return r;
}

int ds_ccel_read(enum ds_ccel_rules rules, struct ds_event_list *out)
{
	struct ds_buf data = { 0 };
	const char *path;
	int r = ds_ccel_path(&path);

	if (r)
		return r;
	r = ds_read_file(path, DS_CCEL_FILE_MAX, &data);
	if (r)
		return ds_err_ctx(r, "failed to read CCEL from %s", path);
	r = ds_ccel_decode(data.data, data.len, rules, out);
	ds_buf_free(&data);
	return r;
}
