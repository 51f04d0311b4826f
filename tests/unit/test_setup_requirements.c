/* [HEAD] app-compose requirements: the semver requirement matcher, the
 * os-release reader, JCS and the gpu-policy-hash, the typed parse and each
 * policy rule (accepted and refused, with upstream's messages), and the
 * GPU gate. Expected hashes were computed independently with Python's
 * json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "setup/app_compose.h"
#include "setup/app_policy.h"
#include "setup/gpu_gate.h"
#include "setup/os_release.h"
#include "setup/semver.h"
#include "util/hex.h"
#include "util/jcs.h"

/* ---- semver ---- */

static int req_matches(const char *req_text, const char *version)
{
	struct ds_semver_req req;
	struct ds_semver v;
	int m;

	if (ds_semver_req_parse(req_text, &req))
		fail_msg("req '%s': %s", req_text, err_chain());
	if (ds_semver_parse(version, &v))
		fail_msg("version '%s': %s", version, err_chain());
	m = ds_semver_matches(&req, &v);
	ds_semver_free(&v);
	ds_semver_req_free(&req);
	return m;
}

static void test_semver_matching(void **state)
{
	static const struct { const char *req, *version; int match; } table[] = {
		{ ">=0.6.1", "0.6.1", 1 }, { ">=0.6.1", "0.6.0", 0 }, { ">=0.6.1", "0.7.0", 1 },
		{ ">=0.6.1", "0.6.2-rc.1", 0 }, { ">=0.6.0, <0.7.0", "0.6.5", 1 },
		{ ">=0.6.0, <0.7.0", "0.7.0", 0 }, { " >= 0.6.0 ,<0.7 ", "0.6.9", 1 },
		{ "0.6", "0.6.9", 1 }, { "0.6", "0.7.0", 0 }, { "1.2", "1.9.0", 1 },
		{ "1.2", "2.0.0", 0 }, { "^1.2.3", "1.2.2", 0 }, { "^1.2.3", "1.99.0", 1 },
		{ "^0.0.3", "0.0.3", 1 }, { "^0.0.3", "0.0.4", 0 }, { "^0.2.3", "0.2.9", 1 },
		{ "^0.2.3", "0.3.0", 0 }, { "^0", "0.9.9", 1 }, { "~1.2.3", "1.2.9", 1 },
		{ "~1.2.3", "1.3.0", 0 }, { "~1.2.3", "1.2.2", 0 }, { "~1", "1.9.9", 1 },
		{ "~1.2", "1.2.0", 1 }, { "~1.2", "1.3.0", 0 }, { "=1.2.3", "1.2.3", 1 },
		{ "=1.2.3", "1.2.4", 0 }, { "=1.2", "1.2.7", 1 }, { "=1.2.3", "1.2.3+build.5", 1 },
		{ "*", "5.0.0", 1 }, { "*", "1.0.0-alpha", 0 }, { "x", "0.0.0", 1 },
		{ "1.x", "1.5.0", 1 }, { "1.x", "2.0.0", 0 }, { "1.2.*", "1.2.9", 1 },
		{ "1.2.X", "1.3.0", 0 }, { ">1", "1.9.0", 0 }, { ">1", "2.0.0", 1 },
		{ ">1.2", "1.2.9", 0 }, { ">1.2", "1.3.0", 1 }, { "<1.2", "1.1.9", 1 },
		{ "<1.2", "1.2.0", 0 }, { "<=1.2", "1.2.5", 1 }, { "<=1.2", "1.3.0", 0 },
		{ ">=1.2", "1.2.0", 1 }, { ">=1.2, =1.2.3-alpha", "1.2.3-alpha", 0 },
		{ ">=1.2.3-alpha.2", "1.2.3-alpha.10", 1 }, { ">=1.2.3-alpha.2", "1.2.3-alpha.1", 0 },
		{ ">=1.2.3-alpha.2", "1.2.3", 1 }, { ">=1.2.3-alpha.2", "1.2.4-alpha", 0 },
		{ ">=1.2.3-alpha", "1.2.3-alpha.1", 1 }, { "<1.2.3-alpha.beta", "1.2.3-alpha.1", 1 },
		{ "<1.2.3-alpha.1", "1.2.3-alpha.beta", 0 }, { ">1.2.3-alpha", "1.2.3-beta", 1 },
		{ "=1.2.3-rc.1", "1.2.3-rc.1", 1 }, { "~1.2.3-rc.1", "1.2.3-rc.2", 1 },
		{ "1.2.3+meta", "1.2.3", 1 }, { ">=0.5.4", "0.5.4", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (req_matches(table[i].req, table[i].version) != table[i].match)
			fail_msg("'%s' vs %s: expected %d", table[i].req, table[i].version,
				 table[i].match);
}

static void expect_req_error(const char *text, const char *message)
{
	struct ds_semver_req req;

	assert_fails_with(ds_semver_req_parse(text, &req), message);
	assert_int_equal(req.n, 0);
}

static void test_semver_req_errors(void **state)
{
	char many[256] = "";

	(void)state;
	expect_req_error("", "unexpected end of input while parsing major version number");
	expect_req_error("abc", "unexpected character 'a' while parsing major version number");
	expect_req_error("01.2", "invalid leading zero in major version number");
	expect_req_error("1.2.3 4", "expected comma after patch version number, found '4'");
	expect_req_error("1.2 || 2", "expected comma after minor version number, found '|'");
	expect_req_error("*, 1.0", "wildcard req (*) must be the only comparator in the version req");
	expect_req_error("1.0, *", "wildcard req (*) must be the only comparator in the version req");
	expect_req_error("x y", "unexpected character after wildcard in version req");
	expect_req_error("1.x.3", "unexpected character after wildcard in version req");
	expect_req_error("1.2.3-", "empty identifier segment in pre-release identifier");
	expect_req_error("1.2.3-a..b", "empty identifier segment in pre-release identifier");
	expect_req_error("1.2.3-01", "invalid leading zero in pre-release identifier");
	expect_req_error("1.2.3+", "empty identifier segment in build metadata");
	expect_req_error("18446744073709551616", "value of major version number exceeds u64::MAX");
	expect_req_error(">=1.", "unexpected end of input while parsing minor version number");
	for (int i = 0; i < 32; i++)
		strcat(many, i ? ",>=1" : ">=1");
	assert_true(req_matches(many, "1.0.0"));
	strcat(many, ",>=1");
	expect_req_error(many, "excessive number of version comparators");
}

static void test_semver_version_errors(void **state)
{
	struct ds_semver v;

	(void)state;
	assert_fails_with(ds_semver_parse("", &v), "empty string, expected a semver version");
	assert_fails_with(ds_semver_parse("12", &v),
			  "unexpected end of input while parsing major version number");
	assert_fails_with(ds_semver_parse("1.2.3.4", &v),
			  "unexpected character '.' after patch version number");
	assert_fails_with(ds_semver_parse("v1.2.3", &v),
			  "unexpected character 'v' while parsing major version number");
	assert_fails_with(ds_semver_parse("1.2.3-rc.1 ", &v),
			  "unexpected character ' ' after pre-release identifier");
	assert_int_equal(ds_semver_parse("0.5.4-rc.1+build.7", &v), 0);
	assert_string_equal(v.pre, "rc.1");
	ds_semver_free(&v);
}

static void expect_req_format(const char *text, const char *display)
{
	struct ds_semver_req req;
	char *out;

	assert_int_equal(ds_semver_req_parse(text, &req), 0);
	out = ds_semver_req_format(&req);
	assert_string_equal(out, display);
	free(out);
	ds_semver_req_free(&req);
}

static void test_semver_display(void **state)
{
	(void)state;
	expect_req_format(">=0.6.1,<0.7", ">=0.6.1, <0.7");
	expect_req_format("1.x", "1.*");
	expect_req_format("1.2.*", "1.2.*");
	expect_req_format(">=1.x", ">=1");
	expect_req_format("0.6", "^0.6");
	expect_req_format(" * ", "*");
	expect_req_format("= 1.2.3-rc.1+b", "=1.2.3-rc.1");
	expect_req_format("~1", "~1");
}

/* ---- os-release ---- */

static void expect_os_value(const char *content, const char *expected)
{
	char *v = NULL;

	assert_int_equal(ds_os_release_value(content, strlen(content), "VERSION_ID", &v), 0);
	if (!expected)
		assert_null(v);
	else
		assert_string_equal(v, expected);
	free(v);
}

static void test_os_release(void **state)
{
	char dir[64], a[128], b[128], *v = NULL;
	const char *paths[] = { a, b, NULL };

	(void)state;
	expect_os_value("NAME=x\nVERSION_ID=0.5.4\n", "0.5.4");
	expect_os_value("VERSION_ID=\"0.5.4\"", "0.5.4");
	expect_os_value("  VERSION_ID = 1\n", NULL);
	expect_os_value("# VERSION_ID=1\nVERSION_ID='0.6.0'\r\nVERSION_ID=2", "0.6.0");
	expect_os_value("VERSION_ID=\"a\\\"b\\\\c\\\"", "a\"b\\c\\");
	expect_os_value("VERSION_ID='a\\\"b'", "a\\\"b");
	expect_os_value("VERSION_ID=\"", "\"");
	expect_os_value("VERSION_ID=  0.6.1  ", "0.6.1");
	expect_os_value("NAME=dstack", NULL);
	assert_fails_with(ds_os_release_value("VERSION_ID=\xff", 12, "VERSION_ID", &v),
			  "not valid UTF-8");

	tmpdir_create(dir, "osrel");
	snprintf(a, sizeof(a), "%s/etc-os-release", dir);
	snprintf(b, sizeof(b), "%s/usr-os-release", dir);
	assert_fails_with(ds_os_release_version_id(paths, &v), "VERSION_ID not found");
	write_text(b, "VERSION_ID=0.6.2\n");
	assert_int_equal(ds_os_release_version_id(paths, &v), 0);
	assert_string_equal(v, "0.6.2");
	free(v);
	write_text(a, "NAME=dstack\n");
	assert_int_equal(ds_os_release_version_id(paths, &v), 0);
	assert_string_equal(v, "0.6.2");
	free(v);
	write_text(a, "VERSION_ID=0.7.0\n");
	assert_int_equal(ds_os_release_version_id(paths, &v), 0);
	assert_string_equal(v, "0.7.0");
	free(v);
	unlink(a);
	assert_int_equal(mkdir(a, 0755), 0); /* unreadable as a file: an error, not a skip */
	assert_fails_with(ds_os_release_version_id(paths, &v), "Failed to read");
	tmpdir_remove(dir);
}

/* ---- JCS and gpu-policy-hash ---- */

static void expect_jcs(const char *json, const char *canonical)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
	struct ds_buf out = { 0 };

	assert_non_null(v);
	assert_int_equal(ds_jcs_dump(v, 1 << 16, &out), 0);
	assert_int_equal(out.len, strlen(canonical));
	assert_memory_equal(out.data, canonical, out.len);
	ds_buf_free(&out);
	json_decref(v);
}

static void test_jcs(void **state)
{
	json_t *real = json_real(1.5), *big = json_integer((json_int_t)1 << 54);
	struct ds_buf out = { 0 };

	(void)state;
	expect_jcs("{\"b\":[1,-2,{\"z\":null,\"a\":true}],\"a\":\"x\"}",
		   "{\"a\":\"x\",\"b\":[1,-2,{\"a\":true,\"z\":null}]}");
	expect_jcs("\"\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\\\/\\u007f\\u00e9\"",
		   "\"\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\x7f\xc3\xa9\"");
	/* UTF-16 order: U+1F600 (D83D DE00) sorts before U+E000, unlike code points */
	expect_jcs("{\"\\ue000\":2,\"\\ud83d\\ude00\":1,\"\\u00e9\":0}",
		   "{\"\xc3\xa9\":0,\"\xf0\x9f\x98\x80\":1,\"\xee\x80\x80\":2}");
	expect_jcs("{\"ab\":1,\"a\":2,\"\":3}", "{\"\":3,\"a\":2,\"ab\":1}");
	expect_jcs("[9007199254740992,-9007199254740992,0]", "[9007199254740992,-9007199254740992,0]");
	assert_fails_with(ds_jcs_dump(real, 100, &out), "non-integer numbers are not supported");
	assert_fails_with(ds_jcs_dump(big, 100, &out), "outside the exactly representable range");
	json_decref(real);
	json_decref(big);
}

#define V3(extra) "{\"manifest_version\":\"3\",\"name\":\"n\",\"runner\":\"bash\"" extra "}"

static void expect_policy_hash(const char *json, const char *hex)
{
	struct ds_app_compose ac;
	char got[65];

	if (ds_app_compose_parse(json, strlen(json), &ac))
		fail_msg("%s: %s", json, err_chain());
	ds_hex_encode(ac.requirements.gpu_policy_hash, 32, got);
	assert_string_equal(got, hex);
	ds_app_compose_free(&ac);
}

static void test_gpu_policy_hash(void **state)
{
	static const char empty[] = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

	(void)state;
	expect_policy_hash(V3(""), empty);
	expect_policy_hash(V3(",\"requirements\":null"), empty);
	expect_policy_hash(V3(",\"requirements\":{}"), empty);
	expect_policy_hash(V3(",\"requirements\":{\"gpu_policy\":{}}"), empty);
	expect_policy_hash(V3(",\"requirements\":{\"gpu_policy\":{\"attest_gpu\":true}}"),
			   "81f5d3ad40653341232238c4ca656bddddc297d6382ae2ab391e4bb36dd80b66");
	expect_policy_hash(V3(",\"requirements\":{\"gpu_policy\":{ \"rego\" : \"package policy\","
			      "\n \"allow_debug\":false}}"),
			   "18ad0584fd3ada1c74f6ed0f1043f57fe3c39334f89e80992c72260b54542785");
	expect_policy_hash(V3(",\"requirements\":{\"gpu_policy\":{\"rego\":null}}"),
			   "18691110eef8a7f7ba4e65d5c673ed32512946884a84d75d27550f99f529c6c0");
	expect_policy_hash(V3(",\"requirements\":{\"gpu_policy\":{\"rego\":\"a\\\"b\\\\c\\n\\u0001"
			      "\\u00e9\\ud83d\\ude00\\/\\u007f\",\"allow_devtools\":true,"
			      "\"attest_gpu\":false,\"allow_insecure_boot\":true,\"allow_debug\":true}}"),
			   "620a55d51989786f810eadbb566526d205c3ccd984584dca3435e6ac2104a07d");
}

/* ---- typed parse ---- */

static void expect_parse_error(const char *json, const char *text)
{
	struct ds_app_compose ac;

	assert_fails_with(ds_app_compose_parse(json, strlen(json), &ac), text);
	assert_null(ac.name);
}

static void test_requirements_parse(void **state)
{
	const char *json = V3(",\"requirements\":{\"os_version\":\">=0.6.1\",\"platforms\":"
			      "[\"dstack-tdx\"],\"tdx_measure_acpi_tables\":true,\"launch_token_hash\":"
			      "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
			      "\"gpu_policy\":{\"attest_gpu\":true,\"rego\":\"package policy\","
			      "\"allow_devtools\":true,\"allow_debug\":true,"
			      "\"allow_insecure_boot\":true}}");
	struct ds_app_compose ac;

	(void)state;
	assert_int_equal(ds_app_compose_parse(json, strlen(json), &ac), 0);
	assert_true(ac.requirements.present);
	assert_string_equal(ac.requirements.os_version, ">=0.6.1");
	assert_true(ac.requirements.has_platforms);
	assert_int_equal(ac.requirements.n_platforms, 1);
	assert_int_equal(ac.requirements.tdx_measure_acpi_tables, 1);
	assert_string_equal(ac.requirements.gpu_policy.rego, "package policy");
	assert_true(ac.requirements.gpu_policy.allow_insecure_boot);
	ds_app_compose_free(&ac);

	json = V3(",\"requirements\":{\"platforms\":[],\"os_version\":null}");
	assert_int_equal(ds_app_compose_parse(json, strlen(json), &ac), 0);
	assert_true(ac.requirements.has_platforms);
	assert_int_equal(ac.requirements.n_platforms, 0);
	assert_null(ac.requirements.os_version);
	assert_int_equal(ac.requirements.tdx_measure_acpi_tables, -1);
	assert_true(ac.requirements.gpu_policy.attest_gpu);
	ds_app_compose_free(&ac);

	expect_parse_error(V3(",\"requirements\":{\"os_version_policy\":\">=0.6.1\"}"),
			   "unknown field `os_version_policy` in `requirements`");
	expect_parse_error(V3(",\"requirements\":{\"gpu_policy\":{\"attest\":true}}"),
			   "unknown field `attest` in `gpu_policy`");
	expect_parse_error(V3(",\"requirements\":{\"gpu_policy\":null}"), "`gpu_policy`");
	expect_parse_error(V3(",\"requirements\":{\"gpu_policy\":{\"attest_gpu\":1}}"),
			   "`attest_gpu`");
	expect_parse_error(V3(",\"requirements\":{\"platforms\":\"dstack-tdx\"}"), "`platforms`");
	expect_parse_error(V3(",\"requirements\":{\"os_version\":6}"), "`os_version`");
	expect_parse_error(V3(",\"requirements\":{\"tdx_measure_acpi_tables\":\"yes\"}"),
			   "`tdx_measure_acpi_tables`");
	expect_parse_error(V3(",\"requirements\":[]"), "`requirements`");
	expect_parse_error(V3(",\"snapshotter\":\"btrfs\""), "unknown variant `btrfs`");
}

/* ---- policy rules ---- */

struct policy_fixture {
	char dir[64], os_release[128], user_config[128];
	const char *paths[2];
	struct ds_app_policy_env env;
};

static int detect_tdx(const char **name)
{
	*name = "dstack-tdx";
	return 0;
}

static int detect_fails(const char **name)
{
	(void)name;
	return ds_err(-ENOTSUP, "Unsupported platform: Dstack(-tdx/-amd-sev-snp)");
}

static struct policy_fixture *fx;

static int policy_setup(void **state)
{
	fx = calloc(1, sizeof(*fx));
	tmpdir_create(fx->dir, "policy");
	snprintf(fx->os_release, sizeof(fx->os_release), "%s/os-release", fx->dir);
	snprintf(fx->user_config, sizeof(fx->user_config), "%s/.user-config", fx->dir);
	fx->paths[0] = fx->os_release;
	write_text(fx->os_release, "NAME=\"dstack\"\nVERSION_ID=\"0.6.1\"\n");
	fx->env = (struct ds_app_policy_env){ fx->paths, "{\"cpu_count\":1}", fx->user_config,
					      detect_tdx };
	*state = fx;
	return 0;
}

static int policy_teardown(void **state)
{
	(void)state;
	tmpdir_remove(fx->dir);
	free(fx);
	return 0;
}

static int verify(const char *json)
{
	struct ds_app_compose ac;
	int r;

	if (ds_app_compose_parse(json, strlen(json), &ac))
		fail_msg("%s: %s", json, err_chain());
	r = ds_app_policy_verify(&ac, &fx->env);
	ds_app_compose_free(&ac);
	return r;
}

#define V2(extra) "{\"manifest_version\":2,\"name\":\"n\",\"runner\":\"bash\"" extra "}"

static void test_policy_manifest(void **state)
{
	(void)state;
	assert_int_equal(verify(V2("")), 0);
	assert_int_equal(verify(V2(",\"requirements\":null")), 0);
	assert_fails_with(verify(V2(",\"requirements\":{}")),
			  "requirements requires manifest_version >= 3; use string "
			  "manifest_version \"3\" so older guests fail closed");
	assert_fails_with(verify(V2(",\"requirements\":{}")), "Failed to verify app-compose policy");
	assert_int_equal(verify(V3(",\"requirements\":{}")), 0);
	assert_fails_with(verify("{\"manifest_version\":1,\"name\":\"n\",\"runner\":\"nerdctl-compose\"}"),
			  "nerdctl-compose requires manifest_version >= 3");
	assert_int_equal(verify("{\"manifest_version\":\"3\",\"name\":\"n\",\"runner\":"
				"\"nerdctl-compose\",\"snapshotter\":\"stargz\"}"), 0);
	assert_fails_with(verify(V2(",\"init_script\":[\"a\",\"b\"]")),
			  "multiple init scripts require manifest_version >= 3");
	assert_int_equal(verify(V2(",\"init_script\":[\"a\"]")), 0);
	assert_int_equal(verify(V3(",\"init_script\":[\"a\",\"b\"]")), 0);
	assert_fails_with(verify(V3(",\"snapshotter\":\"overlayfs\"")),
			  "snapshotter is only supported by the nerdctl-compose runner");
	assert_int_equal(verify(V3(",\"snapshotter\":null")), 0);
}

static void test_policy_os_version(void **state)
{
	(void)state;
	assert_int_equal(verify(V3(",\"requirements\":{\"os_version\":\">=0.6.1, <0.7\"}")), 0);
	assert_fails_with(verify(V3(",\"requirements\":{\"os_version\":\">=0.6.2\"}")),
			  "Unsupported dstack OS version: current 0.6.1, required >=0.6.2");
	assert_fails_with(verify(V3(",\"requirements\":{\"os_version\":\">=0.6 || 1\"}")),
			  "Invalid requirements.os_version: >=0.6 || 1");
	write_text(fx->os_release, "VERSION_ID=12\n");
	assert_fails_with(verify(V3(",\"requirements\":{\"os_version\":\"*\"}")),
			  "Invalid current dstack OS version: 12");
	write_text(fx->os_release, "NAME=x\n");
	assert_fails_with(verify(V3(",\"requirements\":{\"os_version\":\"*\"}")),
			  "Failed to read current dstack OS version");
	/* without an os_version requirement os-release is not read */
	assert_int_equal(verify(V3(",\"requirements\":{\"platforms\":[\"dstack-tdx\"]}")), 0);
}

static void test_policy_platforms(void **state)
{
	(void)state;
	assert_int_equal(verify(V3(",\"requirements\":{\"platforms\":[\"dstack-amd-sev-snp\","
				   "\"dstack-tdx\"]}")), 0);
	assert_fails_with(verify(V3(",\"requirements\":{\"platforms\":[]}")),
			  "Unsupported attestation platform: requirements.platforms is empty");
	assert_fails_with(verify(V3(",\"requirements\":{\"platforms\":[\"dstack-gcp-tdx\","
				    "\"dstack-amd-sev-snp\"]}")),
			  "Unsupported attestation platform: current dstack-tdx, allowed "
			  "[dstack-gcp-tdx, dstack-amd-sev-snp]");
	assert_fails_with(verify(V3(",\"requirements\":{\"platforms\":[\"dstack-tdx\",\"tdx\"]}")),
			  "Invalid requirements.platforms[1]: tdx");
	fx->env.detect_platform = detect_fails;
	assert_fails_with(verify(V3(",\"requirements\":{\"platforms\":[\"dstack-tdx\"]}")),
			  "failed to detect current attestation platform");
}

static void test_policy_tdx_acpi(void **state)
{
	(void)state;
	assert_int_equal(verify(V3(",\"requirements\":{\"tdx_measure_acpi_tables\":true}")), 0);
	assert_fails_with(verify(V3(",\"requirements\":{\"tdx_measure_acpi_tables\":false}")),
			  "unsupported TDX attestation mode: requirements.tdx_measure_acpi_tables="
			  "false requires TDX lite attestation");
	fx->env.vm_config = "{\"tdx_attestation_variant\":\"lite\"}";
	assert_int_equal(verify(V3(",\"requirements\":{\"tdx_measure_acpi_tables\":false}")), 0);
	assert_fails_with(verify(V3(",\"requirements\":{\"tdx_measure_acpi_tables\":true}")),
			  "unsupported TDX attestation mode: requirements.tdx_measure_acpi_tables="
			  "true requires ACPI table measurement");
	fx->env.vm_config = "{\"tdx_attestation_variant\":\"full\"}";
	assert_fails_with(verify(V3(",\"requirements\":{\"tdx_measure_acpi_tables\":true}")),
			  "failed to parse vm_config for requirements.tdx_measure_acpi_tables");
	fx->env.vm_config = "";
	assert_fails_with(verify(V3(",\"requirements\":{\"tdx_measure_acpi_tables\":true}")),
			  "failed to parse vm_config");
}

#define TOKEN "unit-test-launch-token-0000000001"
#define TOKEN_HASH "28faa1319055d733ad9651f5ab7689c15b04609846bcd27b3c5bc8df6246f5a3"
#define WITH_HASH(h) V3(",\"requirements\":{\"launch_token_hash\":\"" h "\"}")

static void test_policy_launch_token(void **state)
{
	(void)state;
	assert_fails_with(verify(WITH_HASH(TOKEN_HASH)),
			  "failed to read user_config for requirements.launch_token_hash");
	write_text(fx->user_config, "{\"dstack\":{\"launch_token\":\"" TOKEN "\"},\"app\":1}");
	assert_int_equal(verify(WITH_HASH(TOKEN_HASH)), 0);
	assert_int_equal(verify(WITH_HASH("28FAA1319055D733AD9651F5AB7689C15B04609846BCD27B3C5BC8DF6246F5A3")), 0);
	assert_fails_with(verify(WITH_HASH("38faa1319055d733ad9651f5ab7689c15b04609846bcd27b3c5bc8df6246f5a3")),
			  "launch token mismatch: sha256(\"dstack-launch-token/v1:\" || launch token) "
			  "does not match requirements.launch_token_hash");
	assert_fails_with(verify(WITH_HASH("zz")),
			  "invalid requirements.launch_token_hash: not a hex string");
	assert_fails_with(verify(WITH_HASH("abcd")), "invalid requirements.launch_token_hash: "
			  "expected 32-byte sha256 hex, got 2 bytes");
	write_text(fx->user_config, "{\"dstack\":{\"launch_token\":\"short\"}}");
	assert_fails_with(verify(WITH_HASH(TOKEN_HASH)), "launch token too short: got 5 bytes, "
			  "minimum is 32; use a random token since launch_token_hash is public");
	write_text(fx->user_config, "{\"dstack\":{}}");
	assert_fails_with(verify(WITH_HASH(TOKEN_HASH)), "user_config is missing dstack.launch_token");
	write_text(fx->user_config, "{\"dstack\":{\"launch_token\":7}}");
	assert_fails_with(verify(WITH_HASH(TOKEN_HASH)),
			  "user_config dstack.launch_token is not a string");
	write_text(fx->user_config, "opaque text");
	assert_fails_with(verify(WITH_HASH(TOKEN_HASH)),
			  "failed to parse user_config as JSON for requirements.launch_token_hash");
	/* without the requirement user_config stays opaque */
	assert_int_equal(verify(V3(",\"requirements\":{}")), 0);
}

/* ---- GPU gate ---- */

static void add_pci(const char *dir, const char *dev, const char *vendor, const char *class)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, dev);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s/vendor", dir, dev);
	write_text(path, vendor);
	snprintf(path, sizeof(path), "%s/%s/class", dir, dev);
	write_text(path, class);
}

static void test_gpu_gate(void **state)
{
	struct ds_gpu_policy dflt = { .attest_gpu = 1 }, off = { 0 }, rego = { .rego = "p" };
	struct ds_gpu_inventory inv;
	char dir[64], missing[80];

	(void)state;
	tmpdir_create(dir, "pci");
	add_pci(dir, "0000:00:01.0", "0x1af4\n", "0x020000\n");
	add_pci(dir, "0000:00:02.0", "0x8086\n", "0x060000\n");
	assert_int_equal(ds_gpu_inventory_at(dir, &inv), 0);
	assert_int_equal(inv.total, 0);
	assert_int_equal(ds_gpu_gate(&dflt, &inv), 0);
	assert_int_equal(ds_gpu_gate(&off, &inv), 0);
	assert_fails_with(ds_gpu_gate(&rego, &inv), "gpu_policy.rego is not supported");

	add_pci(dir, "0000:01:00.0", "0x10de\n", "0x030200\n");
	assert_int_equal(ds_gpu_inventory_at(dir, &inv), 0);
	assert_int_equal(inv.total, 1);
	assert_int_equal(inv.nvidia, 1);
	assert_fails_with(ds_gpu_gate(&dflt, &inv),
			  "GPU attestation is not supported by this dstack-util");
	assert_fails_with(ds_gpu_gate(&off, &inv), "setting the GPU ready state");

	add_pci(dir, "0000:02:00.0", "0x1234\n", "0x030000\n");
	assert_int_equal(ds_gpu_inventory_at(dir, &inv), 0);
	assert_int_equal(inv.total, 2);
	assert_fails_with(ds_gpu_gate(&dflt, &inv),
			  "unsupported non-NVIDIA GPU attached: found 2 display GPUs, 1 NVIDIA");

	snprintf(missing, sizeof(missing), "%s/0000:03:00.0", dir);
	assert_int_equal(mkdir(missing, 0755), 0);
	assert_fails_with(ds_gpu_inventory_at(dir, &inv), "failed to read");
	assert_fails_with(ds_gpu_inventory_at("/nonexistent-pci", &inv),
			  "failed to enumerate PCI devices");
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semver_matching),
		cmocka_unit_test(test_semver_req_errors),
		cmocka_unit_test(test_semver_version_errors),
		cmocka_unit_test(test_semver_display),
		cmocka_unit_test(test_os_release),
		cmocka_unit_test(test_jcs),
		cmocka_unit_test(test_gpu_policy_hash),
		cmocka_unit_test(test_requirements_parse),
		cmocka_unit_test_setup_teardown(test_policy_manifest, policy_setup, policy_teardown),
		cmocka_unit_test_setup_teardown(test_policy_os_version, policy_setup, policy_teardown),
		cmocka_unit_test_setup_teardown(test_policy_platforms, policy_setup, policy_teardown),
		cmocka_unit_test_setup_teardown(test_policy_tdx_acpi, policy_setup, policy_teardown),
		cmocka_unit_test_setup_teardown(test_policy_launch_token, policy_setup, policy_teardown),
		cmocka_unit_test(test_gpu_gate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
