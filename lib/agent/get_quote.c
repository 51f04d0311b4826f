/* GetQuote: a TDX quote over caller report data (spec guest-agent-api.md
 * 2.2). The answer must carry exactly the report data that was sent. */
#include "agent/agent.h"
#include "attest/quote.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static int check_report_data(const json_t *root, const uint8_t want[DSTACK_REPORT_DATA_LEN],
			     uint8_t out[DSTACK_REPORT_DATA_LEN])
{
	struct ds_buf got = { 0 };
	int r;

	r = ds_agent_json_hex(root, "report_data", &got);
	if (r)
		return r;
	if (got.len != DSTACK_REPORT_DATA_LEN)
		r = ds_err(-EBADMSG, "report_data is %zu bytes, expected %d", got.len,
			   DSTACK_REPORT_DATA_LEN);
	else if (CRYPTO_memcmp(got.data, want, DSTACK_REPORT_DATA_LEN))
		r = ds_err(-EBADMSG, "report_data differs from the requested report data");
	else
		memcpy(out, got.data, DSTACK_REPORT_DATA_LEN);
	ds_buf_free(&got);
	return r;
}

int ds_agent_check_quote(const uint8_t *quote, size_t len,
			 const uint8_t report_data[DSTACK_REPORT_DATA_LEN], const char *what)
{
	const struct ds_td10 *td;
	struct ds_quote parsed;
	int r;

	r = ds_quote_parse(quote, len, &parsed);
	if (r == 0)
		r = ds_quote_td_report(&parsed, &td);
	if (r)
		return ds_err_ctx(r, "%s is not a TDX quote", what);
	if (CRYPTO_memcmp(td->report_data, report_data, DSTACK_REPORT_DATA_LEN))
		return ds_err(-EBADMSG, "the quote's report data differs from the requested report data");
	return 0;
}

/* An answer with only an "attestation" (non-TDX platforms) is refused:
 * nothing here could check that it binds the report data. */
static int check_quote(const struct dstack_quote *q)
{
	if (!q->quote.len)
		return ds_err(-EBADMSG, "answer holds no TDX quote");
	return ds_agent_check_quote(q->quote.data, q->quote.len, q->report_data, "member \"quote\"");
}

/* event_log is JSON text of its own: an array when present. */
static int check_event_log(const char *text)
{
	json_error_t error;
	json_t *log;
	int ok;

	if (!*text)
		return 0;
	log = json_loads(text, JSON_REJECT_DUPLICATES, &error);
	ok = json_is_array(log);
	json_decref(log);
	return ok ? 0 : ds_err(-EBADMSG, "event_log is not the JSON text of an array");
}

static int take_bytes(const json_t *root, const char *name, int optional, struct dstack_bytes *out)
{
	struct ds_buf b = { 0 };
	int r;

	if (optional && !json_object_get(root, name))
		return 0;
	r = ds_agent_json_hex(root, name, &b);
	if (r == 0)
		*out = (struct dstack_bytes){ b.data, b.len };
	return r;
}

int ds_agent_quote_parse(const uint8_t *data, size_t len,
			 const uint8_t report_data[DSTACK_REPORT_DATA_LEN], struct dstack_quote *out)
{
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	r = check_report_data(root, report_data, out->report_data);
	if (r == 0)
		r = take_bytes(root, "quote", 0, &out->quote);
	if (r == 0)
		r = take_bytes(root, "attestation", 1, &out->attestation);
	if (r == 0)
		r = check_quote(out);
	if (r == 0)
		r = ds_agent_json_strdup(root, "event_log", 0, &out->event_log);
	if (r == 0)
		r = check_event_log(out->event_log);
	if (r == 0)
		r = ds_agent_json_strdup(root, "vm_config", 0, &out->vm_config);
	json_decref(root);
	if (r)
		dstack_quote_free(out);
	return r;
}

int ds_agent_report_data_call(struct dstack_client *client, const char *method,
			      const uint8_t *report_data, size_t len,
			      uint8_t padded[DSTACK_REPORT_DATA_LEN], struct ds_buf *body)
{
	char hex[2 * DSTACK_REPORT_DATA_LEN + 1];

	if (len && !report_data)
		return ds_err(-EINVAL, "no report data");
	if (len > DSTACK_REPORT_DATA_LEN)
		return ds_err(-EINVAL, "report data is %zu bytes, at most %d are allowed", len,
			      DSTACK_REPORT_DATA_LEN);
	memset(padded, 0, DSTACK_REPORT_DATA_LEN);
	if (len)
		memcpy(padded, report_data, len);
	ds_hex_encode(padded, len, hex);
	return ds_agent_call(client, method, json_pack("{s:s}", "report_data", hex),
			     DS_AGENT_LARGE_ANSWER, body);
}

int dstack_get_quote(dstack_client *client, const uint8_t *report_data, size_t len,
		     struct dstack_quote *out)
{
	uint8_t padded[DSTACK_REPORT_DATA_LEN];
	struct ds_buf body = { 0 };
	int r;

	if (!client || !out)
		return ds_err(-EINVAL, "GetQuote needs a client, report data and a result");
	memset(out, 0, sizeof(*out));
	r = ds_agent_report_data_call(client, "GetQuote", report_data, len, padded, &body);
	return r ?: ds_agent_parsed(client, "GetQuote", &body,
				    ds_agent_quote_parse(body.data, body.len, padded, out));
}

void dstack_quote_free(struct dstack_quote *quote)
{
	if (!quote)
		return;
	free(quote->quote.data);
	free(quote->attestation.data);
	free(quote->event_log);
	free(quote->vm_config);
	memset(quote, 0, sizeof(*quote));
}
