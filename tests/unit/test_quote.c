/* Quote parsing (spec tdx-attestation.md 2.2-2.5) on the fixture quotes,
 * synthesized v5 (TD10, TD15) and SGX quotes, truncations at every byte,
 * and the TDREPORT layout (2.1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "attest/container.h"
#include "attest/quote.h"
#include "attest/tdreport.h"
#include "fixtures.h"
#include "util/err.h"

#define TDX_QUOTE_END 4936

static void test_tdx_quote_fixture(void **state)
{
	struct ds_buf raw = { 0 };
	struct ds_quote q;
	const struct ds_td10 *td;

	(void)state;
	load_fixture("tdx_quote", &raw);
	assert_int_equal(raw.len, 5006);
	assert_int_equal(ds_quote_parse(raw.data, raw.len, &q), 0);
	assert_int_equal(q.version, 4);
	assert_int_equal(q.att_key_type, 2);
	assert_int_equal(q.tee_type, DS_QUOTE_TEE_TDX);
	assert_int_equal(q.body_type, DS_QUOTE_BODY_TD10);
	assert_int_equal(q.body_offset, 48);
	assert_int_equal(q.auth_data_len, 4300);
	assert_int_equal(q.end, TDX_QUOTE_END);   /* 70 bytes of padding ignored */
	assert_hex(q.qe_vendor_id, 16, "939a7233f79c4ca9940a0db3957f0607");
	assert_int_equal(ds_quote_td_report(&q, &td), 0);
	assert_memory_equal(td->mr_td, raw.data + 184, 48);
	assert_int_equal(td->mr_td[0], 0x91);
	assert_memory_equal(td->mr_config_id, raw.data + 232, 48);
	assert_memory_equal(td->rt_mr[0], raw.data + 376, 48);
	assert_memory_equal(td->rt_mr[3], raw.data + 520, 48);
	assert_memory_equal(td->report_data, "# ~/.bashrc: executed by bash(1) for non-login shells.\n# see /us", 64);
	for (int i = 0; i < 48; i++)
		assert_int_equal(td->rt_mr[3][i] | td->mr_config_id[i] | td->mr_owner[i] |
				 td->mr_owner_config[i], 0);
	/* exactly the quote proper parses too; one byte less does not */
	assert_int_equal(ds_quote_parse(raw.data, TDX_QUOTE_END, &q), 0);
	assert_int_not_equal(ds_quote_parse(raw.data, TDX_QUOTE_END - 1, &q), 0);
	assert_string_equal(ds_err_msg(0), "Failed to parse quote");
	ds_buf_free(&raw);
}

static void test_other_fixture_quotes(void **state)
{
	struct ds_buf hex = { 0 }, file = { 0 };
	struct ds_attestation a = { 0 };
	struct ds_quote q;
	const struct ds_td10 *td;

	(void)state;
	load_hex_fixture("v0.5.4-simulator-quote.hex", &hex);
	assert_int_equal(ds_quote_parse(hex.data, hex.len, &q), 0);
	assert_int_equal(ds_quote_td_report(&q, &td), 0);
	assert_hex(td->mr_td, 48, "c68518a0ebb42136c12b2275164f8c72f25fa9a34392228687ed6e9caeb9c0f1dbd895e9cf475121c029dc47e70e91fd");
	load_fixture("attestation.bin", &file);
	assert_int_equal(ds_attestation_decode(file.data, file.len, &a), 0);
	assert_int_equal(ds_quote_parse(a.quote.data, a.quote.len, &q), 0);
	assert_int_equal(ds_quote_td_report(&q, &td), 0);
	assert_hex(td->mr_config_id, 48, "01c143116fef3940e7f776bfc0919c256232ae5338a6e948c96b711e0b2383483a" "000000000000000000000000000000");
	assert_hex(td->rt_mr[3], 48, "f28a1490ee924e9396c2ccf2d93ad536b83cbe159a1d45024d1fd7acdcc102145efcfcd0cfa209416446c70226affadf");
	ds_attestation_free(&a);
	ds_buf_free(&file);
	ds_buf_free(&hex);
}

/* header || [v5 body header] || body || auth (length + data) of tdx_quote */
static void synth(const struct ds_buf *v4, uint16_t version, uint32_t tee, int v5_type,
		  size_t body_len, struct ds_buf *out)
{
	uint8_t hdr[6] = { (uint8_t)v5_type, 0, (uint8_t)body_len, (uint8_t)(body_len >> 8), 0, 0 };
	uint8_t extra[64];

	memset(extra, 0x5a, sizeof(extra));
	assert_int_equal(ds_buf_set(out, v4->data, 48), 0);
	out->data[0] = (uint8_t)version;
	memcpy(out->data + 4, &tee, 4);
	if (v5_type)
		assert_int_equal(ds_buf_append(out, hdr, 6, 1 << 20), 0);
	assert_int_equal(ds_buf_append(out, v4->data + 48, body_len < 584 ? body_len : 584, 1 << 20), 0);
	if (body_len > 584)
		assert_int_equal(ds_buf_append(out, extra, body_len - 584, 1 << 20), 0);
	assert_int_equal(ds_buf_append(out, v4->data + 632, TDX_QUOTE_END - 632, 1 << 20), 0);
}

static void test_v5_quotes(void **state)
{
	struct ds_buf raw = { 0 }, v5 = { 0 };
	struct ds_quote q4, q;
	const struct ds_td10 *td;

	(void)state;
	load_fixture("tdx_quote", &raw);
	assert_int_equal(ds_quote_parse(raw.data, raw.len, &q4), 0);

	synth(&raw, 5, DS_QUOTE_TEE_TDX, DS_QUOTE_BODY_TD10, 584, &v5);
	assert_int_equal(ds_quote_parse(v5.data, v5.len, &q), 0);
	assert_int_equal(q.body_type, DS_QUOTE_BODY_TD10);
	assert_int_equal(q.body_offset, 54);
	assert_int_equal(q.end, TDX_QUOTE_END + 6);
	assert_int_equal(ds_quote_td_report(&q, &td), 0);
	assert_memory_equal(td, &q4.td, sizeof(*td));
	assert_memory_equal(td->mr_td, v5.data + 190, 48);
	assert_memory_equal(td->report_data, v5.data + 574, 64);
	for (size_t n = 0; n < v5.len; n++)
		assert_int_not_equal(ds_quote_parse(v5.data, n, &q), 0);
	ds_buf_free(&v5);

	synth(&raw, 5, DS_QUOTE_TEE_TDX, DS_QUOTE_BODY_TD15, 648, &v5);
	assert_int_equal(ds_quote_parse(v5.data, v5.len, &q), 0);
	assert_int_equal(q.body_type, DS_QUOTE_BODY_TD15);
	assert_int_equal(ds_quote_td_report(&q, &td), 0);
	assert_memory_equal(td, &q4.td, sizeof(*td));
	assert_int_equal(q.tee_tcb_svn2[0], 0x5a);
	assert_int_equal(q.mr_service_td[47], 0x5a);
	assert_int_equal(q.end, TDX_QUOTE_END + 6 + 64);
	ds_buf_free(&v5);

	/* v5 with an SGX body parses, but has no TD report */
	synth(&raw, 5, DS_QUOTE_TEE_SGX, DS_QUOTE_BODY_SGX, 384, &v5);
	assert_int_equal(ds_quote_parse(v5.data, v5.len, &q), 0);
	assert_int_not_equal(ds_quote_td_report(&q, &td), 0);
	assert_string_equal(ds_err_msg(0), "TDX report not found");
	v5.data[48] = 4;
	assert_int_not_equal(ds_quote_parse(v5.data, v5.len, &q), 0);
	assert_string_equal(ds_err_msg(1), "Unsupported body type: 4");
	ds_buf_free(&v5);
	ds_buf_free(&raw);
}

static void test_sgx_and_bad_headers(void **state)
{
	struct ds_buf raw = { 0 }, sgx = { 0 };
	struct ds_quote q;
	const struct ds_td10 *td;

	(void)state;
	load_fixture("tdx_quote", &raw);
	synth(&raw, 4, DS_QUOTE_TEE_SGX, 0, 384, &sgx);
	assert_int_equal(ds_quote_parse(sgx.data, sgx.len, &q), 0);
	assert_int_equal(q.body_type, DS_QUOTE_BODY_SGX);
	assert_int_not_equal(ds_quote_td_report(&q, &td), 0);
	assert_string_equal(ds_err_msg(0), "TDX report not found");
	ds_buf_free(&sgx);

	synth(&raw, 4, 0x42, 0, 584, &sgx);
	assert_int_not_equal(ds_quote_parse(sgx.data, sgx.len, &q), 0);
	assert_string_equal(ds_err_msg(1), "Invalid TEE type: 0x42");
	ds_buf_free(&sgx);
	synth(&raw, 3, DS_QUOTE_TEE_TDX, 0, 584, &sgx);
	assert_int_not_equal(ds_quote_parse(sgx.data, sgx.len, &q), 0);
	assert_string_equal(ds_err_msg(1), "Invalid TEE type: 0x81");
	ds_buf_free(&sgx);
	synth(&raw, 6, DS_QUOTE_TEE_TDX, 0, 584, &sgx);
	assert_int_not_equal(ds_quote_parse(sgx.data, sgx.len, &q), 0);
	assert_string_equal(ds_err_msg(1), "Unsupported quote version: 6");
	ds_buf_free(&sgx);
	ds_buf_free(&raw);
}

static void test_v3_auth_data(void **state)
{
	/* v3: signature, key, QE report, its signature, QE auth, cert data */
	struct ds_buf q3 = { 0 };
	struct ds_quote q;
	uint8_t body[384] = { 0 }, auth_len[4];
	uint8_t auth[64 + 64 + 384 + 64 + 2 + 3 + 2 + 4 + 5] = { 0 };
	size_t qe_auth = 64 + 64 + 384 + 64;

	(void)state;
	auth[qe_auth] = 3;                      /* QE auth data length */
	auth[qe_auth + 2 + 3] = 5;              /* cert type */
	auth[qe_auth + 2 + 3 + 2] = 5;          /* cert data length */
	memcpy(auth_len, &(uint32_t){ sizeof(auth) }, 4);
	assert_int_equal(ds_buf_alloc(&q3, 48), 0);
	q3.data[0] = 3;
	assert_int_equal(ds_buf_append(&q3, body, sizeof(body), 1 << 20), 0);
	assert_int_equal(ds_buf_append(&q3, auth_len, 4, 1 << 20), 0);
	assert_int_equal(ds_buf_append(&q3, auth, sizeof(auth), 1 << 20), 0);
	assert_int_equal(ds_quote_parse(q3.data, q3.len, &q), 0);
	assert_int_equal(q.end, q3.len);
	/* a cert data length beyond the auth data fails */
	q3.data[q3.len - 5 - 4] = 6;
	assert_int_not_equal(ds_quote_parse(q3.data, q3.len, &q), 0);
	ds_buf_free(&q3);
}

static void test_truncations_and_limits(void **state)
{
	struct ds_buf raw = { 0 };
	struct ds_quote q;

	(void)state;
	load_fixture("tdx_quote", &raw);
	for (size_t n = 0; n < TDX_QUOTE_END; n++)
		if (ds_quote_parse(raw.data, n, &q) == 0)
			fail_msg("a quote truncated to %zu bytes parsed", n);
	/* auth data length > 1 MiB */
	memcpy(raw.data + 632, &(uint32_t){ (1u << 20) + 1 }, 4);
	assert_int_not_equal(ds_quote_parse(raw.data, raw.len, &q), 0);
	assert_string_equal(ds_err_msg(1), "quote auth data too large: 1048577 > 1048576 bytes");
	/* a certification body that claims more than the auth data holds */
	memcpy(raw.data + 632, &(uint32_t){ 4300 }, 4);
	memcpy(raw.data + 636 + 130, &(uint32_t){ 4300 }, 4);
	assert_int_not_equal(ds_quote_parse(raw.data, raw.len, &q), 0);
	ds_buf_free(&raw);
}

static void test_tdreport(void **state)
{
	uint8_t raw[DS_TDREPORT_LEN];
	struct ds_tdreport t;

	(void)state;
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i / 8);
	assert_int_equal(ds_tdreport_parse(raw, sizeof(raw), &t), 0);
	assert_int_equal(t.report_data[0], 128 / 8);
	assert_int_equal(t.mac[0], 224 / 8);
	assert_int_equal(t.mr_seam[0], 280 / 8);
	assert_int_equal(t.tee_tcb_svn2[0], 384 / 8);
	assert_int_equal(t.td_attributes[0], 512 / 8);
	assert_int_equal(t.mr_td[0], 528 / 8);
	assert_int_equal(t.rtmr[0][0], 720 / 8);
	assert_int_equal(t.rtmr[3][47], (864 + 47) / 8);
	assert_int_equal(t.servtd_hash[0], 912 / 8);
	assert_int_not_equal(ds_tdreport_parse(raw, sizeof(raw) - 1, &t), 0);
	assert_string_equal(ds_err_msg(0), "TDREPORT must be 1024 bytes, got 1023");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdx_quote_fixture),
		cmocka_unit_test(test_other_fixture_quotes),
		cmocka_unit_test(test_v5_quotes),
		cmocka_unit_test(test_sgx_and_bad_headers),
		cmocka_unit_test(test_v3_auth_data),
		cmocka_unit_test(test_truncations_and_limits),
		cmocka_unit_test(test_tdreport),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
