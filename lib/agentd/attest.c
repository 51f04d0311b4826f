/* Attest (spec guest-agent-api.md 2.3): the versioned attestation over the
 * caller's report data (padded as GetQuote pads it), as upstream's agent
 * encodes it: not stripped, SCALE V0 unless a runtime event needs V1, the
 * pre-images of V2 events filled in by the backend. */
#include "agentd/request.h"
#include "util/err.h"

#include <errno.h>

int ds_agentd_attest(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	uint8_t report_data[DS_REPORT_DATA_LEN];
	struct ds_attestation att = { 0 };
	struct ds_buf bytes = { 0 };
	int r;

	r = ds_agentd_req_report_data(req, report_data);
	if (r == 0) {
		r = a->backend->attest(report_data, a->sys_config_path, &att);
		if (r)
			ds_err_ctx(r, "Failed to get attestation");
	}
	if (r == 0) {
		r = ds_attestation_encode(&att, &bytes);
		if (r)
			ds_err_ctx(r, "Failed to encode the attestation");
	}
	if (r == 0) {
		*out = json_pack("{s:o}", "attestation", ds_agentd_hex_json(bytes.data, bytes.len));
		r = *out ? 0 : ds_err(-ENOMEM, "out of memory");
	}
	ds_attestation_free(&att);
	ds_buf_free(&bytes);
	return r;
}
