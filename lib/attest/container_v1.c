/* V1 decoding. Maps are read like serde's derived structs: any key order,
 * unknown keys ignored, a known key twice is an error. Types are strict:
 * quote and report_data are arrays of integers, digest/event_payload/payload
 * are bin, names and config are strings. */
#include "attest/container_v1.h"
#include "attest/runtime_event.h"
#include "util/err.h"
#include "util/msgpack.h"

#include <errno.h>
#include <string.h>

#define ATTESTATION_VERSION 1

static const char *const other_platforms[] = {
	"gcp-tdx", "nitro-enclave", "aws-nitro-tpm", "sev-snp",
};

static int decode_event_version(const msgpack_object *o, const char *what, int *out)
{
	uint64_t v = 1;
	int r = o ? ds_mp_uint(o, UINT32_MAX, what, &v) : 0;

	if (r == 0 && v != 1 && v != 2)
		r = ds_err(-EBADMSG, "unknown event log version: %llu", (unsigned long long)v);
	*out = (int)v;
	return r;
}

static int decode_tdx_event(const msgpack_object *o, struct ds_event *ev)
{
	struct ds_mp_field f[] = {
		{ "imr", DS_MP_REQUIRED, NULL }, { "event_type", DS_MP_REQUIRED, NULL },
		{ "digest", 0, NULL },           { "event", DS_MP_REQUIRED, NULL },
		{ "event_payload", DS_MP_REQUIRED, NULL }, { "version", 0, NULL },
		{ "preimage", 0, NULL },
	};
	uint64_t imr = 0, type = 0;
	int version = 1;
	int r = ds_mp_fields(o, f, 7, "TdxEvent");

	r = r ?: ds_mp_uint(f[0].val, UINT32_MAX, "TdxEvent.imr", &imr);
	r = r ?: ds_mp_uint(f[1].val, UINT32_MAX, "TdxEvent.event_type", &type);
	if (r == 0 && f[2].val)
		r = ds_mp_bin(f[2].val, "TdxEvent.digest", &ev->digest);
	r = r ?: ds_mp_str(f[3].val, "TdxEvent.event", &ev->name);
	r = r ?: ds_mp_bin(f[4].val, "TdxEvent.event_payload", &ev->payload);
	r = r ?: decode_event_version(f[5].val, "TdxEvent.version", &version);
	/* Option<String>: nil is None */
	if (r == 0 && f[6].val && f[6].val->type != MSGPACK_OBJECT_NIL)
		r = ds_mp_str(f[6].val, "TdxEvent.preimage", &ev->preimage);
	ev->imr = (uint32_t)imr;
	ev->event_type = (uint32_t)type;
	/* as for V0: runtime entries are V1 unless marked, others unversioned */
	ev->version = version == 2 ? 2 : type == DS_RUNTIME_EVENT_TYPE;
	return r;
}

static int decode_runtime_event(const msgpack_object *o, struct ds_event *ev)
{
	struct ds_mp_field f[] = {
		{ "event", DS_MP_REQUIRED, NULL }, { "payload", DS_MP_REQUIRED, NULL },
		{ "version", 0, NULL },
	};
	int r = ds_mp_fields(o, f, 3, "RuntimeEvent");

	*ev = (struct ds_event){ .imr = 3, .event_type = DS_RUNTIME_EVENT_TYPE };
	r = r ?: ds_mp_str(f[0].val, "RuntimeEvent.event", &ev->name);
	r = r ?: ds_mp_bin(f[1].val, "RuntimeEvent.payload", &ev->payload);
	r = r ?: decode_event_version(f[2].val, "RuntimeEvent.version", &ev->version);
	r = r ?: ds_buf_alloc(&ev->digest, DS_SHA384_LEN);
	return r ?: ds_runtime_digest(ev->name, ev->payload.data, ev->payload.len, ev->version,
				      ev->digest.data);
}

typedef int (*decode_fn)(const msgpack_object *o, struct ds_event *ev);

static int decode_events(const msgpack_object *o, decode_fn fn, struct ds_event_list *out,
			 const char *what)
{
	const msgpack_object *items;
	uint32_t n;
	int r = ds_mp_array(o, what, &items, &n);

	for (uint32_t i = 0; i < n && r == 0; i++) {
		struct ds_event ev = { 0 };

		r = ds_event_list_push_decoded(out, &ev, fn(&items[i], &ev), what, i);
	}
	return r;
}

/* An adjacently tagged enum {kind, data}: *kind points at the tag. */
static int decode_tagged(const msgpack_object *o, const char *what, const msgpack_object **kind,
			 const msgpack_object **data)
{
	struct ds_mp_field f[] = {
		{ "kind", DS_MP_REQUIRED, NULL }, { "data", DS_MP_REQUIRED, NULL },
	};
	int r = ds_mp_fields(o, f, 2, what);

	if (r == 0 && f[0].val->type != MSGPACK_OBJECT_STR)
		r = ds_err(-EBADMSG, "%s.kind: expected a string", what);
	*kind = f[0].val;
	*data = f[1].val;
	return r;
}

static int decode_platform(const msgpack_object *o, struct ds_attestation *a)
{
	struct ds_mp_field f[] = {
		{ "quote", DS_MP_REQUIRED, NULL }, { "event_log", DS_MP_REQUIRED, NULL },
	};
	const msgpack_object *kind, *data;
	int r = decode_tagged(o, "platform", &kind, &data);

	if (r)
		return r;
	if (!ds_mp_str_eq(kind, "tdx")) {
		for (size_t i = 0; i < sizeof(other_platforms) / sizeof(*other_platforms); i++)
			if (ds_mp_str_eq(kind, other_platforms[i]))
				return ds_err(-EOPNOTSUPP, "%s attestations are not supported "
					      "(only tdx)", other_platforms[i]);
		return ds_err(-EBADMSG, "platform: unknown variant, expected one of `tdx`, "
			      "`gcp-tdx`, `nitro-enclave`, `aws-nitro-tpm`, `sev-snp`");
	}
	a->variant = DS_ATT_DSTACK_TDX;
	r = ds_mp_fields(data, f, 2, "platform.data");
	r = r ?: ds_mp_u8_array(f[0].val, "platform.data.quote", &a->quote);
	return r ?: decode_events(f[1].val, decode_tdx_event, &a->event_log,
				  "platform.data.event_log");
}

static int decode_stack(const msgpack_object *o, struct ds_attestation *a)
{
	struct ds_mp_field f[] = {
		{ "report_data", DS_MP_REQUIRED, NULL }, { "runtime_events", DS_MP_REQUIRED, NULL },
		{ "config", DS_MP_REQUIRED, NULL },      { "report_data_payload", 0, NULL },
	};
	const msgpack_object *kind, *data;
	struct ds_buf report_data = { 0 };
	int pod, r = decode_tagged(o, "stack", &kind, &data);

	if (r)
		return r;
	pod = ds_mp_str_eq(kind, "dstack-pod");
	if (!pod && !ds_mp_str_eq(kind, "dstack"))
		return ds_err(-EBADMSG,
			      "stack: unknown variant, expected one of `dstack`, `dstack-pod`");
	/* dstack has no report_data_payload field: there it is an ignored key */
	f[3].flags = pod ? DS_MP_REQUIRED : 0;
	r = ds_mp_fields(data, f, pod ? 4 : 3, "stack.data");
	r = r ?: ds_mp_u8_array(f[0].val, "stack.data.report_data", &report_data);
	if (r == 0 && report_data.len != DS_REPORT_DATA_LEN)
		r = ds_err(-EBADMSG, "stack.report_data must be 64 bytes");
	if (r == 0)
		memcpy(a->report_data, report_data.data, DS_REPORT_DATA_LEN);
	ds_buf_free(&report_data);
	r = r ?: decode_events(f[1].val, decode_runtime_event, &a->runtime_events,
			       "stack.data.runtime_events");
	r = r ?: ds_mp_str(f[2].val, "stack.data.config", &a->config);
	if (r == 0 && pod)
		r = ds_mp_str(f[3].val, "stack.data.report_data_payload", &a->report_data_payload);
	return r;
}

static int decode_root(const msgpack_object *o, struct ds_attestation *a, uint64_t *version)
{
	struct ds_mp_field f[] = {
		{ "version", DS_MP_REQUIRED, NULL }, { "platform", DS_MP_REQUIRED, NULL },
		{ "stack", DS_MP_REQUIRED, NULL },
	};
	int r = ds_mp_fields(o, f, 3, "attestation");

	r = r ?: ds_mp_uint(f[0].val, UINT64_MAX, "attestation.version", version);
	r = r ?: decode_platform(f[1].val, a);
	return r ?: decode_stack(f[2].val, a);
}

int ds_attestation_v1_decode(const uint8_t *data, size_t len, struct ds_attestation *a)
{
	msgpack_unpacked u;
	uint64_t version = 0;
	size_t end;
	int r = ds_mp_unpack(data, len, "attestation", &u, &end);

	if (r)
		return ds_err_ctx(r, "failed to decode attestation from msgpack");
	a->wire = DS_ATT_WIRE_V1;
	r = decode_root(&u.data, a, &version);
	msgpack_unpacked_destroy(&u);
	if (r)
		return ds_err_ctx(r, "failed to decode attestation from msgpack");
	if (end != len)
		return ds_err(-EBADMSG, "trailing bytes after attestation msgpack: %zu", len - end);
	if (version != ATTESTATION_VERSION)
		return ds_err(-EBADMSG, "unsupported attestation version: expected %d, got %llu",
			      ATTESTATION_VERSION, (unsigned long long)version);
	return 0;
}
