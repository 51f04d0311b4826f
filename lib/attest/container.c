#include "attest/container.h"
#include "attest/container_v1.h"
#include "attest/runtime_event.h"
#include "util/cursor.h"
#include "util/err.h"
#include "util/file.h"
#include "util/scale.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_V0 0x00
#define EV_PLATFORM_CONFIG_FLAGS 10u
#define ACPI_DATA "ACPI DATA"
/* Smallest encodings: TdxEvent = 2 u32 + 3 empty compacts; RuntimeEvent = 2. */
#define TDX_EVENT_MIN 11
#define RUNTIME_EVENT_MIN 2

static const char *const variant_names[DS_ATT_VARIANT_COUNT] = {
	"DstackTdx", "DstackGcpTdx", "DstackNitroEnclave", "DstackAmdSevSnp", "DstackAwsNitroTpm",
};
static const char *const variant_ids[DS_ATT_VARIANT_COUNT] = {
	"dstack-tdx", "dstack-gcp-tdx", "dstack-nitro-enclave", "dstack-amd-sev-snp",
	"dstack-aws-nitro-tpm",
};

const char *ds_att_variant_name(enum ds_att_variant v)
{
	return v < DS_ATT_VARIANT_COUNT ? variant_names[v] : "unknown";
}

const char *ds_att_variant_id(enum ds_att_variant v)
{
	return v < DS_ATT_VARIANT_COUNT ? variant_ids[v] : "unknown";
}

static int is_msgpack_map(uint8_t b)
{
	return (b >= 0x80 && b <= 0x8F) || b == 0xDE || b == 0xDF;
}

static int decode_tdx_event(struct ds_cursor *c, struct ds_event *ev)
{
	int r = ds_cursor_u32le(c, &ev->imr, "imr");

	r = r ?: ds_cursor_u32le(c, &ev->event_type, "event_type");
	r = r ?: ds_scale_bytes(c, &ev->digest, "digest");
	r = r ?: ds_scale_string(c, &ev->name, "event");
	r = r ?: ds_scale_bytes(c, &ev->payload, "event_payload");
	/* V0 carries no digest version: runtime entries are V1 */
	if (ev->event_type == DS_RUNTIME_EVENT_TYPE)
		ev->version = 1;
	return r;
}

static int decode_runtime_event(struct ds_cursor *c, struct ds_event *ev)
{
	int r;

	*ev = (struct ds_event){ .imr = 3, .event_type = DS_RUNTIME_EVENT_TYPE, .version = 1 };
	r = ds_scale_string(c, &ev->name, "runtime event name");
	r = r ?: ds_scale_bytes(c, &ev->payload, "runtime event payload");
	r = r ?: ds_buf_alloc(&ev->digest, DS_SHA384_LEN);
	return r ?: ds_runtime_digest(ev->name, ev->payload.data, ev->payload.len, 1,
				      ev->digest.data);
}

typedef int (*decode_fn)(struct ds_cursor *c, struct ds_event *ev);

static int decode_events(struct ds_cursor *c, size_t min_len, decode_fn fn,
			 struct ds_event_list *out, const char *what)
{
	uint32_t n;
	int r = ds_scale_count(c, min_len, &n, what);

	for (uint32_t i = 0; i < n && r == 0; i++) {
		struct ds_event ev = { 0 };

		r = ds_event_list_push_decoded(out, &ev, fn(c, &ev), what, i);
	}
	return r;
}

static int decode_v0(struct ds_cursor *c, struct ds_attestation *a)
{
	uint8_t variant;
	int r = ds_cursor_u8(c, &variant, "quote variant");

	if (r)
		return r;
	if (variant >= DS_ATT_VARIANT_COUNT)
		return ds_err(-EBADMSG, "invalid AttestationQuote variant index %u", variant);
	a->variant = variant;
	if (variant != DS_ATT_DSTACK_TDX)
		return ds_err(-EOPNOTSUPP, "%s attestations are not supported (only DstackTdx)",
			      variant_names[variant]);
	r = ds_scale_bytes(c, &a->quote, "quote");
	r = r ?: decode_events(c, TDX_EVENT_MIN, decode_tdx_event, &a->event_log, "event_log");
	r = r ?: decode_events(c, RUNTIME_EVENT_MIN, decode_runtime_event, &a->runtime_events,
			       "runtime_events");
	r = r ?: ds_cursor_copy(c, a->report_data, DS_REPORT_DATA_LEN, "report_data");
	return r ?: ds_scale_string(c, &a->config, "config");
}

int ds_attestation_decode(const uint8_t *data, size_t len, struct ds_attestation *out)
{
	struct ds_attestation a = { 0 };
	struct ds_cursor c;
	int r;

	if (len > DS_ATTESTATION_MAX)
		return ds_err(-EFBIG, "attestation bytes too large: %zu > %u", len,
			      DS_ATTESTATION_MAX);
	if (len == 0)
		return ds_err(-EBADMSG, "Empty attestation bytes");
	if (is_msgpack_map(data[0])) {
		r = ds_attestation_v1_decode(data, len, &a);
	} else if (data[0] == WIRE_V0) {
		c = ds_cursor_init(data + 1, len - 1, "attestation");
		r = decode_v0(&c, &a);
		if (r == 0 && ds_cursor_left(&c))
			r = ds_err(-EBADMSG, "Trailing bytes after legacy VersionedAttestation: %zu",
				   ds_cursor_left(&c));
	} else {
		return ds_err(-EBADMSG, "Unknown attestation wire format");
	}
	if (r) {
		ds_attestation_free(&a);
		return r;
	}
	*out = a;
	return 0;
}

int ds_attestation_read_file(const char *path, struct ds_attestation *out, size_t *total)
{
	struct ds_buf data = { 0 };
	int r = ds_read_file(path, DS_ATTESTATION_MAX, &data);

	if (r)
		return ds_err_ctx(r, "Failed to read attestation file");
	r = ds_attestation_decode(data.data, data.len, out);
	*total = data.len;
	ds_buf_free(&data);
	return r ? ds_err_ctx(r, "Failed to decode attestation") : 0;
}

static int encode_tdx_event(struct ds_buf *b, const struct ds_event *ev)
{
	const size_t max = DS_ATTESTATION_MAX;
	int r = ds_scale_put_u32(b, ev->imr, max);

	r = r ?: ds_scale_put_u32(b, ev->event_type, max);
	r = r ?: ds_scale_put_bytes(b, ev->digest.data, ev->digest.len, max);
	r = r ?: ds_scale_put_string(b, ev->name, max);
	return r ?: ds_scale_put_bytes(b, ev->payload.data, ev->payload.len, max);
}

static int encode_runtime_event(struct ds_buf *b, const struct ds_event *ev)
{
	int r = ds_scale_put_string(b, ev->name, DS_ATTESTATION_MAX);

	return r ?: ds_scale_put_bytes(b, ev->payload.data, ev->payload.len, DS_ATTESTATION_MAX);
}

static int encode_events(struct ds_buf *b, const struct ds_event_list *list,
			 int (*fn)(struct ds_buf *, const struct ds_event *))
{
	int r = ds_scale_put_compact(b, list->len, DS_ATTESTATION_MAX);

	for (size_t i = 0; i < list->len && r == 0; i++)
		r = fn(b, &list->items[i]);
	return r;
}

static int has_v2_event(const struct ds_event_list *list)
{
	for (size_t i = 0; i < list->len; i++)
		if (list->items[i].version == 2)
			return 1;
	return 0;
}

static int has_preimage(const struct ds_event_list *list)
{
	for (size_t i = 0; i < list->len; i++)
		if (list->items[i].preimage)
			return 1;
	return 0;
}

/* What only V1 can carry (SCALE skips event versions and preimages). */
static int check_v0_representable(const struct ds_attestation *a)
{
	if (a->variant != DS_ATT_DSTACK_TDX)
		return ds_err(-EOPNOTSUPP, "%s attestations are not supported (only DstackTdx)",
			      ds_att_variant_name(a->variant));
	if (has_v2_event(&a->runtime_events) || has_v2_event(&a->event_log))
		return ds_err(-EINVAL, "events with digest version 2 need a V1 container");
	if (has_preimage(&a->event_log))
		return ds_err(-EINVAL, "event preimages need a V1 container");
	if (a->report_data_payload)
		return ds_err(-EINVAL, "a dstack-pod stack needs a V1 container");
	return 0;
}

static int encode_v0(const struct ds_attestation *a, struct ds_buf *out)
{
	const size_t max = DS_ATTESTATION_MAX;
	struct ds_buf b = { 0 };
	int r = check_v0_representable(a);

	r = r ?: ds_buf_alloc(&b, 0);
	r = r ?: ds_scale_put_u8(&b, WIRE_V0, max);
	r = r ?: ds_scale_put_u8(&b, (uint8_t)a->variant, max);
	r = r ?: ds_scale_put_bytes(&b, a->quote.data, a->quote.len, max);
	r = r ?: encode_events(&b, &a->event_log, encode_tdx_event);
	r = r ?: encode_events(&b, &a->runtime_events, encode_runtime_event);
	r = r ?: ds_buf_append(&b, a->report_data, DS_REPORT_DATA_LEN, max);
	r = r ?: ds_scale_put_string(&b, a->config ? a->config : "", max);
	if (r) {
		ds_buf_free(&b);
		return r;
	}
	*out = b;
	return 0;
}

int ds_attestation_encode(const struct ds_attestation *a, struct ds_buf *out)
{
	int r = a->wire == DS_ATT_WIRE_V1 ? ds_attestation_v1_encode(a, out) : encode_v0(a, out);

	return r ? ds_err_ctx(r, "Failed to encode attestation") : 0;
}

int ds_event_is_acpi_data(const struct ds_event *ev)
{
	return ev->imr == 0 && ev->event_type == EV_PLATFORM_CONFIG_FLAGS &&
	       ev->payload.len == strlen(ACPI_DATA) &&
	       memcmp(ev->payload.data, ACPI_DATA, ev->payload.len) == 0;
}

int ds_attestation_strip(struct ds_attestation *a)
{
	struct ds_event_list kept = { 0 };
	int r = 0;

	if (a->variant != DS_ATT_DSTACK_TDX)
		return 0;
	for (size_t i = 0; i < a->event_log.len && r == 0; i++) {
		struct ds_event *ev = &a->event_log.items[i];

		if (ev->imr == 3 && ev->event_type == DS_RUNTIME_EVENT_TYPE)
			ds_buf_free(&ev->digest);       /* keep the payload */
		else if (ev->imr == 3)
			ds_buf_free(&ev->payload);      /* keep the digest */
		else if (!ds_event_is_acpi_data(ev))
			continue;                       /* ACPI DATA stays whole */
		r = ds_event_list_push(&kept, ev);
	}
	ds_event_list_free(&a->event_log);
	a->event_log = kept;
	return r;
}

int ds_attestation_build(const uint8_t *quote, size_t quote_len, struct ds_event_list *event_log,
			 struct ds_event_list *runtime_events,
			 const uint8_t report_data[DS_REPORT_DATA_LEN], const char *config,
			 struct ds_attestation *out)
{
	struct ds_attestation a = { .variant = DS_ATT_DSTACK_TDX };
	int r = ds_buf_set(&a.quote, quote, quote_len);

	a.config = r ? NULL : strdup(config ? config : "");
	if (r == 0 && !a.config)
		r = ds_err(-ENOMEM, "out of memory");
	if (r) {
		ds_attestation_free(&a);
		return r;
	}
	a.event_log = *event_log;
	a.runtime_events = *runtime_events;
	a.wire = has_v2_event(&a.runtime_events) ? DS_ATT_WIRE_V1 : DS_ATT_WIRE_V0;
	*event_log = (struct ds_event_list){ 0 };
	*runtime_events = (struct ds_event_list){ 0 };
	memcpy(a.report_data, report_data, DS_REPORT_DATA_LEN);
	*out = a;
	return 0;
}

void ds_attestation_free(struct ds_attestation *a)
{
	ds_buf_free(&a->quote);
	ds_event_list_free(&a->event_log);
	ds_event_list_free(&a->runtime_events);
	free(a->config);
	free(a->report_data_payload);
	*a = (struct ds_attestation){ 0 };
}
