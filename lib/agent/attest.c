/* Attest: a versioned attestation over caller report data (spec
 * guest-agent-api.md 2.3). It must decode, and bind exactly the report
 * data that was sent, in the container and in its quote. */
#include "agent/agent.h"
#include "attest/container.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static int check(const struct ds_buf *bytes, const uint8_t report_data[DSTACK_REPORT_DATA_LEN])
{
	struct ds_attestation att = { 0 };
	int r;

	if (!bytes->len)
		return ds_err(-EBADMSG, "member \"attestation\" is empty");
	r = ds_attestation_decode(bytes->data, bytes->len, &att);
	if (r)
		r = ds_err_ctx(-EBADMSG, "member \"attestation\" is not a dstack TDX attestation");
	else if (CRYPTO_memcmp(att.report_data, report_data, DSTACK_REPORT_DATA_LEN))
		r = ds_err(-EBADMSG, "the attestation's report data differs from the requested report data");
	else
		r = ds_agent_check_quote(att.quote.data, att.quote.len, report_data,
					 "the attestation's quote");
	ds_attestation_free(&att);
	return r;
}

int ds_agent_attest_parse(const uint8_t *data, size_t len,
			  const uint8_t report_data[DSTACK_REPORT_DATA_LEN],
			  struct dstack_attestation *out)
{
	struct ds_buf bytes = { 0 };
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	r = ds_agent_json_hex(root, "attestation", &bytes);
	r = r ?: check(&bytes, report_data);
	if (r == 0) {
		out->attestation = (struct dstack_bytes){ bytes.data, bytes.len };
		memcpy(out->report_data, report_data, DSTACK_REPORT_DATA_LEN);
	} else {
		ds_buf_free(&bytes);
	}
	json_decref(root);
	return r;
}

int dstack_attest(dstack_client *client, const uint8_t *report_data, size_t len,
		  struct dstack_attestation *out)
{
	uint8_t padded[DSTACK_REPORT_DATA_LEN];
	struct ds_buf body = { 0 };
	int r;

	if (!client || !out)
		return ds_err(-EINVAL, "Attest needs a client, report data and a result");
	memset(out, 0, sizeof(*out));
	r = ds_agent_report_data_call(client, "Attest", report_data, len, padded, &body);
	return r ?: ds_agent_parsed(client, "Attest", &body,
				    ds_agent_attest_parse(body.data, body.len, padded, out));
}

void dstack_attestation_free(struct dstack_attestation *attestation)
{
	if (!attestation)
		return;
	free(attestation->attestation.data);
	memset(attestation, 0, sizeof(*attestation));
}
