/* CCEL parsing, conversion, labels, the eventlog JSON and replay against
 * ccel.bin and its upstream snapshots (spec tdx-attestation.md 3.2-3.7, 4.7). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <openssl/sha.h>
#include <stdlib.h>

#include "attest/ccel.h"
#include "attest/event_log.h"
#include "attest/replay.h"
#include "fixtures.h"
#include "util/err.h"

/* The "digests: [ "<hex>" ]" and "imr_index"/"event_type" lines of the raw
 * snapshot, in order. */
static void test_raw_parse_matches_snapshot(void **state)
{
	struct ds_buf ccel = { 0 }, snap = { 0 };
	struct ds_tcg_log log = { 0 };
	const char *p;
	size_t i = 0;

	(void)state;
	load_fixture("ccel.bin", &ccel);
	load_fixture("cc_eventlog__tests__parse_ccel.snap", &snap);
	assert_int_equal(ds_buf_append(&snap, "", 1, snap.len + 1), 0);
	assert_int_equal(ds_tcg_parse(ccel.data, ccel.len, &log), 0);
	assert_int_equal(log.len, 18);
	for (p = strstr((char *)snap.data, "imr_index: "); p; p = strstr(p + 1, "imr_index: "), i++) {
		const struct ds_tcg_event *ev = &log.events[i];
		unsigned long imr = strtoul(p + 11, NULL, 10);
		const char *t = strstr(p, "event_type: ");
		static const char digests[] = "digests: [\n            \"";
		const char *d = strstr(p, digests) + strlen(digests);
		const char *e = strstr(p, "event: \"");
		char hex[2 * 48 + 1];
		char *data_hex;

		assert_true(i < log.len);
		assert_int_equal(ev->mr_index, imr);
		assert_int_equal(ev->event_type, strtoul(t + 12, NULL, 10));
		assert_int_equal(ev->digest_count, 1);
		assert_int_equal(ev->digests[0].alg_id, 0x000C);
		ds_hex_encode(ev->digests[0].value.data, 48, hex);
		assert_memory_equal(hex, d, 96);
		data_hex = ds_hex_alloc(ev->data.data, ev->data.len);
		assert_memory_equal(data_hex, e + 8, strlen(data_hex));
		assert_int_equal(e[8 + strlen(data_hex)], '"');
		free(data_hex);
	}
	assert_int_equal(i, 18);
	ds_tcg_log_free(&log);
	ds_buf_free(&ccel);
	ds_buf_free(&snap);
}

static void test_convert_and_label(void **state)
{
	struct ds_buf ccel = { 0 };
	struct ds_event_list list = { 0 };
	const char *labels[] = { "acpi-loader", "acpi-rsdp", "acpi-tables" };
	size_t counts[4] = { 0 }, labelled = 0;

	(void)state;
	load_fixture("ccel.bin", &ccel);
	assert_int_equal(ds_ccel_decode(ccel.data, ccel.len, DS_CCEL_NEW, &list), 0);
	assert_int_equal(list.len, 18);
	for (size_t i = 0; i < list.len; i++) {
		counts[list.items[i].imr]++;
		if (list.items[i].event_type == 10) {
			assert_string_equal(list.items[i].name, labels[labelled]);
			labelled++;
		} else {
			assert_string_equal(list.items[i].name, "");
		}
	}
	assert_int_equal(labelled, 3);
	assert_int_equal(counts[0], 13);
	assert_int_equal(counts[1], 5);
	ds_event_list_free(&list);

	/* the old rules convert the same events but never label them */
	assert_int_equal(ds_ccel_decode(ccel.data, ccel.len, DS_CCEL_OLD, &list), 0);
	assert_int_equal(list.len, 18);
	for (size_t i = 0; i < list.len; i++)
		assert_string_equal(list.items[i].name, "");
	ds_event_list_free(&list);
	ds_buf_free(&ccel);
}

static void test_replay_ccel(void **state)
{
	struct ds_buf ccel = { 0 };
	struct ds_event_list list = { 0 };
	struct ds_rtmrs mrs;

	(void)state;
	load_fixture("ccel.bin", &ccel);
	assert_int_equal(ds_ccel_decode(ccel.data, ccel.len, DS_CCEL_NEW, &list), 0);
	assert_int_equal(ds_replay_imr(&list, NULL, &mrs), 0);
	assert_hex(mrs.mr[0], 48, "274c2344116db7c663470693b5ba62b8621eac28cb41d2f816ddf188f9f423f900a1c44d32386fd3c993dc814e62af9d");
	assert_hex(mrs.mr[1], 48, "bdcf4ee0f7fdfe7c73fbb19ded73193aee23a6726b86d3b282ea097cf4c9ed7a0db21b5c1ccd513e410d90e310836b26");
	assert_hex(mrs.mr[2], 48, ZERO48_HEX);
	assert_hex(mrs.mr[3], 48, ZERO48_HEX);
	ds_event_list_free(&list);
	ds_buf_free(&ccel);
}

/* 4.7: the -2 snapshot body with the three labels is the eventlog output. */
static void test_eventlog_json(void **state)
{
	struct ds_buf ccel = { 0 };
	struct ds_event_list list = { 0 };
	uint8_t sha[32];
	char *json = NULL;

	(void)state;
	load_fixture("ccel.bin", &ccel);
	assert_int_equal(ds_ccel_decode(ccel.data, ccel.len, DS_CCEL_NEW, &list), 0);
	assert_int_equal(ds_event_list_dump(&list, DS_JSON_PRETTY, &json), 0);
	assert_int_equal(strlen(json), 5095);
	SHA256((const uint8_t *)json, strlen(json), sha);
	assert_hex(sha, 32, "25b7de3d05188d09f5c4c040a9d02798308c5b4f2fa93f568c54bece79577cca");
	free(json);
	ds_event_list_free(&list);
	ds_buf_free(&ccel);
}

static void expect_decode_error(const uint8_t *data, size_t len, const char *msg)
{
	struct ds_event_list list = { 0 };
	int found = 0;

	assert_int_not_equal(ds_ccel_decode(data, len, DS_CCEL_NEW, &list), 0);
	assert_string_equal(ds_err_msg(0), "failed to decode CCEL");
	for (int i = 0; i < ds_err_depth(); i++)
		found |= strstr(ds_err_msg(i), msg) != NULL;
	if (!found)
		fail_msg("no '%s' in the error chain (innermost: %s)", msg,
			 ds_err_msg(ds_err_depth() - 1));
}

static void test_bad_logs(void **state)
{
	struct ds_buf ccel = { 0 }, tpm = { 0 };
	const size_t log_end = 1933;

	(void)state;
	load_fixture("ccel.bin", &ccel);
	load_fixture("tpm_eventlog.bin", &tpm);
	/* no terminator: the TPM log ends at EOF */
	expect_decode_error(tpm.data, tpm.len, "failed to decode imr");
	/* truncated at every byte of the log */
	for (size_t n = 0; n < log_end + 3; n++) {
		struct ds_event_list list = { 0 };

		assert_int_not_equal(ds_ccel_decode(ccel.data, n, DS_CCEL_NEW, &list), 0);
	}
	/* an unknown algorithm id in the first event (after the 65-byte header) */
	ccel.data[65 + 12] = 0x99;
	expect_decode_error(ccel.data, ccel.len, "Unsupported algorithm ID");
	ccel.data[65 + 12] = 0x0C;
	/* digest_count 2 parses (the log then misaligns) but bounds still hold */
	ccel.data[65 + 8] = 0xFF;
	ccel.data[65 + 9] = 0xFF;
	ccel.data[65 + 10] = 0x01;
	expect_decode_error(ccel.data, ccel.len, "VecOf length exceeds upper bound");
	ds_buf_free(&ccel);
	ds_buf_free(&tpm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_parse_matches_snapshot),
		cmocka_unit_test(test_convert_and_label),
		cmocka_unit_test(test_replay_ccel),
		cmocka_unit_test(test_eventlog_json),
		cmocka_unit_test(test_bad_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
