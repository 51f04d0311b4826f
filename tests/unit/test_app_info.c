/* App info, both algorithms and both boottime variants, against the vectors
 * of spec tdx-attestation.md 4.5; its MessagePack form (certificate
 * extension 1.9) and its way through a certificate; the VM config and
 * sys-config rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest/app_info.h"
#include "attest/container.h"
#include "attest/old_event_log.h"
#include "attest/vm_config.h"
#include "crypto/cert.h"
#include "crypto/p256.h"
#include "crypto/ratls_ext.h"
#include "fixtures.h"
#include "util/err.h"

#define KP_INFO "7b226e616d65223a226b6d73222c226964223a22333035393330313330363037326138363438636533643032303130363038326138363438636533643033303130373033343230303034313962323435376464396238616136343436643938306631333666666637383132656364366337373734306565623065323862313064353663306330303032386135623665353964636561333037643538336264316637303736396539633131366466326263666231373538613935643836313365376465316338343832633022" "7d"

static const char new_expected[] =
	"{\n"
	"  \"app_id\": \"5bb4ff9a3837357f19dc176407a5709c62eb6c56\",\n"
	"  \"compose_hash\": \"c143116fef3940e7f776bfc0919c256232ae5338a6e948c96b711e0b2383483a\",\n"
	"  \"instance_id\": \"1691ed1b47506cad7d08834668691d88246f5b1f\",\n"
	"  \"device_id\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\n"
	"  \"mr_system\": \"51ea38f8eee6dc72dbae9b74531ae6d6204295d265dabb4e6c34621a2a1a1197\",\n"
	"  \"mr_aggregated\": \"85334a62c97d0f8bf82d0245d31b539d17a2d7c258e2a13efc928aaea0e107cb\",\n"
	"  \"os_image_hash\": \"e61be43dd1cc6a6f5edefd7c51b608983780839b0000ce60dd99737dcffe09b9\",\n"
	"  \"key_provider_info\": \"" KP_INFO "\",\n"
	"  \"init_script_hashes\": []\n"
	"}";

/* rmp_serde::to_vec of the vector above, assembled by hand: a fixarray of 9
 * (0x99); each byte field a bin8 (c4, length, bytes; key_provider_info is
 * 204 = 0xcc bytes); init_script_hashes an empty fixarray (0x90). */
static const char new_msgpack_hex[] =
	"99"
	"c414" "5bb4ff9a3837357f19dc176407a5709c62eb6c56"
	"c420" "c143116fef3940e7f776bfc0919c256232ae5338a6e948c96b711e0b2383483a"
	"c414" "1691ed1b47506cad7d08834668691d88246f5b1f"
	"c420" "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	"c420" "51ea38f8eee6dc72dbae9b74531ae6d6204295d265dabb4e6c34621a2a1a1197"
	"c420" "85334a62c97d0f8bf82d0245d31b539d17a2d7c258e2a13efc928aaea0e107cb"
	"c420" "e61be43dd1cc6a6f5edefd7c51b608983780839b0000ce60dd99737dcffe09b9"
	"c4cc" KP_INFO
	"90";

static const char old_expected[] =
	"{\n"
	"  \"app_id\": \"ea549f02e1a25fabd1cb788380e033ec5461b2ff\",\n"
	"  \"compose_hash\": \"ea549f02e1a25fabd1cb788380e033ec5461b2ffe4328d753642cf035452e48b\",\n"
	"  \"instance_id\": \"59df8036b824b0aac54f8998b9e1fb2a0cfc5d3a\",\n"
	"  \"device_id\": \"da2d377e04b7133ec1287a18d465fa44ae9dbb08d929166c6bdb414f38a2acd3\",\n"
	"  \"mrtd\": \"c68518a0ebb42136c12b2275164f8c72f25fa9a34392228687ed6e9caeb9c0f1dbd895e9cf475121c029dc47e70e91fd\",\n"
	"  \"rtmr0\": \"85e0855a6384fa1c8a6ab36d0dcbfaa11a5753e5a070c08218ae5fe872fcb86967fd2449c29e22e59dc9fec998cb6547\",\n"
	"  \"rtmr1\": \"6ba8f87f35d0641e8abca07e75e3882abdc9f19d7cc8f6e3fe04435bd5f694d4e3cf008b60d7c7233896e8d1f23c34a7\",\n"
	"  \"rtmr2\": \"03b1c4afcac07d00d8e853163aff3ba3f9af68ddfbdbeafab70210a8dc601b409c28873d74fb6dbe7dc33a8da7c09621\",\n"
	"  \"rtmr3\": \"6d1a3da994b6611ee602f25f07b41671ece90cd2898689f1ad4448fdf1155e3668736cca4499659caae2d8044070de57\",\n"
	"  \"mr_system\": \"db69de4e8cd3cfb7431c31b9b3c0919cd4e688e629c15d9e745881f20caf25c8\",\n"
	"  \"mr_aggregated\": \"286261fff4fcaa1e418aa50a7fcbcee70549a7ec70bf22ce9d8bf2711e5a8d64\",\n"
	"  \"os_image_hash\": \"\",\n"
	"  \"key_provider_info\": \"" KP_INFO "\"\n"
	"}";

static void load_container(struct ds_attestation *a)
{
	struct ds_buf file = { 0 };

	load_fixture("attestation.bin", &file);
	assert_int_equal(ds_attestation_decode(file.data, file.len, a), 0);
	ds_buf_free(&file);
}

static void load_old(struct ds_buf *quote, struct ds_event_list *log)
{
	struct ds_buf json = { 0 };

	load_hex_fixture("v0.5.4-simulator-quote.hex", quote);
	load_fixture("v0.5.4-simulator-eventlog.json", &json);
	assert_int_equal(ds_old_event_log_parse(json.data, json.len, log), 0);
	assert_int_equal(log->len, 27);
	ds_buf_free(&json);
}

/* The v0.5.4 runtime log (tdx_events.log): one old-format object per line.
 * The fixture's RTMR3 events, written out as such lines with a blank line
 * among them, parse back to the same events; malformed lines fail. */
static void test_old_runtime_log_lines(void **state)
{
	struct ds_buf json = { 0 }, text = { 0 };
	struct ds_event_list all = { 0 }, lines = { 0 };
	json_t *arr;
	size_t n = 0;

	(void)state;
	load_fixture("v0.5.4-simulator-eventlog.json", &json);
	assert_int_equal(ds_old_event_log_parse(json.data, json.len, &all), 0);
	arr = json_loadb((const char *)json.data, json.len, 0, NULL);
	assert_non_null(arr);
	assert_int_equal(ds_buf_alloc(&text, 0), 0);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *ev = json_array_get(arr, i);
		char *line;

		if (json_integer_value(json_object_get(ev, "imr")) != 3)
			continue;
		/* A blank line between events: readers skip blank lines. */
		if (text.len)
			assert_int_equal(ds_buf_append(&text, "\n", 1, 1 << 20), 0);
		line = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
		assert_int_equal(ds_buf_append(&text, line, strlen(line), 1 << 20), 0);
		assert_int_equal(ds_buf_append(&text, "\n", 1, 1 << 20), 0);
		free(line);
	}
	assert_int_equal(ds_old_runtime_log_parse(text.data, text.len, &lines), 0);
	assert_int_equal(lines.len, 7);
	for (size_t i = 0; i < all.len; i++) {
		if (all.items[i].imr != 3)
			continue;
		assert_string_equal(lines.items[n].name, all.items[i].name);
		assert_int_equal(lines.items[n].digest.len, 48);
		assert_memory_equal(lines.items[n].digest.data, all.items[i].digest.data, 48);
		n++;
	}
	assert_int_equal(n, 7);
	ds_event_list_free(&lines);

	static const char *const bad[] = {
		"not json\n",
		"{\"imr\":3,\"event_type\":134217729,\"digest\":\"00\",\"event\":\"x\",\"event_payload\":\"\"}\n",
		"{\"imr\":3,\"event_type\":134217729,\"event\":\"x\",\"event_payload\":\"\"}\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(ds_old_runtime_log_parse((const uint8_t *)bad[i], strlen(bad[i]),
							      &lines), 0);
	json_decref(arr);
	ds_event_list_free(&all);
	ds_buf_free(&json);
	ds_buf_free(&text);
}

static void test_new_algorithm(void **state)
{
	struct ds_attestation a = { 0 };
	struct ds_app_info info = { 0 };
	char *json = NULL;

	(void)state;
	load_container(&a);
	assert_int_equal(ds_app_info_new(a.quote.data, a.quote.len, &a.runtime_events, a.config, 0,
					 &info), 0);
	assert_int_equal(ds_app_info_new_json(&info, &json), 0);
	assert_string_equal(json, new_expected);
	free(json);
	ds_app_info_free(&info);

	assert_int_equal(ds_app_info_new(a.quote.data, a.quote.len, &a.runtime_events, a.config, 1,
					 &info), 0);
	assert_int_equal(info.key_provider_info.len, 0);
	assert_hex(info.mr_system, 32, "ef6af583432288c877e412740aa7d8a844a18920ad98e9b1d95d42a07a3044c8");
	assert_hex(info.mr_aggregated, 32, "787f9fe525fcb61e81f31a30225a86674412088f2f1b683a421a7e9cbcd40551");
	assert_hex(info.app_id.data, info.app_id.len, "5bb4ff9a3837357f19dc176407a5709c62eb6c56");
	ds_app_info_free(&info);
	ds_attestation_free(&a);
}

static void test_new_msgpack(void **state)
{
	struct ds_attestation a = { 0 };
	struct ds_app_info info = { 0 };
	struct ds_buf mp = { 0 };

	(void)state;
	load_container(&a);
	assert_int_equal(ds_app_info_new(a.quote.data, a.quote.len, &a.runtime_events, a.config, 0,
					 &info), 0);
	assert_int_equal(ds_app_info_msgpack(&info, &mp), 0);
	assert_hex(mp.data, mp.len, new_msgpack_hex);
	ds_buf_free(&mp);
	ds_app_info_free(&info);

	/* boottime: key_provider_info empty is a bin8 of length 0, not nil */
	assert_int_equal(ds_app_info_new(a.quote.data, a.quote.len, &a.runtime_events, a.config, 1,
					 &info), 0);
	assert_int_equal(ds_app_info_msgpack(&info, &mp), 0);
	assert_int_equal(mp.len, 1 + 2 * 22 + 5 * 34 + 2 + 1);
	assert_hex(mp.data + mp.len - 3, 3, "c40090");
	ds_buf_free(&mp);
	ds_app_info_free(&info);
	ds_attestation_free(&a);
}

/* The encoding rides in extension 1.9 of a certificate and reads back as
 * the same bytes (long-form DER lengths: it is over 127 bytes). */
static void test_msgpack_in_certificate(void **state)
{
	struct ds_buf mp = { 0 }, back = { 0 };
	struct ds_cert_req req = { .subject = "leaf", .ca_level = DS_CERT_NOT_CA };
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int found = 0;

	(void)state;
	assert_int_equal(ds_hex_decode(new_msgpack_hex, strlen(new_msgpack_hex), &mp), 0);
	assert_int_equal(ds_p256_generate(&key), 0);
	req.key = key;
	req.app_info = DS_SLICE(mp.data, mp.len);
	assert_int_equal(ds_cert_build(&req, NULL, NULL, &cert), 0);
	assert_int_equal(ds_ratls_ext_get(cert, DS_RATLS_APP_INFO, &back, &found), 0);
	assert_true(found);
	assert_int_equal(back.len, mp.len);
	assert_memory_equal(back.data, mp.data, mp.len);
	ds_buf_free(&back);
	ds_buf_free(&mp);
	X509_free(cert);
	EVP_PKEY_free(key);
}

static void test_new_init_scripts(void **state)
{
	struct ds_attestation a = { 0 };
	struct ds_app_info info = { 0 };
	struct ds_buf mp = { 0 };
	struct ds_event *ev;
	char *json = NULL;

	(void)state;
	load_container(&a);
	/* rename storage-fs (before system-ready) to an init-script-hash */
	ev = &a.runtime_events.items[7];
	free(ev->name);
	ev->name = strdup("init-script-hash");
	assert_int_equal(ds_app_info_new(a.quote.data, a.quote.len, &a.runtime_events, "", 0,
					 &info), 0);
	assert_int_equal(info.n_init_script_hashes, 1);
	assert_int_equal(info.os_image_hash.len, 0);
	/* RTMR3 is replayed from the (renamed) events, never taken as stored */
	assert_hex(info.mr_aggregated, 32, "1bd67efd26e281e8ef1e7ec5bf8cf3716342c094343b773947b635500bb5c659");
	assert_int_equal(ds_app_info_new_json(&info, &json), 0);
	if (!strstr(json, "\"init_script_hashes\": [\n    \"7a6673\"\n  ]\n}"))
		fail_msg("%s", json);
	free(json);
	/* in MessagePack: a fixarray of one bin8 of 3 bytes, at the end */
	assert_int_equal(ds_app_info_msgpack(&info, &mp), 0);
	assert_hex(mp.data + mp.len - 6, 6, "91c4037a6673");
	assert_int_equal(mp.data[0], 0x99);
	ds_buf_free(&mp);
	ds_app_info_free(&info);
	ds_attestation_free(&a);
}

static void test_old_algorithm(void **state)
{
	struct ds_buf quote = { 0 };
	struct ds_event_list log = { 0 };
	struct ds_app_info info = { 0 };
	char *json = NULL;

	(void)state;
	load_old(&quote, &log);
	assert_int_equal(ds_app_info_old(quote.data, quote.len, &log, 0, &info), 0);
	assert_int_equal(ds_app_info_old_json(&info, &json), 0);
	assert_string_equal(json, old_expected);
	free(json);
	ds_app_info_free(&info);

	assert_int_equal(ds_app_info_old(quote.data, quote.len, &log, 1, &info), 0);
	assert_hex(info.rtmr[3], 48, "bd1da5c433aac34e237d1aaaba96b432f024db2265196d12ce864fc3c464f1bca8d57b0f6c28f3f1cfc28777fc536d2b");
	assert_hex(info.mr_system, 32, "6930d5fcad72e580012d8e67b676bcd70a5c9e2aa60f4ca207fb7c4656743e79");
	assert_hex(info.mr_aggregated, 32, "9e0a88d0aca3c3ff08e37556e88afbf5c5875725081cc3dd4db9d0e7dd1c17d6");
	assert_int_equal(info.key_provider_info.len, 0);
	ds_app_info_free(&info);

	/* a tampered RTMR3 payload fails the V1 digest check */
	log.items[21].payload.data[0] ^= 1;
	assert_int_not_equal(ds_app_info_old(quote.data, quote.len, &log, 0, &info), 0);
	assert_string_equal(ds_err_msg(0), "Failed to replay event logs");
	assert_string_equal(ds_err_msg(2), "invalid digest");
	ds_event_list_free(&log);
	ds_buf_free(&quote);
}

static void test_old_algorithm_on_container(void **state)
{
	struct ds_attestation a = { 0 };
	struct ds_app_info info = { 0 }, new_info = { 0 };

	(void)state;
	load_container(&a);
	assert_int_equal(ds_app_info_old(a.quote.data, a.quote.len, &a.event_log, 0, &info), 0);
	assert_int_equal(ds_app_info_new(a.quote.data, a.quote.len, &a.runtime_events, a.config, 0,
					 &new_info), 0);
	assert_hex(info.device_id, 32, "0f344befc7b8349f335507c561d34d09b4466cf77cbc4ce7516a081b77f91ed2");
	assert_hex(info.mrtd, 48, "e53236d44a074bc78e784cdfa1a2c858a5f6b53afc1b60d8f079662314978b64241b646d8498dd767d5ea48e1e115822");
	assert_memory_equal(info.mr_system, new_info.mr_system, 32);
	assert_memory_equal(info.mr_aggregated, new_info.mr_aggregated, 32);
	assert_int_equal(info.os_image_hash.len, new_info.os_image_hash.len);
	assert_memory_equal(info.os_image_hash.data, new_info.os_image_hash.data,
			    info.os_image_hash.len);
	ds_app_info_free(&info);
	ds_app_info_free(&new_info);

	/* without compose-hash the old algorithm fails, the new one does not */
	free(a.event_log.items[26].name);
	a.event_log.items[26].name = strdup("renamed");
	assert_int_not_equal(ds_app_info_old(a.quote.data, a.quote.len, &a.event_log, 0, &info), 0);
	ds_attestation_free(&a);
}

static void test_quote_errors(void **state)
{
	struct ds_attestation a = { 0 };
	struct ds_app_info info = { 0 };

	(void)state;
	load_container(&a);
	assert_int_not_equal(ds_app_info_new(a.quote.data, 100, &a.runtime_events, "", 0, &info), 0);
	assert_string_equal(ds_err_msg(0), "decode app info");
	assert_string_equal(ds_err_msg(1), "Failed to parse quote");
	ds_attestation_free(&a);
}

static void test_vm_config(void **state)
{
	static const char *bad[] = {
		"[]", "{\"cpu_count\":-1}", "{\"cpu_count\":4294967296}", "{\"cpu_count\":1.0}",
		"{\"os_image_hash\":\"zz\"}", "{\"os_image_hash\":null}", "{\"hugepages\":1}",
		"{\"ovmf_variant\":\"post\"}", "{\"tdx_attestation_variant\":null}",
		"{\"tdx_measurement\":{\"checksum_file\":\"!\",\"measurement\":\"\"}}",
		"{\"vm_config\":\"{\\\"swtpm\\\":\\\"yes\\\"}\"}", "not json",
		"{\"host_share_mode\":1}", "{\"image\":7}",
	};
	struct ds_buf hash = { 0 };

	(void)state;
	assert_int_equal(ds_vm_config_os_image_hash("", &hash), 0);
	assert_int_equal(hash.len, 0);
	ds_buf_free(&hash);
	assert_int_equal(ds_vm_config_os_image_hash(
		"{\"os_image_hash\":\"0a0B\",\"unknown\":[1],\"pic\":null,\"ovmf_variant\":\"pre202505\","
		"\"tdx_attestation_variant\":\"lite\",\"tdx_measurement\":{\"checksum_file\":\"AQ==\","
		"\"measurement\":\"\"},\"memory_size\":2147483648}", &hash), 0);
	assert_hex(hash.data, hash.len, "0a0b");
	ds_buf_free(&hash);
	/* a whole sys-config stands for its vm_config */
	assert_int_equal(ds_vm_config_os_image_hash("{\"vm_config\":\"{\\\"os_image_hash\\\":\\\"ff\\\"}\"}",
						    &hash), 0);
	assert_hex(hash.data, hash.len, "ff");
	ds_buf_free(&hash);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ds_vm_config_os_image_hash(bad[i], &hash) == 0)
			fail_msg("accepted bad vm config %s", bad[i]);
		assert_string_equal(ds_err_msg(0), "Failed to parse vm config");
	}
}

static void write_text(const char *path, const char *text)
{
	assert_int_equal(ds_write_file_atomic(path, text, strlen(text), 0600), 0);
}

static void test_sys_config(void **state)
{
	char dir[] = "/tmp/ds-sysconfig.XXXXXX", path[4200], *vm = NULL;
	struct ds_buf fixture = { 0 };
	static const char *bad[] = {
		"{}", "{\"vm_config\":1}", "{\"vm_config\":\"\",\"kms_urls\":null}",
		"{\"vm_config\":\"\",\"collateral_urls\":{\"x\":\"\"}}",
		"{\"vm_config\":\"\",\"gateway_urls\":[],\"tproxy_urls\":[]}", "{",
		"{\"vm_config\":\"a\\u0000b\"}",
	};

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(setenv("DSTACK_HOST_SHARED_DIR", dir, 1), 0);
	assert_int_equal(ds_sys_config_path(path, sizeof(path)), 0);
	assert_int_equal(ds_sys_config_vm_config(path, &vm), 0);
	assert_string_equal(vm, "");
	free(vm);
	load_fixture("simulator-sys-config.json", &fixture);
	assert_int_equal(ds_write_file_atomic(path, fixture.data, fixture.len, 0600), 0);
	assert_int_equal(ds_sys_config_vm_config(path, &vm), 0);
	assert_memory_equal(vm, "{\"os_image_hash\":\"64f0d1545cd5", 30);
	free(vm);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_text(path, bad[i]);
		if (ds_sys_config_vm_config(path, &vm) == 0)
			fail_msg("accepted bad sys-config %s", bad[i]);
		assert_string_equal(ds_err_msg(0), "Failed to read vm config");
		assert_string_equal(ds_err_msg(1), "Failed to parse sys-config");
	}
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_not_equal(ds_sys_config_vm_config(path, &vm), 0);
	assert_string_equal(ds_err_msg(1), "Failed to read sys-config");
	rmdir(path);
	rmdir(dir);
	assert_int_equal(setenv("DSTACK_HOST_SHARED_DIR", "relative", 1), 0);
	assert_int_not_equal(ds_sys_config_path(path, sizeof(path)), 0);
	unsetenv("DSTACK_HOST_SHARED_DIR");
	assert_int_equal(ds_sys_config_path(path, sizeof(path)), 0);
	assert_string_equal(path, "/dstack/.host-shared/.sys-config.json");
	ds_buf_free(&fixture);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_runtime_log_lines),
		cmocka_unit_test(test_new_algorithm),
		cmocka_unit_test(test_new_msgpack),
		cmocka_unit_test(test_msgpack_in_certificate),
		cmocka_unit_test(test_new_init_scripts),
		cmocka_unit_test(test_old_algorithm),
		cmocka_unit_test(test_old_algorithm_on_container),
		cmocka_unit_test(test_quote_errors),
		cmocka_unit_test(test_vm_config),
		cmocka_unit_test(test_sys_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
