/* The attestation container, V0 (SCALE) and V1 (MessagePack): decoding,
 * re-encoding, stripping and both text views. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/container.h"
#include "attest/container_show.h"

/* V0 decoding accepts only minimal, exact encodings, so re-encoding gives
 * the input. V1 decoding accepts what serde accepts (unknown keys, any
 * integer width, a missing digest), so there the encoding must be a fixed
 * point: decoding it and encoding again gives the same bytes. */
static void check_reencode(const struct ds_attestation *a, const uint8_t *data, size_t size)
{
	struct ds_attestation b = { 0 };
	struct ds_buf out = { 0 }, again = { 0 };
	int r = ds_attestation_encode(a, &out);

	/* a V1 input near the size cap may grow past it (a missing digest
	 * is written out) */
	if (r == -EFBIG && a->wire == DS_ATT_WIRE_V1)
		return;
	if (r)
		__builtin_trap();
	if (a->wire == DS_ATT_WIRE_V0 && (out.len != size || memcmp(out.data, data, size)))
		__builtin_trap();
	if (ds_attestation_decode(out.data, out.len, &b) || b.wire != a->wire ||
	    ds_attestation_encode(&b, &again) || again.len != out.len ||
	    memcmp(again.data, out.data, out.len))
		__builtin_trap();
	ds_attestation_free(&b);
	ds_buf_free(&out);
	ds_buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_attestation a = { 0 };
	struct ds_buf out = { 0 };
	char *text = NULL;

	if (ds_attestation_decode(data, size, &a))
		return 0;
	check_reencode(&a, data, size);
	if (ds_attestation_info_text(&a, "fuzz", size, &text) == 0)
		free(text);
	if (ds_attestation_json(&a, &text) == 0)
		free(text);
	if (ds_attestation_strip(&a) == 0 && ds_attestation_encode(&a, &out) == 0)
		ds_buf_free(&out);
	ds_attestation_free(&a);
	return 0;
}
