#include "attest/quote.h"
#include "util/cursor.h"
#include "util/err.h"

#include <errno.h>
#include <string.h>

#define SGX_REPORT_LEN 384
#define TD10_LEN 584
#define TD15_LEN 648

static int parse_header(struct ds_cursor *c, struct ds_quote *q)
{
	int r = ds_cursor_u16le(c, &q->version, "version");

	r = r ?: ds_cursor_u16le(c, &q->att_key_type, "attestation key type");
	r = r ?: ds_cursor_u32le(c, &q->tee_type, "TEE type");
	r = r ?: ds_cursor_u16le(c, &q->qe_svn, "QE SVN");
	r = r ?: ds_cursor_u16le(c, &q->pce_svn, "PCE SVN");
	r = r ?: ds_cursor_copy(c, q->qe_vendor_id, 16, "QE vendor id");
	return r ?: ds_cursor_copy(c, q->user_data, 20, "user data");
}

static int parse_td10(struct ds_cursor *c, struct ds_td10 *td)
{
	int r = ds_cursor_copy(c, td->tee_tcb_svn, 16, "tee_tcb_svn");

	r = r ?: ds_cursor_copy(c, td->mr_seam, 48, "mr_seam");
	r = r ?: ds_cursor_copy(c, td->mr_signer_seam, 48, "mr_signer_seam");
	r = r ?: ds_cursor_copy(c, td->seam_attributes, 8, "seam_attributes");
	r = r ?: ds_cursor_copy(c, td->td_attributes, 8, "td_attributes");
	r = r ?: ds_cursor_copy(c, td->xfam, 8, "xfam");
	r = r ?: ds_cursor_copy(c, td->mr_td, 48, "mr_td");
	r = r ?: ds_cursor_copy(c, td->mr_config_id, 48, "mr_config_id");
	r = r ?: ds_cursor_copy(c, td->mr_owner, 48, "mr_owner");
	r = r ?: ds_cursor_copy(c, td->mr_owner_config, 48, "mr_owner_config");
	for (int i = 0; i < 4 && r == 0; i++)
		r = ds_cursor_copy(c, td->rt_mr[i], 48, "rt_mr");
	return r ?: ds_cursor_copy(c, td->report_data, 64, "report_data");
}

/* Chooses the body type from the header (v3/v4) or the v5 body header. */
static int select_body(struct ds_cursor *c, struct ds_quote *q)
{
	uint16_t type;
	uint32_t size;
	int r;

	switch (q->version) {
	case 3:
		if (q->tee_type != DS_QUOTE_TEE_SGX)
			return ds_err(-EBADMSG, "Invalid TEE type: 0x%x", q->tee_type);
		q->body_type = DS_QUOTE_BODY_SGX;
		return 0;
	case 4:
		if (q->tee_type == DS_QUOTE_TEE_SGX)
			q->body_type = DS_QUOTE_BODY_SGX;
		else if (q->tee_type == DS_QUOTE_TEE_TDX)
			q->body_type = DS_QUOTE_BODY_TD10;
		else
			return ds_err(-EBADMSG, "Invalid TEE type: 0x%x", q->tee_type);
		return 0;
	case 5:
		/* body_size is read but, as upstream, not checked */
		r = ds_cursor_u16le(c, &type, "body type");
		r = r ?: ds_cursor_u32le(c, &size, "body size");
		if (r)
			return r;
		if (type < DS_QUOTE_BODY_SGX || type > DS_QUOTE_BODY_TD15)
			return ds_err(-EBADMSG, "Unsupported body type: %u", type);
		q->body_type = (enum ds_quote_body)type;
		return 0;
	default:
		return ds_err(-EBADMSG, "Unsupported quote version: %u", q->version);
	}
}

static int parse_body(struct ds_cursor *c, struct ds_quote *q)
{
	const uint8_t *skip;
	int r;

	q->body_offset = c->pos;
	switch (q->body_type) {
	case DS_QUOTE_BODY_SGX:
		return ds_cursor_take(c, SGX_REPORT_LEN, &skip, "SGX enclave report");
	case DS_QUOTE_BODY_TD10:
		return parse_td10(c, &q->td);
	case DS_QUOTE_BODY_TD15:
		r = parse_td10(c, &q->td);
		r = r ?: ds_cursor_copy(c, q->tee_tcb_svn2, 16, "tee_tcb_svn2");
		return r ?: ds_cursor_copy(c, q->mr_service_td, 48, "mr_service_td");
	}
	return ds_err(-EBADMSG, "Unsupported body type: %d", q->body_type);
}

/* QE report, its signature, QE auth data and the certification data: the
 * tail shared by the v3 auth data and the v4 certification body. */
static int parse_qe_section(struct ds_cursor *c)
{
	const uint8_t *skip;
	uint16_t qe_auth_len, cert_type;
	uint32_t cert_len;
	int r = ds_cursor_take(c, SGX_REPORT_LEN, &skip, "QE report");

	r = r ?: ds_cursor_take(c, 64, &skip, "QE report signature");
	r = r ?: ds_cursor_u16le(c, &qe_auth_len, "QE auth data length");
	r = r ?: ds_cursor_take(c, qe_auth_len, &skip, "QE auth data");
	r = r ?: ds_cursor_u16le(c, &cert_type, "certification data type");
	r = r ?: ds_cursor_u32le(c, &cert_len, "certification data length");
	return r ?: ds_cursor_take(c, cert_len, &skip, "certification data");
}

static int parse_auth_data(const uint8_t *data, size_t len, uint16_t version)
{
	struct ds_cursor c = ds_cursor_init(data, len, "quote auth data");
	struct ds_cursor body;
	const uint8_t *skip, *cert;
	uint16_t cert_type;
	uint32_t cert_len;
	int r = ds_cursor_take(&c, 64, &skip, "ECDSA signature");

	r = r ?: ds_cursor_take(&c, 64, &skip, "attestation public key");
	if (r || version == 3)
		return r ?: parse_qe_section(&c);
	r = ds_cursor_u16le(&c, &cert_type, "certification data type");
	r = r ?: ds_cursor_u32le(&c, &cert_len, "certification data length");
	r = r ?: ds_cursor_take(&c, cert_len, &cert, "certification data");
	if (r)
		return r;
	body = ds_cursor_init(cert, cert_len, "quote certification data");
	return parse_qe_section(&body);
}

int ds_quote_parse(const uint8_t *data, size_t len, struct ds_quote *out)
{
	struct ds_cursor c = ds_cursor_init(data, len, "quote");
	struct ds_quote q = { 0 };
	const uint8_t *auth;
	uint32_t auth_len;
	int r = parse_header(&c, &q);

	r = r ?: select_body(&c, &q);
	r = r ?: parse_body(&c, &q);
	r = r ?: ds_cursor_u32le(&c, &auth_len, "auth data length");
	if (r == 0 && auth_len > DS_QUOTE_AUTH_DATA_MAX)
		r = ds_err(-EBADMSG, "quote auth data too large: %u > %u bytes", auth_len,
			   DS_QUOTE_AUTH_DATA_MAX);
	r = r ?: ds_cursor_take(&c, auth_len, &auth, "auth data");
	r = r ?: parse_auth_data(auth, auth_len, q.version);
	if (r)
		return ds_err_ctx(r, "Failed to parse quote");
	q.auth_data_len = auth_len;
	q.end = c.pos;
	*out = q;
	return 0;
}

int ds_quote_td_report(const struct ds_quote *q, const struct ds_td10 **out)
{
	if (q->body_type != DS_QUOTE_BODY_TD10 && q->body_type != DS_QUOTE_BODY_TD15)
		return ds_err(-ENOENT, "TDX report not found");
	*out = &q->td;
	return 0;
}
