/* The V0 attestation container against attestation.bin: decode, byte-exact
 * re-encode, strip, attest-info values, replays (spec tdx-attestation.md
 * 3.7, 5.2-5.5), and bad inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <openssl/sha.h>
#include <stdlib.h>

#include "attest/container.h"
#include "attest/container_show.h"
#include "attest/quote.h"
#include "attest/replay.h"
#include "fixtures.h"
#include "util/err.h"

#define RTMR0 "6203948b7c12a0c2e14ed9b11170d7b85345870a304bb0959d6c198224ce621fe944e4623af9631cd64eeffdc0d7fa94"
#define RTMR1 "0ea1ad399114c5909c52c8b8c073f0c4e076b691495ca7d41f88c5bba6859e3911973ec95adce1503eb43f4670a2c306"
#define RTMR2 "1c9854088a35a1c44483d6ba5e88333cf6a7f5b5ec26713f722c80dfc2d2b337346d7fb52452eacda0a8a8fb6fd306f1"
#define RTMR3 "f28a1490ee924e9396c2ccf2d93ad536b83cbe159a1d45024d1fd7acdcc102145efcfcd0cfa209416446c70226affadf"
#define RTMR3_BOOT "161d4d87fecefcad09ed96ba8f901e58eca0f422b8155e2829ef94ce084a757e88c7f4be29df017ed72531e8efb643b7"

static struct ds_buf file;
static struct ds_attestation att;

static int setup(void **state)
{
	(void)state;
	load_fixture("attestation.bin", &file);
	return ds_attestation_decode(file.data, file.len, &att);
}

static int teardown(void **state)
{
	(void)state;
	ds_attestation_free(&att);
	ds_buf_free(&file);
	return 0;
}

static void test_decode(void **state)
{
	static const char *names[] = { "system-preparing", "app-id", "compose-hash",
				       "instance-id", "boot-mr-done", "os-image-hash",
				       "key-provider", "storage-fs", "system-ready" };
	struct ds_buf twin = { 0 };

	(void)state;
	assert_int_equal(att.variant, DS_ATT_DSTACK_TDX);
	assert_int_equal(att.quote.len, 5010);
	assert_int_equal(att.event_log.len, 33);
	assert_int_equal(att.runtime_events.len, 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(att.runtime_events.items[i].name, names[i]);
	assert_int_equal(strlen(att.config), 553);
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(att.report_data[i], 0);
	load_fixture("guest-agent-attestation.bin", &twin);
	assert_int_equal(twin.len, file.len);
	assert_memory_equal(twin.data, file.data, file.len);
	ds_buf_free(&twin);
}

static void test_reencode_is_byte_exact(void **state)
{
	struct ds_buf out = { 0 };

	(void)state;
	assert_int_equal(ds_attestation_encode(&att, &out), 0);
	assert_int_equal(out.len, file.len);
	assert_memory_equal(out.data, file.data, file.len);
	ds_buf_free(&out);
}

static void test_replays_match_quote(void **state)
{
	struct ds_quote q;
	const struct ds_td10 *td;
	struct ds_rtmrs mrs;
	uint8_t rtmr3[48];

	(void)state;
	assert_int_equal(ds_quote_parse(att.quote.data, att.quote.len, &q), 0);
	assert_int_equal(ds_quote_td_report(&q, &td), 0);
	assert_int_equal(ds_replay_imr(&att.event_log, NULL, &mrs), 0);
	assert_memory_equal(mrs.mr, td->rt_mr, sizeof(mrs.mr));
	assert_hex(mrs.mr[0], 48, RTMR0);
	assert_hex(mrs.mr[1], 48, RTMR1);
	assert_hex(mrs.mr[2], 48, RTMR2);
	assert_hex(mrs.mr[3], 48, RTMR3);
	assert_int_equal(ds_replay_rtmr3(&att.runtime_events, NULL, rtmr3), 0);
	assert_hex(rtmr3, 48, RTMR3);
	assert_int_equal(ds_replay_rtmr3(&att.runtime_events, DS_BOOT_MR_DONE, rtmr3), 0);
	assert_hex(rtmr3, 48, RTMR3_BOOT);
	/* the old algorithm validates the same log (its RTMR3 digests are V1) */
	assert_int_equal(ds_replay_old(&att.event_log, NULL, &mrs), 0);
	assert_memory_equal(mrs.mr, td->rt_mr, sizeof(mrs.mr));
}

static void test_strip(void **state)
{
	struct ds_attestation a = { 0 };
	struct ds_buf out = { 0 }, again = { 0 };
	uint8_t sha[32];

	(void)state;
	assert_int_equal(ds_attestation_decode(file.data, file.len, &a), 0);
	assert_int_equal(ds_attestation_strip(&a), 0);
	assert_int_equal(a.event_log.len, 12);
	assert_int_equal(ds_attestation_encode(&a, &out), 0);
	assert_int_equal(out.len, 6788);
	SHA256(out.data, out.len, sha);
	assert_hex(sha, 32, "6207223948177684ce20bd1835f63b08fb8688a4168cd2587dae64b3e21c7c82");
	/* stripping is idempotent */
	assert_int_equal(ds_attestation_strip(&a), 0);
	assert_int_equal(ds_attestation_encode(&a, &again), 0);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.data, out.data, out.len);
	ds_attestation_free(&a);
	ds_buf_free(&out);
	ds_buf_free(&again);
}

static void test_info_text(void **state)
{
	char *text = NULL;

	(void)state;
	assert_int_equal(ds_attestation_info_text(&att, "attestation.bin", file.len, &text), 0);
	assert_string_equal(text, "file: attestation.bin\n"
				  "total_bytes: 9504\n"
				  "version: V0\n"
				  "mode: DstackTdx\n"
				  "config_bytes: 553\n"
				  "tdx_quote_bytes: 5010\n"
				  "event_log_entries: 33\n"
				  "event_log_json_bytes: 8452\n"
				  "tpm_quote_bytes: 0\n");
	free(text);
}

static void test_json(void **state)
{
	char *json = NULL;

	(void)state;
	assert_int_equal(ds_attestation_json(&att, &json), 0);
	assert_memory_equal(json, "{\n  \"version\": \"V0\",\n  \"mode\": \"dstack-tdx\",\n  \"config\": \"{",
			    58);
	assert_non_null(strstr(json, "\"tdx_quote\": {\n    \"quote\": \"04000200"));
	assert_non_null(strstr(json, "\n    \"event_log\": [\n      {\n        \"imr\": 0,"));
	assert_non_null(strstr(json, "\n  \"tpm_quote\": null\n}"));
	assert_int_equal(json[strlen(json) - 1], '}');
	assert_null(strstr(json, "\"version\": 2"));
	free(json);
}

static void expect_error(const uint8_t *data, size_t len, const char *msg)
{
	struct ds_attestation a = { 0 };

	assert_int_not_equal(ds_attestation_decode(data, len, &a), 0);
	for (int i = 0; i < ds_err_depth(); i++)
		if (strstr(ds_err_msg(i), msg))
			return;
	fail_msg("no '%s' in the error chain (outermost: %s)", msg, ds_err_msg(0));
}

static void test_bad_inputs(void **state)
{
	static const uint8_t msgpack[] = { 0x83, 0xa7 }, unknown[] = { 0x01 };
	static const uint8_t gcp[] = { 0x00, 0x01 }, bad_variant[] = { 0x00, 0x07 };
	static const uint8_t nonminimal[] = { 0x00, 0x00, 0x01, 0x00 };
	struct ds_buf copy = { 0 };
	struct ds_buf big = { 0 };

	(void)state;
	expect_error(NULL, 0, "Empty attestation bytes");
	expect_error(msgpack, sizeof(msgpack), "exceeds the remaining input");
	expect_error(unknown, sizeof(unknown), "Unknown attestation wire format");
	expect_error(gcp, sizeof(gcp), "DstackGcpTdx attestations are not supported");
	expect_error(bad_variant, sizeof(bad_variant), "invalid AttestationQuote variant index 7");
	expect_error(nonminimal, sizeof(nonminimal), "non-minimal compact encoding");
	/* every truncation fails */
	for (size_t n = 0; n < file.len; n++) {
		struct ds_attestation a = { 0 };

		assert_int_not_equal(ds_attestation_decode(file.data, n, &a), 0);
	}
	assert_int_equal(ds_buf_set(&copy, file.data, file.len), 0);
	assert_int_equal(ds_buf_append(&copy, "", 1, copy.len + 1), 0);
	expect_error(copy.data, copy.len, "Trailing bytes after legacy VersionedAttestation: 1");
	/* config (the last field) with invalid UTF-8: its first byte follows the
	 * 2-byte compact length (553 = 0x08a5) */
	copy.len--;
	copy.data[copy.len - 553] = 0xff;
	expect_error(copy.data, copy.len, "config is not valid UTF-8");
	/* a huge event count is refused before any allocation: the count at
	 * offset 2 + 2 + 5010 becomes 2^30 - 1 */
	memcpy(copy.data, file.data, file.len);
	copy.data[5014] = 0xfe;
	copy.data[5015] = 0xff;
	copy.data[5016] = 0xff;
	copy.data[5017] = 0xff;
	expect_error(copy.data, copy.len, "elements cannot fit");
	assert_int_equal(ds_buf_alloc(&big, DS_ATTESTATION_MAX + 1), 0);
	expect_error(big.data, big.len, "attestation bytes too large: 10485761 > 10485760");
	ds_buf_free(&big);
	ds_buf_free(&copy);
}

static void test_v2_event_needs_v1(void **state)
{
	struct ds_attestation a = { 0 };
	struct ds_buf out = { 0 };

	(void)state;
	assert_int_equal(ds_attestation_decode(file.data, file.len, &a), 0);
	a.runtime_events.items[0].version = 2;
	assert_int_not_equal(ds_attestation_encode(&a, &out), 0);
	assert_non_null(strstr(ds_err_msg(1), "digest version 2 need a V1 container"));
	/* the same container as V1 encodes and decodes with the version kept */
	a.wire = DS_ATT_WIRE_V1;
	assert_int_equal(ds_attestation_encode(&a, &out), 0);
	ds_attestation_free(&a);
	assert_int_equal(ds_attestation_decode(out.data, out.len, &a), 0);
	assert_int_equal(a.wire, DS_ATT_WIRE_V1);
	assert_int_equal(a.runtime_events.items[0].version, 2);
	assert_int_equal(a.event_log.len, 33);
	ds_buf_free(&out);
	ds_attestation_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_reencode_is_byte_exact),
		cmocka_unit_test(test_replays_match_quote),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_info_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_v2_event_needs_v1),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
