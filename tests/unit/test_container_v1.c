/* The V1 (MessagePack) attestation container (spec tdx-attestation.md 5.4):
 * byte-exact encoding of a hand-computed container, round trips with V1 and
 * V2 events, the V0/V1 choice, stripping, both views, and hostile inputs
 * (truncation, trailing bytes, wrong version and kinds, type confusion,
 * huge counts, nesting bombs). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "attest/container.h"
#include "attest/container_show.h"
#include "attest/replay.h"
#include "attest/runtime_event.h"
#include "fixtures.h"
#include "helpers.h"
#include "util/hex.h"

/* {"version":1,
 *  "platform":{"kind":"tdx","data":{"quote":[1,2,128],"event_log":[
 *    {"imr":3,"event_type":0x08000001,"digest":bin aabb,"event":"x",
 *     "event_payload":bin 01,"version":2,"preimage":"7b"}]}},
 *  "stack":{"kind":"dstack","data":{"report_data":[0 x 64],
 *    "runtime_events":[{"event":"x","payload":bin 01,"version":2}],"config":""}}}
 * worked out from rmp-serde's rules: fixmap/fixstr headers, u8 128 as
 * cc 80, u32 0x08000001 as ce, 64-element array as array16 (dc 00 40). */
#define ZEROS8 "0000000000000000"
#define ZEROS64 ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8
#define SMALL_HEX                                                                  \
	"83" "a776657273696f6e" "01"                            /* version: 1 */   \
	"a8706c6174666f726d" "82" "a46b696e64" "a3746478"       /* platform tdx */ \
	"a464617461" "82" "a571756f7465" "930102cc80"           /* quote */        \
	"a96576656e745f6c6f67" "91" "87"                        /* event_log */    \
	"a3696d72" "03" "aa6576656e745f74797065" "ce08000001"                      \
	"a6646967657374" "c402aabb" "a56576656e74" "a178"                          \
	"ad6576656e745f7061796c6f6164" "c40101"                                    \
	"a776657273696f6e" "02" "a8707265696d616765" "a23762"                      \
	"a5737461636b" "82" "a46b696e64" "a664737461636b"       /* stack dstack */ \
	"a464617461" "83" "ab7265706f72745f64617461" "dc0040" ZEROS64              \
	"ae72756e74696d655f6576656e7473" "91" "83" "a56576656e74" "a178"          \
	"a77061796c6f6164" "c40101" "a776657273696f6e" "02"                        \
	"a6636f6e666967" "a0"

static void hexbuf(const char *hex, struct ds_buf *out)
{
	assert_int_equal(ds_hex_decode(hex, strlen(hex), out), 0);
}

static struct ds_event event(uint32_t imr, uint32_t type, const char *name, const char *digest,
			     const char *payload, int version, const char *preimage)
{
	struct ds_event ev = { .imr = imr, .event_type = type, .version = version };

	ev.name = strdup(name);
	hexbuf(digest, &ev.digest);
	hexbuf(payload, &ev.payload);
	ev.preimage = preimage ? strdup(preimage) : NULL;
	return ev;
}

static void small_container(struct ds_attestation *a)
{
	struct ds_event ev = event(3, DS_RUNTIME_EVENT_TYPE, "x", "aabb", "01", 2, "7b");

	*a = (struct ds_attestation){ .wire = DS_ATT_WIRE_V1, .variant = DS_ATT_DSTACK_TDX };
	hexbuf("010280", &a->quote);
	assert_int_equal(ds_event_list_push(&a->event_log, &ev), 0);
	ev = event(3, DS_RUNTIME_EVENT_TYPE, "x", "", "01", 2, NULL);
	assert_int_equal(ds_event_list_push(&a->runtime_events, &ev), 0);
	a->config = strdup("");
}

static void assert_encodes_to(const struct ds_attestation *a, const char *hex)
{
	struct ds_buf out = { 0 };
	char *got;

	assert_int_equal(ds_attestation_encode(a, &out), 0);
	got = ds_hex_alloc(out.data, out.len);
	assert_string_equal(got, hex);
	free(got);
	ds_buf_free(&out);
}

static void test_small_is_byte_exact(void **state)
{
	struct ds_attestation a, b = { 0 };
	struct ds_buf in = { 0 };

	(void)state;
	small_container(&a);
	assert_encodes_to(&a, SMALL_HEX);
	hexbuf(SMALL_HEX, &in);
	assert_int_equal(ds_attestation_decode(in.data, in.len, &b), 0);
	assert_int_equal(b.wire, DS_ATT_WIRE_V1);
	assert_int_equal(b.quote.len, 3);
	assert_int_equal(b.event_log.len, 1);
	assert_int_equal(b.event_log.items[0].version, 2);
	assert_string_equal(b.event_log.items[0].preimage, "7b");
	assert_hex(b.event_log.items[0].digest.data, 2, "aabb");
	assert_int_equal(b.runtime_events.len, 1);
	assert_int_equal(b.runtime_events.items[0].version, 2);
	assert_null(b.report_data_payload);
	assert_encodes_to(&b, SMALL_HEX);
	ds_attestation_free(&a);
	ds_attestation_free(&b);
	ds_buf_free(&in);
}

/* Spec 3.7 mixed replay: V1 app-id 0102, V2 compose-hash 0304, V1 instance-id 0506. */
#define MIXED_RTMR3 "79815fb79fc512fffb0f244ad86bd084a3b1d31049aefd2d49c77a07b9f8476eb6b9ae3fcbdc27fee36018ce9a366bb5"

static void push_runtime(struct ds_event_list *list, const char *name, const char *payload,
			 int version)
{
	struct ds_event ev = event(3, DS_RUNTIME_EVENT_TYPE, name, "", payload, version, NULL);

	ds_buf_free(&ev.digest);
	assert_int_equal(ds_buf_alloc(&ev.digest, DS_SHA384_LEN), 0);
	assert_int_equal(ds_runtime_digest(name, ev.payload.data, ev.payload.len, version,
					   ev.digest.data), 0);
	assert_int_equal(ds_event_list_push(list, &ev), 0);
}

static void mixed_lists(struct ds_event_list *log, struct ds_event_list *runtime)
{
	struct ds_event acpi = event(0, 10, "acpi-loader", "11", "41435049204441544a", 0, NULL);
	struct ds_event boot = event(1, 4, "", "22", "beef", 0, NULL);

	/* an ACPI DATA payload is exactly "ACPI DATA" */
	ds_buf_free(&acpi.payload);
	assert_int_equal(ds_buf_set(&acpi.payload, "ACPI DATA", 9), 0);
	assert_int_equal(ds_event_list_push(log, &acpi), 0);
	assert_int_equal(ds_event_list_push(log, &boot), 0);
	push_runtime(log, "app-id", "0102", 1);
	push_runtime(log, "compose-hash", "0304", 2);
	push_runtime(log, "instance-id", "0506", 1);
	push_runtime(runtime, "app-id", "0102", 1);
	push_runtime(runtime, "compose-hash", "0304", 2);
	push_runtime(runtime, "instance-id", "0506", 1);
}

static void assert_same_events(const struct ds_event_list *x, const struct ds_event_list *y)
{
	assert_int_equal(x->len, y->len);
	for (size_t i = 0; i < x->len; i++) {
		const struct ds_event *a = &x->items[i], *b = &y->items[i];

		assert_int_equal(a->imr, b->imr);
		assert_int_equal(a->event_type, b->event_type);
		assert_int_equal(a->version, b->version);
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->digest.len, b->digest.len);
		assert_memory_equal(a->digest.data, b->digest.data, a->digest.len);
		assert_int_equal(a->payload.len, b->payload.len);
		assert_memory_equal(a->payload.data, b->payload.data, a->payload.len);
		assert_true((a->preimage == NULL) == (b->preimage == NULL));
		if (a->preimage)
			assert_string_equal(a->preimage, b->preimage);
	}
}

static void test_round_trip_mixed(void **state)
{
	struct ds_event_list log = { 0 }, runtime = { 0 };
	struct ds_attestation a = { 0 }, b = { 0 };
	struct ds_buf out = { 0 }, again = { 0 };
	uint8_t rd[DS_REPORT_DATA_LEN], rtmr3[48];

	(void)state;
	for (size_t i = 0; i < sizeof(rd); i++)
		rd[i] = (uint8_t)i;
	mixed_lists(&log, &runtime);
	assert_int_equal(ds_runtime_fill_v2_preimages(&log), 0);
	assert_null(log.items[2].preimage);
	assert_string_equal(log.items[3].preimage,
			    "7b226e616d65223a22636f6d706f73652d68617368222c227061796c6f6164223a"
			    "2230333034222c2274797065223a3133343231373732397d");
	assert_int_equal(ds_attestation_build((const uint8_t *)"\x04\x00\x02\x00", 4, &log, &runtime,
					      rd, "{\"k\":1}", &a), 0);
	/* a V2 event makes the container V1 (upstream's into_versioned) */
	assert_int_equal(a.wire, DS_ATT_WIRE_V1);
	assert_int_equal(ds_attestation_encode(&a, &out), 0);
	assert_int_equal(out.data[0], 0x83);
	assert_int_equal(ds_attestation_decode(out.data, out.len, &b), 0);
	assert_int_equal(b.wire, DS_ATT_WIRE_V1);
	assert_int_equal(b.quote.len, 4);
	assert_memory_equal(b.report_data, rd, sizeof(rd));
	assert_string_equal(b.config, "{\"k\":1}");
	assert_same_events(&a.event_log, &b.event_log);
	assert_same_events(&a.runtime_events, &b.runtime_events);
	assert_int_equal(ds_replay_rtmr3(&b.runtime_events, NULL, rtmr3), 0);
	assert_hex(rtmr3, 48, MIXED_RTMR3);
	assert_int_equal(ds_attestation_encode(&b, &again), 0);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.data, out.data, out.len);
	ds_buf_free(&again);

	/* stripping keeps V1, the ACPI DATA event, the runtime entries without
	 * digests and the preimage; the boot event goes */
	assert_int_equal(ds_attestation_strip(&b), 0);
	assert_int_equal(b.event_log.len, 4);
	assert_string_equal(b.event_log.items[0].name, "acpi-loader");
	assert_int_equal(b.event_log.items[2].version, 2);
	assert_int_equal(b.event_log.items[2].digest.len, 0);
	assert_non_null(b.event_log.items[2].preimage);
	assert_int_equal(ds_attestation_encode(&b, &again), 0);
	assert_int_equal(again.data[0], 0x83);
	ds_attestation_free(&b);
	assert_int_equal(ds_attestation_decode(again.data, again.len, &b), 0);
	assert_int_equal(b.event_log.len, 4);

	ds_buf_free(&again);
	ds_buf_free(&out);
	ds_attestation_free(&a);
	ds_attestation_free(&b);
}

static void test_v1_events_only_stay_v0(void **state)
{
	struct ds_event_list log = { 0 }, runtime = { 0 };
	struct ds_attestation a = { 0 };
	struct ds_buf out = { 0 };
	uint8_t rd[DS_REPORT_DATA_LEN] = { 0 };

	(void)state;
	push_runtime(&runtime, "app-id", "0102", 1);
	push_runtime(&log, "app-id", "0102", 1);
	assert_int_equal(ds_runtime_fill_v2_preimages(&log), 0);
	assert_null(log.items[0].preimage);
	assert_int_equal(ds_attestation_build((const uint8_t *)"q", 1, &log, &runtime, rd, "", &a), 0);
	assert_int_equal(a.wire, DS_ATT_WIRE_V0);
	assert_int_equal(ds_attestation_encode(&a, &out), 0);
	assert_int_equal(out.data[0], 0x00);
	/* what only V1 can carry is refused by V0 */
	a.runtime_events.items[0].version = 2;
	assert_fails_with(ds_attestation_encode(&a, &out), "digest version 2 need a V1 container");
	a.runtime_events.items[0].version = 1;
	a.event_log.items[0].preimage = strdup("00");
	assert_fails_with(ds_attestation_encode(&a, &out), "preimages need a V1 container");
	ds_buf_free(&out);
	ds_attestation_free(&a);
}

static void test_views(void **state)
{
	struct ds_attestation a;
	char *text = NULL;

	(void)state;
	small_container(&a);
	assert_int_equal(ds_attestation_info_text(&a, "f.bin", 293, &text), 0);
	assert_string_equal(text, "file: f.bin\ntotal_bytes: 293\nversion: V1\n"
				  "platform: tdx quote_bytes=3 event_log_entries=1\n"
				  "stack: dstack report_data=" ZEROS64
				  " runtime_events=1 config_bytes=0\n");
	free(text);
	assert_int_equal(ds_attestation_json(&a, &text), 0);
	assert_memory_equal(text, "{\n  \"version\": 1,\n  \"platform\": {\n    \"kind\": \"tdx\",\n"
				  "    \"data\": {\n      \"quote\": [\n        1,\n        2,\n"
				  "        128\n      ],\n      \"event_log\": [\n        {\n"
				  "          \"imr\": 3,\n          \"event_type\": 134217729,\n"
				  "          \"digest\": \"aabb\",\n          \"event\": \"x\",\n"
				  "          \"event_payload\": \"01\",\n          \"version\": 2,\n"
				  "          \"preimage\": \"7b\"\n        }\n      ]\n    }\n  },\n"
				  "  \"stack\": {\n    \"kind\": \"dstack\",\n    \"data\": {\n"
				  "      \"report_data\": [\n        0,\n", 457);
	assert_non_null(strstr(text, "        0\n      ],\n      \"runtime_events\": [\n        {\n"
				     "          \"event\": \"x\",\n          \"payload\": \"AQ==\",\n"
				     "          \"version\": 2\n        }\n      ],\n"
				     "      \"config\": \"\"\n    }\n  }\n}"));
	assert_int_equal(text[strlen(text) - 1], '}');
	free(text);
	/* dstack-pod: its payload shows in both views and survives a round trip */
	a.report_data_payload = strdup("{\"hello\":\"world\"}");
	assert_int_equal(ds_attestation_info_text(&a, "f", 1, &text), 0);
	assert_non_null(strstr(text, "stack: dstack-pod "));
	assert_non_null(strstr(text, " report_data_payload_bytes=17\n"));
	free(text);
	assert_int_equal(ds_attestation_json(&a, &text), 0);
	assert_non_null(strstr(text, "\"kind\": \"dstack-pod\""));
	assert_non_null(strstr(text, "\"report_data_payload\": \"{\\\"hello\\\":\\\"world\\\"}\""));
	free(text);
	ds_attestation_free(&a);
}

static void test_pod_round_trip(void **state)
{
	struct ds_attestation a, b = { 0 };
	struct ds_buf out = { 0 };

	(void)state;
	small_container(&a);
	a.report_data_payload = strdup("payload");
	assert_int_equal(ds_attestation_encode(&a, &out), 0);
	assert_int_equal(ds_attestation_decode(out.data, out.len, &b), 0);
	assert_string_equal(b.report_data_payload, "payload");
	ds_attestation_free(&b);
	/* V0 cannot carry it */
	a.wire = DS_ATT_WIRE_V0;
	a.event_log.items[0].version = 1;
	free(a.event_log.items[0].preimage);
	a.event_log.items[0].preimage = NULL;
	a.runtime_events.items[0].version = 1;
	ds_buf_free(&out);
	assert_fails_with(ds_attestation_encode(&a, &out), "dstack-pod stack needs a V1 container");
	ds_attestation_free(&a);
}

/* SMALL_HEX with the first occurrence of from replaced by to, as bytes. */
static void edit(const char *from, const char *to, struct ds_buf *out)
{
	static const char small[] = SMALL_HEX;
	const char *at = strstr(small, from);
	char hex[2048];

	assert_non_null(at);
	snprintf(hex, sizeof(hex), "%.*s%s%s", (int)(at - small), small, to, at + strlen(from));
	hexbuf(hex, out);
}

static void expect_edit_fails(const char *from, const char *to, const char *msg)
{
	struct ds_buf in = { 0 };
	struct ds_attestation a = { 0 };

	edit(from, to, &in);
	assert_fails_with(ds_attestation_decode(in.data, in.len, &a), msg);
	ds_buf_free(&in);
}

/* The edited input decodes (into a, for the caller to check and free). */
static void expect_edit_decodes(const char *from, const char *to, struct ds_attestation *a)
{
	struct ds_buf in = { 0 };

	edit(from, to, &in);
	assert_int_equal(ds_attestation_decode(in.data, in.len, a), 0);
	ds_buf_free(&in);
}

static void expect_hex_fails(const char *hex, const char *msg)
{
	struct ds_buf in = { 0 };
	struct ds_attestation a = { 0 };

	hexbuf(hex, &in);
	assert_fails_with(ds_attestation_decode(in.data, in.len, &a), msg);
	ds_buf_free(&in);
}

static void test_truncations_and_trailing(void **state)
{
	struct ds_buf in = { 0 };

	(void)state;
	hexbuf(SMALL_HEX, &in);
	for (size_t n = 1; n < in.len; n++) {
		struct ds_attestation a = { 0 };

		/* truncated, or a count no longer fits */
		assert_fails_with(ds_attestation_decode(in.data, n, &a), "MessagePack");
	}
	ds_buf_free(&in);
	expect_hex_fails(SMALL_HEX "00", "trailing bytes after attestation msgpack: 1");
	expect_hex_fails(SMALL_HEX "83a0", "trailing bytes after attestation msgpack: 2");
}

static void test_wrong_version_and_kinds(void **state)
{
	(void)state;
	expect_edit_fails("a776657273696f6e01", "a776657273696f6e02",
			  "unsupported attestation version: expected 1, got 2");
	expect_edit_fails("a776657273696f6e01", "a776657273696f6ecf8000000000000000",
			  "got 9223372036854775808");
	expect_edit_fails("a3746478", "a3787878", "platform: unknown variant");
	expect_edit_fails("a3746478", "a77365762d736e70", "sev-snp attestations are not supported");
	expect_edit_fails("a3746478", "a76763702d746478", "gcp-tdx attestations are not supported");
	expect_edit_fails("a664737461636b", "a664737461636c", "stack: unknown variant");
	expect_edit_fails("a46b696e64a3746478", "a46b696e6403", "platform.kind: expected a string");
	/* dstack-pod requires its payload */
	expect_edit_fails("a664737461636b", "aa64737461636b2d706f64",
			  "missing field `report_data_payload`");
	/* event digest versions are 1 or 2 */
	expect_edit_fails("a776657273696f6e02a8", "a776657273696f6e03a8",
			  "unknown event log version: 3");
}

static void test_type_confusion(void **state)
{
	(void)state;
	expect_edit_fails("930102cc80", "c403010280", "quote: invalid type: bin, expected an array");
	expect_edit_fails("930102cc80", "a3010280", "invalid type: a string, expected an array");
	expect_edit_fails("930102cc80", "930102cd0100", "out of range (at most 255)");
	expect_edit_fails("930102cc80", "930102ff", "a negative integer");
	expect_edit_fails("c402aabb", "92ccaaccbb", "digest: invalid type: an array, expected bin");
	expect_edit_fails("c402aabb", "a2aabb", "digest: invalid type: a string, expected bin");
	expect_edit_fails("a56576656e74a178", "a56576656e74c40178",
			  "TdxEvent.event: invalid type: bin, expected a string");
	expect_edit_fails("a77061796c6f6164c40101", "a77061796c6f6164a101",
			  "RuntimeEvent.payload: invalid type: a string, expected bin");
	expect_edit_fails("a3696d7203", "a3696d72ca40400000", "imr: invalid type: a float");
	expect_edit_fails("ce08000001", "cf0000000100000000", "event_type: 4294967296 is out of range");
	expect_edit_fails("dc0040" ZEROS64, "9400000000", "stack.report_data must be 64 bytes");
	expect_edit_fails("a56576656e74a178", "a56576656e74a1ff", "not valid UTF-8");
	expect_edit_fails("a56576656e74a178", "a56576656e74a100", "contains a NUL character");
	expect_edit_fails("a8707265696d616765a23762", "a8707265696d616765c3",
			  "preimage: invalid type: a boolean");
	expect_edit_fails("83a7", "8301a7", "attestation: invalid type: an unsigned integer, "
					    "expected a string key");
	expect_edit_fails("a8706c6174666f726d82", "a8706c6174666f726d94",
			  "platform: invalid type: an array, expected a map");
}

static void test_keys(void **state)
{
	struct ds_attestation a = { 0 };
	char hex[2048];

	(void)state;
	/* unknown keys are ignored (serde without deny_unknown_fields), even
	 * with nested values; re-encoding drops them */
	expect_edit_decodes("83a7", "84a5657874726181a17891c0a7", &a);
	assert_encodes_to(&a, SMALL_HEX);
	ds_attestation_free(&a);
	/* a nil preimage is None; a missing digest is serde's default, empty */
	expect_edit_decodes("a8707265696d616765a23762", "a8707265696d616765c0", &a);
	assert_null(a.event_log.items[0].preimage);
	ds_attestation_free(&a);
	expect_edit_decodes("a6646967657374c402aabb", "a6646967657373c402aabb", &a);
	assert_int_equal(a.event_log.items[0].digest.len, 0);
	ds_attestation_free(&a);
	snprintf(hex, sizeof(hex), "84%s%s", &SMALL_HEX[2], "a776657273696f6e01");
	expect_hex_fails(hex, "duplicate field `version`");
	expect_edit_fails("87a3696d7203", "88a6646967657374c0a3696d7203",
			  "TdxEvent: duplicate field `digest`");
	expect_edit_fails("a5737461636b", "a5737461636c", "missing field `stack`");
	expect_edit_fails("a3696d7203", "a3696d7803", "TdxEvent: missing field `imr`");
}

static void test_hostile_sizes(void **state)
{
	char bomb[512] = "81a178";

	(void)state;
	expect_hex_fails("dfffffffff", "exceeds the remaining input");
	expect_edit_fails("a96576656e745f6c6f6791", "a96576656e745f6c6f67ddffffffff",
			  "exceeds the remaining input");
	expect_edit_fails("930102cc80", "dc7fff", "exceeds the remaining input");
	expect_edit_fails("c402aabb", "c6ffffffffaabb", "truncated MessagePack");
	expect_edit_fails("a178", "dbffffffff78", "truncated MessagePack");
	expect_edit_fails("a178", "c1", "invalid MessagePack byte 0xc1");
	/* nesting bomb under an ignored key */
	for (int i = 0; i < 100; i++)
		strcat(bomb, "91");
	strcat(bomb, "c0");
	expect_hex_fails(bomb, "nested deeper than 16");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_is_byte_exact),
		cmocka_unit_test(test_round_trip_mixed),
		cmocka_unit_test(test_v1_events_only_stay_v0),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_pod_round_trip),
		cmocka_unit_test(test_truncations_and_trailing),
		cmocka_unit_test(test_wrong_version_and_kinds),
		cmocka_unit_test(test_type_confusion),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_hostile_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
