/* Runtime event digests, preimages and the log line format against the
 * vectors of spec tdx-attestation.md 3.7. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "attest/runtime_event.h"
#include "util/hex.h"

static void assert_digest(const char *name, const char *payload_hex, int version,
			  const char *expected)
{
	uint8_t payload[64], digest[48];
	char hex[97];
	size_t len = strlen(payload_hex) / 2;

	assert_int_equal(ds_hex_decode_exact(payload_hex, payload, len), 0);
	assert_int_equal(ds_runtime_digest(name, payload, len, version, digest), 0);
	ds_hex_encode(digest, 48, hex);
	assert_string_equal(hex, expected);
}

static void test_v1_vectors(void **state)
{
	(void)state;
	assert_digest("app-id", "deadbeef", 1,
		      "67b4be4efed0893cfa2bb1d35dca209ad8348b4c97f980807bcde8b9a0f26398dd0923d6eccb5aa2096d98046da8740f");
	assert_digest("system-preparing", "", 1,
		      "f9974020ef507068183313d0ca808e0d1ca9b2d1ad0c61f5784e7157c362c06536f5ddacdad4451693f48fcc72fff624");
	assert_digest("boot-mr-done", "", 1,
		      "98bd7e6bd3952720b65027fd494834045d06b4a714bf737a06b874638b3ea00ff402f7f583e3e3b05e921c8570433ac6");
	assert_digest("system-ready", "", 1,
		      "1a76b2a80a0be71eae59f80945d876351a7a3fb8e9fd1ff1cede5734aa84ea11fd72b4edfbb6f04e5a85edd114c751bd");
}

static void test_v2_vectors(void **state)
{
	(void)state;
	assert_digest("compose-hash", "abcd", 2,
		      "9dde1673f544faa94b921825209593ddde08d0baf9cd6990175dffaf3081f1bb10311d56de189491feb33842a050ad7b");
	assert_digest("", "", 2,
		      "7d65b81202e4e4a23a637731e0a701ff5cb75d0bba75a94a8761fbb036eb5b46ff988258a81cf9c783edbe720c162cc7");
}

static void test_preimages(void **state)
{
	struct ds_buf pre = { 0 };
	const uint8_t ff = 0xff, deadbeef[4] = { 0xde, 0xad, 0xbe, 0xef };
	const char *jcs = "{\"name\":\"event\\\"with\\\\special\\nchars\",\"payload\":\"ff\",\"type\":134217729}";
	char hex[64];

	(void)state;
	assert_int_equal(ds_runtime_preimage("event\"with\\special\nchars", &ff, 1, 2, &pre), 0);
	assert_int_equal(pre.len, strlen(jcs));
	assert_memory_equal(pre.data, jcs, pre.len);
	ds_buf_free(&pre);

	assert_int_equal(ds_runtime_preimage("app-id", deadbeef, 4, 1, &pre), 0);
	ds_hex_encode(pre.data, pre.len, hex);
	assert_string_equal(hex, "010000083a6170702d69643adeadbeef");
	ds_buf_free(&pre);

	assert_int_equal(ds_runtime_preimage("\x01", NULL, 0, 2, &pre), 0);
	assert_memory_equal(pre.data, "{\"name\":\"\\u0001\"", 16);
	ds_buf_free(&pre);
	assert_int_not_equal(ds_runtime_preimage("x", NULL, 0, 3, &pre), 0);
}

static void test_mixed_replay(void **state)
{
	const char *log = "{\"event\":\"app-id\",\"payload\":\"AQI=\"}\n"
			  "\n"
			  "{\"event\":\"compose-hash\",\"payload\":\"AwQ=\",\"version\":2}\n"
			  "{\"event\":\"instance-id\",\"payload\":\"BQY=\",\"version\":1}\n";
	struct ds_event_list list = { 0 };
	uint8_t mr[48] = { 0 }, buf[96];
	char hex[97];

	(void)state;
	assert_int_equal(ds_runtime_log_parse((const uint8_t *)log, strlen(log), &list), 0);
	assert_int_equal(list.len, 3);
	assert_int_equal(list.items[1].version, 2);
	assert_int_equal(list.items[0].imr, 3);
	assert_int_equal(list.items[0].event_type, DS_RUNTIME_EVENT_TYPE);
	for (size_t i = 0; i < list.len; i++) {
		memcpy(buf, mr, 48);
		memcpy(buf + 48, list.items[i].digest.data, 48);
		EVP_Digest(buf, 96, mr, NULL, EVP_sha384(), NULL);
	}
	ds_hex_encode(mr, 48, hex);
	assert_string_equal(hex, "79815fb79fc512fffb0f244ad86bd084a3b1d31049aefd2d49c77a07b9f8476eb6b9ae3fcbdc27fee36018ce9a366bb5");
	ds_event_list_free(&list);
}

static void test_line_format_roundtrip(void **state)
{
	const uint8_t payload[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct ds_event ev = { 0 };
	char *line = NULL;

	(void)state;
	assert_int_equal(ds_runtime_line_format("app-id", payload, 4, 1, &line), 0);
	assert_string_equal(line, "{\"event\":\"app-id\",\"payload\":\"3q2+7w==\"}");
	free(line);
	assert_int_equal(ds_runtime_line_format("system-ready", NULL, 0, 2, &line), 0);
	assert_string_equal(line, "{\"event\":\"system-ready\",\"payload\":\"\",\"version\":2}");
	assert_int_equal(ds_runtime_line_parse(line, strlen(line), &ev), 0);
	assert_string_equal(ev.name, "system-ready");
	assert_int_equal(ev.payload.len, 0);
	assert_int_equal(ev.version, 2);
	ds_event_clear(&ev);
	free(line);
	assert_int_not_equal(ds_runtime_line_format("\xff", NULL, 0, 1, &line), 0);
}

static void test_bad_lines(void **state)
{
	static const char *bad[] = {
		"not json",
		"[1]",
		"{\"payload\":\"\"}",
		"{\"event\":\"x\"}",
		"{\"event\":\"x\",\"payload\":\"A\"}",
		"{\"event\":\"x\",\"payload\":\"!!!!\"}",
		"{\"event\":\"x\",\"payload\":\"\",\"version\":3}",
		"{\"event\":\"x\",\"payload\":\"\",\"version\":\"2\"}",
		"{\"event\":\"x\",\"event\":\"y\",\"payload\":\"\"}",
		"{\"event\":\"a\\u0000b\",\"payload\":\"\"}",
	};
	struct ds_event ev = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(ds_runtime_line_parse(bad[i], strlen(bad[i]), &ev), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_vectors),
		cmocka_unit_test(test_v2_vectors),
		cmocka_unit_test(test_preimages),
		cmocka_unit_test(test_mixed_replay),
		cmocka_unit_test(test_line_format_roundtrip),
		cmocka_unit_test(test_bad_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
