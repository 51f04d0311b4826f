/* V1 encoding, as rmp-serde's to_vec_named writes upstream's structures:
 * maps with string keys in declaration order, the smallest integer, string,
 * bin, array and map headers (msgpack-c's packer picks the same), optional
 * fields (event version 2, preimage) only when set. */
#include "attest/container_v1.h"
#include "util/err.h"
#include "util/msgpack.h"

#include <errno.h>

static int pack_tdx_event(msgpack_packer *pk, const struct ds_event *ev)
{
	int r = msgpack_pack_map(pk, 5 + (ev->version == 2) + (ev->preimage != NULL));

	r = r ?: ds_mp_pack_cstr(pk, "imr");
	r = r ?: msgpack_pack_uint32(pk, ev->imr);
	r = r ?: ds_mp_pack_cstr(pk, "event_type");
	r = r ?: msgpack_pack_uint32(pk, ev->event_type);
	r = r ?: ds_mp_pack_cstr(pk, "digest");
	r = r ?: ds_mp_pack_bin(pk, ev->digest.data, ev->digest.len);
	r = r ?: ds_mp_pack_cstr(pk, "event");
	r = r ?: ds_mp_pack_cstr(pk, ev->name);
	r = r ?: ds_mp_pack_cstr(pk, "event_payload");
	r = r ?: ds_mp_pack_bin(pk, ev->payload.data, ev->payload.len);
	if (r == 0 && ev->version == 2)
		r = ds_mp_pack_cstr(pk, "version") ?: msgpack_pack_uint32(pk, 2);
	if (r == 0 && ev->preimage)
		r = ds_mp_pack_cstr(pk, "preimage") ?: ds_mp_pack_cstr(pk, ev->preimage);
	return r;
}

static int pack_runtime_event(msgpack_packer *pk, const struct ds_event *ev)
{
	int r = msgpack_pack_map(pk, 2 + (ev->version == 2));

	r = r ?: ds_mp_pack_cstr(pk, "event");
	r = r ?: ds_mp_pack_cstr(pk, ev->name);
	r = r ?: ds_mp_pack_cstr(pk, "payload");
	r = r ?: ds_mp_pack_bin(pk, ev->payload.data, ev->payload.len);
	if (r == 0 && ev->version == 2)
		r = ds_mp_pack_cstr(pk, "version") ?: msgpack_pack_uint32(pk, 2);
	return r;
}

static int pack_events(msgpack_packer *pk, const struct ds_event_list *list,
		       int (*fn)(msgpack_packer *, const struct ds_event *))
{
	int r = msgpack_pack_array(pk, list->len);

	for (size_t i = 0; i < list->len && r == 0; i++)
		r = fn(pk, &list->items[i]);
	return r;
}

static int pack_platform(msgpack_packer *pk, const struct ds_attestation *a)
{
	int r = msgpack_pack_map(pk, 2);

	r = r ?: ds_mp_pack_cstr(pk, "kind");
	r = r ?: ds_mp_pack_cstr(pk, "tdx");
	r = r ?: ds_mp_pack_cstr(pk, "data");
	r = r ?: msgpack_pack_map(pk, 2);
	r = r ?: ds_mp_pack_cstr(pk, "quote");
	r = r ?: ds_mp_pack_u8_array(pk, a->quote.data, a->quote.len);
	r = r ?: ds_mp_pack_cstr(pk, "event_log");
	return r ?: pack_events(pk, &a->event_log, pack_tdx_event);
}

static int pack_stack(msgpack_packer *pk, const struct ds_attestation *a)
{
	int pod = a->report_data_payload != NULL;
	int r = msgpack_pack_map(pk, 2);

	r = r ?: ds_mp_pack_cstr(pk, "kind");
	r = r ?: ds_mp_pack_cstr(pk, pod ? "dstack-pod" : "dstack");
	r = r ?: ds_mp_pack_cstr(pk, "data");
	r = r ?: msgpack_pack_map(pk, 3 + pod);
	r = r ?: ds_mp_pack_cstr(pk, "report_data");
	r = r ?: ds_mp_pack_u8_array(pk, a->report_data, DS_REPORT_DATA_LEN);
	r = r ?: ds_mp_pack_cstr(pk, "runtime_events");
	r = r ?: pack_events(pk, &a->runtime_events, pack_runtime_event);
	r = r ?: ds_mp_pack_cstr(pk, "config");
	r = r ?: ds_mp_pack_cstr(pk, a->config ? a->config : "");
	if (r == 0 && pod)
		r = ds_mp_pack_cstr(pk, "report_data_payload") ?:
		    ds_mp_pack_cstr(pk, a->report_data_payload);
	return r;
}

int ds_attestation_v1_encode(const struct ds_attestation *a, struct ds_buf *out)
{
	struct ds_mp_writer w;
	int r;

	if (a->variant != DS_ATT_DSTACK_TDX)
		return ds_err(-EOPNOTSUPP, "%s attestations are not supported (only tdx)",
			      ds_att_variant_name(a->variant));
	ds_mp_writer_init(&w, DS_ATTESTATION_MAX);
	r = msgpack_pack_map(&w.pk, 3);
	r = r ?: ds_mp_pack_cstr(&w.pk, "version");
	r = r ?: msgpack_pack_uint64(&w.pk, 1);
	r = r ?: ds_mp_pack_cstr(&w.pk, "platform");
	r = r ?: pack_platform(&w.pk, a);
	r = r ?: ds_mp_pack_cstr(&w.pk, "stack");
	r = r ?: pack_stack(&w.pk, a);
	if (r) {
		ds_buf_free(&w.buf);
		return w.err;
	}
	*out = w.buf;
	return 0;
}
