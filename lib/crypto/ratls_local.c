/* The guest's own evidence for certificates: the local attestation
 * (ds_attestation_local) stripped and encoded as upstream embeds it. */
#include "attest/container.h"
#include "attest/local.h"
#include "crypto/ratls.h"

static int local_attest(void *ctx, const uint8_t report_data[DS_REPORT_DATA_LEN],
			struct ds_evidence *out)
{
	struct ds_attestation att = { 0 };
	int r;

	(void)ctx;
	r = ds_attestation_local(report_data, NULL, &att);
	if (r == 0)
		r = ds_attestation_strip(&att);
	if (r == 0)
		r = ds_attestation_encode(&att, &out->attestation);
	ds_attestation_free(&att);
	return r;
}

const struct ds_attester ds_local_attester = { local_attest, NULL };
