/* setup: sys-config, app-compose and instance-info parsers against the
 * upstream fixtures, their defaults and their refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "setup/app_compose.h"
#include "setup/instance_info.h"
#include "setup/sys_config.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"

static struct ds_buf fixture(const char *name)
{
	char path[4096];
	struct ds_buf b = { 0 };

	snprintf(path, sizeof(path), "%s/%s", DS_FIXTURES_DIR, name);
	assert_int_equal(ds_read_file(path, 1 << 20, &b), 0);
	return b;
}

/* Whether any message of the current error chain contains text. */
static int err_has(const char *text)
{
	for (int i = 0; i < ds_err_depth(); i++)
		if (strstr(ds_err_msg(i), text))
			return 1;
	return 0;
}

static void expect_sys_config_error(const char *json, const char *text)
{
	struct ds_sys_config cfg;

	assert_int_not_equal(ds_sys_config_parse(json, strlen(json), &cfg), 0);
	if (!err_has(text))
		fail_msg("error chain lacks '%s' (outer: %s, inner: %s)", text, ds_err_msg(0),
			 ds_err_msg(ds_err_depth() - 1));
	assert_null(cfg.vm_config);
}

static void expect_compose_error(const char *json, const char *text)
{
	struct ds_app_compose ac;

	assert_int_not_equal(ds_app_compose_parse(json, strlen(json), &ac), 0);
	if (!err_has(text))
		fail_msg("error chain lacks '%s' (inner: %s)", text, ds_err_msg(ds_err_depth() - 1));
	assert_null(ac.name);
}

static void test_sys_config_fixtures(void **state)
{
	static const char *names[] = { "simulator-sys-config.json", "v0.5.4-simulator-sys-config.json" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct ds_buf raw = fixture(names[i]);
		struct ds_sys_config cfg;

		assert_int_equal(ds_sys_config_parse(raw.data, raw.len, &cfg), 0);
		assert_int_equal(cfg.n_kms_urls, 1);
		assert_non_null(strstr(cfg.kms_urls[0], ":12001"));
		assert_null(cfg.kms_urls[1]);
		assert_int_equal(cfg.n_gateway_urls, 1);
		assert_string_equal(cfg.pccs_url, "");
		assert_string_equal(cfg.docker_registry, "");
		assert_string_equal(cfg.host_api_url, "vsock://2:12000/api");
		assert_string_equal(cfg.vm_config,
				    "{\"os_image_hash\":\"64f0d1545cd510a8dfed7ad609d105b5d41f0cb2afcfdda8867ede00c88add7a\","
				    "\"cpu_count\":1,\"memory_size\":2147483648}");
		assert_null(cfg.mr_config);
		ds_sys_config_free(&cfg);
		ds_buf_free(&raw);
	}
}

static void test_sys_config_variants(void **state)
{
	struct ds_sys_config cfg;
	const char *head = "{\"vm_config\":\"{}\",\"tproxy_urls\":[\"https://gw\"],\"pccs_url\":\"legacy\","
			   "\"collateral_urls\":{\"pccs\":\"https://pccs\",\"amd_kds\":null},"
			   "\"mr_config\":\"doc\",\"unknown\":[1,2]}";
	const char *minimal = "{\"vm_config\":\"\",\"pccs_url\":\"legacy\",\"collateral_urls\":{}}";

	(void)state;
	assert_int_equal(ds_sys_config_parse(head, strlen(head), &cfg), 0);
	assert_int_equal(cfg.n_kms_urls, 0);
	assert_non_null(cfg.kms_urls);
	assert_null(cfg.kms_urls[0]);
	assert_string_equal(cfg.gateway_urls[0], "https://gw");
	assert_string_equal(cfg.pccs_url, "https://pccs");
	assert_null(cfg.host_api_url);
	assert_null(cfg.docker_registry);
	assert_string_equal(cfg.mr_config, "doc");
	ds_sys_config_free(&cfg);
	/* collateral_urls without pccs falls back to the legacy field. */
	assert_int_equal(ds_sys_config_parse(minimal, strlen(minimal), &cfg), 0);
	assert_string_equal(cfg.pccs_url, "legacy");
	ds_sys_config_free(&cfg);
}

static void test_sys_config_errors(void **state)
{
	char big[DS_SYS_CONFIG_MAX + 64];
	struct ds_sys_config cfg;

	(void)state;
	expect_sys_config_error("{\"host_api_url\":\"vsock://2:1/api\"}", "missing field `vm_config`");
	expect_sys_config_error("{\"vm_config\":{}}", "invalid type for field `vm_config`");
	expect_sys_config_error("{\"vm_config\":\"\",\"kms_urls\":\"https://kms\"}", "`kms_urls`");
	expect_sys_config_error("{\"vm_config\":\"\",\"kms_urls\":[1]}", "`kms_urls`");
	expect_sys_config_error("{\"vm_config\":\"\",\"gateway_urls\":[],\"tproxy_urls\":[]}",
				"duplicate field `gateway_urls`");
	expect_sys_config_error("{\"vm_config\":\"\",\"nvidia_attestation_proxy_url\":1}",
				"`nvidia_attestation_proxy_url`");
	expect_sys_config_error("{\"vm_config\":\"\",\"kms_urls\":null}", "`kms_urls`");
	expect_sys_config_error("{\"vm_config\":\"\",\"collateral_urls\":{\"x\":1}}",
				"unknown field `x`");
	expect_sys_config_error("{\"vm_config\":\"\",\"vm_config\":\"\"}", "duplicate");
	expect_sys_config_error("{\"vm_config\":\"\"} trailing", "invalid JSON");
	expect_sys_config_error("[\"vm_config\"]", "not a JSON object");
	expect_sys_config_error("{\"vm_config\":\"a\\u0000b\"}", "invalid JSON");
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"vm_config\":\"\"}", 16);
	assert_int_equal(ds_sys_config_parse(big, sizeof(big), &cfg), -EFBIG);
}

static void test_compose_head_fixture(void **state)
{
	static const char hash_hex[] = "65b4e574f16973956908b6359920593c3b7d9f36f38e81a47f996a0c0d5435bb";
	struct ds_buf raw = fixture("simulator-app-compose.json");
	uint8_t hash[DS_COMPOSE_HASH_LEN];
	char hex[2 * DS_COMPOSE_HASH_LEN + 1];
	struct ds_app_compose ac;

	(void)state;
	ds_compose_hash(raw.data, raw.len, hash);
	ds_hex_encode(hash, sizeof(hash), hex);
	assert_string_equal(hex, hash_hex);
	assert_int_equal(ds_app_compose_parse(raw.data, raw.len, &ac), 0);
	assert_int_equal(ac.manifest_version, 2);
	assert_string_equal(ac.name, "guest-agent");
	assert_string_equal(ac.runner, "docker-compose");
	assert_int_equal(ds_app_compose_key_provider(&ac), DS_KP_KMS);
	assert_int_equal(ac.has_key_provider, 1);
	assert_int_equal(ds_app_compose_kms_enabled(&ac), 1);
	assert_int_equal(ds_app_compose_gateway_enabled(&ac), 1);
	assert_int_equal(ac.key_provider_id.len, 0);
	assert_int_equal(ac.n_allowed_envs, 0);
	assert_null(ac.allowed_envs[0]);
	assert_int_equal(ac.secure_time, 0);
	assert_int_equal(ac.public_tcbinfo, 1);
	assert_int_equal(ac.no_instance_id, 0);
	assert_int_equal(ac.storage_fs, DS_STORAGE_FS_EXT4);
	assert_int_equal(ac.event_log_version, 1);
	assert_int_equal(ac.swap_size, 0);
	assert_int_equal(ac.n_init_scripts, 0);
	ds_app_compose_free(&ac);
	ds_buf_free(&raw);
}

static void test_compose_v054_fixture(void **state)
{
	static const char hash_hex[] = "a88c6d12ab4d525ce49aadf63c9f5bc16b03ddabef426c8de773376504b00d1c";
	struct ds_buf raw = fixture("v0.5.4-simulator-app-compose.json");
	uint8_t hash[DS_COMPOSE_HASH_LEN];
	char hex[2 * DS_COMPOSE_HASH_LEN + 1], app_id[2 * DS_APP_ID_LEN + 1];
	struct ds_app_compose ac;

	(void)state;
	ds_compose_hash(raw.data, raw.len, hash);
	ds_hex_encode(hash, sizeof(hash), hex);
	assert_string_equal(hex, hash_hex);
	ds_hex_encode(hash, DS_APP_ID_LEN, app_id);
	assert_string_equal(app_id, "a88c6d12ab4d525ce49aadf63c9f5bc16b03ddab");
	assert_int_equal(ds_app_compose_parse(raw.data, raw.len, &ac), 0);
	assert_string_equal(ac.name, "kvin-nb");
	assert_int_equal(ac.has_key_provider, 0);
	assert_int_equal(ds_app_compose_key_provider(&ac), DS_KP_KMS);
	assert_int_equal(ds_app_compose_gateway_enabled(&ac), 1);   /* via tproxy_enabled */
	assert_int_equal(ac.secure_time, 1);                        /* default */
	assert_int_equal(ac.public_tcbinfo, 0);                     /* explicit */
	assert_int_equal(ac.public_logs, 1);
	assert_int_equal(ac.local_key_provider_enabled, 0);
	assert_null(ac.docker_config.registry);
	assert_int_equal(ac.storage_fs, DS_STORAGE_FS_UNSET);
	ds_app_compose_free(&ac);
	ds_buf_free(&raw);
}

#define COMPOSE(extra) "{\"manifest_version\":2,\"name\":\"n\",\"runner\":\"bash\"" extra "}"

static void parse_ok(const char *json, struct ds_app_compose *ac)
{
	if (ds_app_compose_parse(json, strlen(json), ac))
		fail_msg("%s: %s", json, ds_err_msg(ds_err_depth() - 1));
}

static void test_compose_key_provider_resolution(void **state)
{
	static const struct {
		const char *json;
		enum ds_key_provider_kind kind;
		int kms_enabled, gateway;
	} cases[] = {
		{ COMPOSE(""), DS_KP_NONE, 0, 0 },
		{ COMPOSE(",\"local_key_provider_enabled\":true"), DS_KP_LOCAL, 0, 0 },
		{ COMPOSE(",\"kms_enabled\":true,\"local_key_provider_enabled\":true"),
		  DS_KP_KMS, 1, 0 },
		/* The explicit field wins over the booleans. */
		{ COMPOSE(",\"kms_enabled\":true,\"key_provider\":\"local\""), DS_KP_LOCAL, 1, 0 },
		{ COMPOSE(",\"kms_enabled\":true,\"key_provider\":\"none\""), DS_KP_NONE, 1, 0 },
		{ COMPOSE(",\"key_provider\":null,\"kms_enabled\":true"), DS_KP_KMS, 1, 0 },
		/* features: "kms" makes kms_enabled() true but not key_provider(). */
		{ COMPOSE(",\"features\":[\"kms\",\"tproxy-net\"]"), DS_KP_NONE, 1, 1 },
		{ COMPOSE(",\"gateway_enabled\":true"), DS_KP_NONE, 0, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ds_app_compose ac;

		parse_ok(cases[i].json, &ac);
		assert_int_equal(ds_app_compose_key_provider(&ac), cases[i].kind);
		assert_int_equal(ds_app_compose_kms_enabled(&ac), cases[i].kms_enabled);
		assert_int_equal(ds_app_compose_gateway_enabled(&ac), cases[i].gateway);
		ds_app_compose_free(&ac);
	}
}

static void test_compose_head_fields(void **state)
{
	struct ds_app_compose ac;

	(void)state;
	parse_ok("{\"manifest_version\":\" 3 \",\"name\":\"n\",\"runner\":\"bash\","
		 "\"init_script\":[\"echo 1\",\"echo 2\"],\"swap_size\":\"2G\","
		 "\"storage_fs\":\"ZFS\",\"event_log_version\":2,\"key_provider_id\":\"ABcd\","
		 "\"allowed_envs\":[\"A\",\"B\"],\"docker_config\":{\"registry\":\"r\",\"username\":null},"
		 "\"requirements\":null,\"port_policy\":{\"ports\":[]}}", &ac);
	assert_int_equal(ac.manifest_version, 3);
	assert_int_equal(ac.n_init_scripts, 2);
	assert_string_equal(ac.init_scripts[1], "echo 2");
	assert_int_equal(ac.swap_size, 2ull << 30);
	assert_int_equal(ac.storage_fs, DS_STORAGE_FS_ZFS);
	assert_int_equal(ac.event_log_version, 2);
	assert_int_equal(ac.key_provider_id.len, 2);
	assert_memory_equal(ac.key_provider_id.data, "\xab\xcd", 2);
	assert_int_equal(ac.n_allowed_envs, 2);
	assert_string_equal(ac.docker_config.registry, "r");
	assert_null(ac.docker_config.username);
	ds_app_compose_free(&ac);

	parse_ok(COMPOSE(",\"init_script\":\"echo one\",\"swap_size\":\"0x1000\""), &ac);
	assert_int_equal(ac.n_init_scripts, 1);
	assert_string_equal(ac.init_scripts[0], "echo one");
	assert_int_equal(ac.swap_size, 4096);
	ds_app_compose_free(&ac);
	parse_ok(COMPOSE(",\"init_script\":null,\"swap_size\":1048576"), &ac);
	assert_int_equal(ac.n_init_scripts, 0);
	assert_int_equal(ac.swap_size, 1048576);
	ds_app_compose_free(&ac);
	parse_ok("{\"manifest_version\":\"1\",\"name\":\"n\",\"runner\":\"bash\",\"swap_size\":\"512k\"}", &ac);
	assert_int_equal(ac.manifest_version, 1);
	assert_int_equal(ac.swap_size, 512 * 1024);
	ds_app_compose_free(&ac);
}

/* swap_size as upstream's size-parser crate reads it: the accepted forms
 * and each error message. */
static void test_compose_swap_size(void **state)
{
	static const struct {
		const char *json;
		uint64_t bytes;
	} ok[] = {
		{ "\" 4G \"", 4ull << 30 },
		{ "\"1t\"", 1ull << 40 },
		{ "\"2M\"", 2 << 20 },
		{ "\"+1K\"", 1024 },              /* Rust's u64 parse takes a '+' */
		{ "\"1KK\"", 1024 },              /* every repeat of the suffix is stripped */
		{ "\"0X1f\"", 31 },
		{ "\"0x+ff\"", 255 },
		{ "\"0\"", 0 },
		{ "\"18446744073709551615\"", UINT64_MAX },
		{ "\"0xffffffffffffffff\"", UINT64_MAX },
		{ "0", 0 },
	};
	static const struct {
		const char *json, *error;
	} bad[] = {
		{ "\"2X\"", "Unknown memory size suffix: X" },
		{ "\"+5\"", "Unknown memory size suffix: 5" },
		{ "\"1\u00e9\"", "Unknown memory size suffix: \u00e9" },
		{ "\"1kK\"", "Invalid numeric value: 1k" },
		{ "\"1.5G\"", "Invalid numeric value: 1.5" },
		{ "\"-1K\"", "Invalid numeric value: -1" },
		{ "\"G\"", "Invalid numeric value: " },
		{ "\"18446744073709551616\"", "Invalid numeric value: 18446744073709551616" },
		{ "\"0x0x10\"", "Invalid hexadecimal value: 0x10" },
		{ "\"0x\"", "Invalid hexadecimal value: " },
		{ "\"0x10000000000000000\"", "Invalid hexadecimal value" },
		{ "\"99999999999T\"", "Overflow in memory size calculation" },
		{ "\" \"", "Empty memory size" },
		{ "-1", "invalid swap_size" },
		{ "1.5", "invalid type for field `swap_size`" },
		{ "null", "invalid type for field `swap_size`" },
		{ "[1]", "invalid type for field `swap_size`" },
	};
	char json[256];
	struct ds_app_compose ac;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(json, sizeof(json), COMPOSE(",\"swap_size\":%s"), ok[i].json);
		parse_ok(json, &ac);
		assert_true(ac.swap_size == ok[i].bytes);
		ds_app_compose_free(&ac);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), COMPOSE(",\"swap_size\":%s"), bad[i].json);
		expect_compose_error(json, bad[i].error);
	}
}

static void test_compose_errors(void **state)
{
	(void)state;
	expect_compose_error("{\"name\":\"n\",\"runner\":\"r\"}", "missing field `manifest_version`");
	expect_compose_error("{\"manifest_version\":2,\"runner\":\"r\"}", "missing field `name`");
	expect_compose_error("{\"manifest_version\":2,\"name\":\"n\"}", "missing field `runner`");
	expect_compose_error("{\"manifest_version\":3,\"name\":\"n\",\"runner\":\"r\"}", "legacy versions 1 and 2");
	expect_compose_error("{\"manifest_version\":-1,\"name\":\"n\",\"runner\":\"r\"}", "positive integer");
	expect_compose_error("{\"manifest_version\":2.5,\"name\":\"n\",\"runner\":\"r\"}", "invalid type");
	expect_compose_error("{\"manifest_version\":\"0\",\"name\":\"n\",\"runner\":\"r\"}", "greater than 0");
	expect_compose_error("{\"manifest_version\":\"03\",\"name\":\"n\",\"runner\":\"r\"}", "canonical");
	expect_compose_error("{\"manifest_version\":\"+3\",\"name\":\"n\",\"runner\":\"r\"}", "canonical");
	expect_compose_error("{\"manifest_version\":\"3.0\",\"name\":\"n\",\"runner\":\"r\"}", "positive integer string");
	expect_compose_error("{\"manifest_version\":\"\",\"name\":\"n\",\"runner\":\"r\"}", "must not be empty");
	expect_compose_error("{\"manifest_version\":\"4\",\"name\":\"n\",\"runner\":\"r\"}", "Unsupported manifest_version 4");
	expect_compose_error("{\"manifest_version\":\"99999999999\",\"name\":\"n\",\"runner\":\"r\"}", "positive integer string");
	expect_compose_error(COMPOSE(",\"kms_enabled\":\"yes\""), "invalid type for field `kms_enabled`");
	expect_compose_error(COMPOSE(",\"secure_time\":null"), "invalid type for field `secure_time`");
	expect_compose_error(COMPOSE(",\"key_provider\":\"tpm\""), "unsupported key_provider \"tpm\"");
	expect_compose_error(COMPOSE(",\"key_provider\":\"KMS\""), "unsupported key_provider");
	expect_compose_error(COMPOSE(",\"key_provider_id\":\"0x12\""), "invalid hex in field `key_provider_id`");
	expect_compose_error(COMPOSE(",\"key_provider_id\":\"abc\""), "Odd number of digits");
	expect_compose_error(COMPOSE(",\"allowed_envs\":[\"A\",null]"), "`allowed_envs`");
	expect_compose_error(COMPOSE(",\"init_script\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]"), "at most 5");
	expect_compose_error(COMPOSE(",\"init_script\":[\"1\",2]"), "`init_script`");
	expect_compose_error(COMPOSE(",\"storage_fs\":\"btrfs\""), "unsupported storage_fs");
	expect_compose_error(COMPOSE(",\"event_log_version\":3"), "unknown event log version: 3");
	expect_compose_error(COMPOSE(",\"docker_config\":null"), "`docker_config`");
	expect_compose_error(COMPOSE(",\"requirements\":{\"x\":1}"), "unknown field `x` in `requirements`");
	expect_compose_error(COMPOSE(",\"name\":\"again\""), "duplicate");
}

static void test_instance_info(void **state)
{
	const char *json = "{\"instance_id_seed\":\"1111111111111111111111111111111111111111\","
			   "\"app_id\":\"A88C6D12AB4D525CE49AADF63C9F5BC16B03DDAB\",\"extra\":1}";
	struct ds_instance_info info;
	char *text;

	(void)state;
	assert_int_equal(ds_instance_info_parse(json, strlen(json), &info), 0);
	assert_int_equal(info.instance_id_seed.len, 20);
	assert_int_equal(info.instance_id.len, 0);
	assert_int_equal(info.app_id.data[0], 0xa8);
	assert_int_equal(ds_instance_info_format(&info, &text), 0);
	assert_string_equal(text, "{\"instance_id_seed\":\"1111111111111111111111111111111111111111\","
			    "\"instance_id\":\"\",\"app_id\":\"a88c6d12ab4d525ce49aadf63c9f5bc16b03ddab\"}");
	free(text);
	ds_instance_info_free(&info);

	assert_int_equal(ds_instance_info_init(&info), 0);
	assert_int_equal(ds_instance_info_format(&info, &text), 0);
	assert_string_equal(text, "{\"instance_id_seed\":\"\",\"instance_id\":\"\",\"app_id\":\"\"}");
	free(text);
	ds_instance_info_free(&info);

	assert_int_equal(ds_instance_info_parse("{}", 2, &info), 0);
	assert_int_equal(info.app_id.len, 0);
	ds_instance_info_free(&info);
	assert_int_not_equal(ds_instance_info_parse("{\"app_id\":\"abcd\"}", 17, &info), 0);
	assert_true(err_has("must be empty or 20 bytes"));
	assert_int_not_equal(ds_instance_info_parse("{\"app_id\":null}", 15, &info), 0);
	assert_true(err_has("`app_id`"));
	assert_int_not_equal(ds_instance_info_parse("{\"app_id\":\"zz\"}", 15, &info), 0);
	assert_true(err_has("Invalid character 'z'"));
	assert_int_not_equal(ds_instance_info_parse("", 0, &info), 0);
	assert_true(err_has("Failed to parse instance info"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sys_config_fixtures),
		cmocka_unit_test(test_sys_config_variants),
		cmocka_unit_test(test_sys_config_errors),
		cmocka_unit_test(test_compose_head_fixture),
		cmocka_unit_test(test_compose_v054_fixture),
		cmocka_unit_test(test_compose_key_provider_resolution),
		cmocka_unit_test(test_compose_head_fields),
		cmocka_unit_test(test_compose_swap_size),
		cmocka_unit_test(test_compose_errors),
		cmocka_unit_test(test_instance_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
