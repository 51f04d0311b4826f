/* The attestation container: decoding, and for what decodes a byte-exact
 * re-encoding, stripping and both text views. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/container.h"
#include "attest/container_show.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_attestation a = { 0 };
	struct ds_buf out = { 0 };
	char *text = NULL;

	if (ds_attestation_decode(data, size, &a))
		return 0;
	/* decoding accepts only minimal, exact encodings: re-encoding gives the input */
	if (ds_attestation_encode(&a, &out) || out.len != size || memcmp(out.data, data, size))
		__builtin_trap();
	ds_buf_free(&out);
	if (ds_attestation_info_text(&a, "fuzz", size, &text) == 0)
		free(text);
	if (ds_attestation_json(&a, &text) == 0)
		free(text);
	if (ds_attestation_strip(&a) == 0 && ds_attestation_encode(&a, &out) == 0)
		ds_buf_free(&out);
	ds_attestation_free(&a);
	return 0;
}
