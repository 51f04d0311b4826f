/* crypto: the env envelope (X25519 + AES-256-GCM), the allowed-env filter,
 * the two decrypted-env files, and sealed boxes (spec 4, 8.6, 8.7). */
#include "crypto_test_util.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/env_vars.h"
#include "crypto/envelope.h"
#include "crypto/sealbox.h"
#include "util/err.h"

static const char upstream_key[] = "7c282bf94b35dc47801dc953bfa0896fc2bd313381d3e8eca4e42f6536d2a96f";
static const char upstream_envelope[] =
	"0bd18749612f4c8b9dd583c7d6a646b90abd34e3c731a7708d0caf9039095641e1f0948e775f0b7351788db7"
	"f246d51806954626dcccb6a60d64665ca3715c6bef75616cab476d27bba04080361200d6a58cec";
static const char sim_env_key[] = "4f3cf0a19a0444674c8e51222afd395b8df9fad2ba3cd7956f640a4b3c046db6";
static const char pipeline_plain[] =
	"{\"env\":[{\"key\":\"FOO\",\"value\":\"bar baz\"},{\"key\":\"NOT_ALLOWED\",\"value\":\"x\"},"
	"{\"key\":\"Q\",\"value\":\"a$b\"}]}";
static const char pipeline_envelope[] =
	"7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13000102030405060708090a0b"
	"2cf36abe6dcc0a8afa6483ba68a47775327099e9f78b660a2d1cd757e7f903b9cbcd827b3b0215bad8772a75"
	"c9eff01ba56c0f5ddbf41b3c6f20ad88d1adb4d1c5db3ef9c76d188c1406a20c4bebc07a1a536946fdb610a9"
	"cef8861a63530a8da17599f3c09601e0a90b9aa27ecc6ef8e93d19b8b6";
static const char *const foo_q[] = { "FOO", "Q" };
static const struct ds_env_allowed allow_foo_q = { foo_q, 2 };

static void test_upstream_envelope(void **state)
{
	struct ds_buf env = unhex(upstream_envelope), plain = { 0 };
	uint8_t sk[32], pk[32], zeros[44] = { 0 };

	(void)state;
	unhex_into(upstream_key, sk, 32);
	assert_int_equal(ds_x25519_public(sk, pk), 0);
	assert_hex(pk, 32, "b5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d201");
	assert_int_equal(ds_env_decrypt(sk, env.data, env.len, &plain), 0);
	assert_int_equal(plain.len, 23);
	assert_memory_equal(plain.data, "[{\"key\":\"\",\"value\":\"\"}]", 23);
	ds_buf_wipe(&plain);
	assert_int_not_equal(ds_env_decrypt(sk, zeros, 0, &plain), 0);
	assert_string_equal(ds_err_msg(0), "Invalid ephemeral public key length");
	assert_int_not_equal(ds_env_decrypt(sk, zeros, 31, &plain), 0);
	assert_int_not_equal(ds_env_decrypt(sk, zeros, 43, &plain), 0);
	assert_string_equal(ds_err_msg(0), "Invalid IV length");
	assert_int_not_equal(ds_env_decrypt(sk, zeros, 44, &plain), 0);
	assert_string_equal(ds_err_msg(0), "Invalid ciphertext length");
	assert_null(plain.data);
	ds_buf_free(&env);
}

static void test_tampered_envelopes(void **state)
{
	struct ds_buf env = unhex(upstream_envelope), plain = { 0 };
	uint8_t sk[32], low_order[60] = { 0 };

	(void)state;
	unhex_into(upstream_key, sk, 32);
	/* One flipped bit anywhere (key, IV, ciphertext, tag) fails. */
	for (size_t i = 0; i < env.len; i++) {
		env.data[i] ^= 0x10;
		assert_int_not_equal(ds_env_decrypt(sk, env.data, env.len, &plain), 0);
		assert_null(plain.data);
		env.data[i] ^= 0x10;
	}
	/* Truncated by one byte, and a wrong key. */
	assert_int_not_equal(ds_env_decrypt(sk, env.data, env.len - 1, &plain), 0);
	sk[1] ^= 1; /* bit 0 of byte 0 is cleared by clamping */
	assert_int_not_equal(ds_env_decrypt(sk, env.data, env.len, &plain), 0);
	assert_string_equal(ds_err_msg(0), "Decryption failed: authentication tag mismatch");
	/* Low-order ephemeral points (u = 0 and u = 1) give an all-zero secret. */
	assert_int_not_equal(ds_env_decrypt(sk, low_order, sizeof(low_order), &plain), 0);
	assert_string_equal(ds_err_msg(0), "invalid X25519 shared secret");
	low_order[0] = 1;
	assert_int_not_equal(ds_env_decrypt(sk, low_order, sizeof(low_order), &plain), 0);
	assert_string_equal(ds_err_msg(0), "invalid X25519 shared secret");
	ds_buf_free(&env);
}

static void test_pipeline_vector(void **state)
{
	struct ds_buf env = { 0 }, want = unhex(pipeline_envelope), text = { 0 };
	uint8_t sk[32], pk[32], eph[32], iv[12];
	struct ds_env_map map;

	(void)state;
	unhex_into(sim_env_key, sk, 32);
	assert_int_equal(ds_x25519_public(sk, pk), 0);
	assert_hex(pk, 32, "4b03687002c7e0f6e8eaabea3edc108de72a06d2c2b64a3e14c34883645c7127");
	memset(eph, 0x11, 32);
	for (int i = 0; i < 12; i++)
		iv[i] = (uint8_t)i;
	assert_int_equal(ds_env_encrypt(pk, eph, iv, (const uint8_t *)pipeline_plain,
					strlen(pipeline_plain), &env), 0);
	assert_int_equal(env.len, 161);
	assert_memory_equal(env.data, want.data, want.len);
	assert_int_equal(ds_env_unseal(sk, 32, want.data, want.len, &allow_foo_q, &map), 0);
	assert_int_equal(map.len, 2);
	assert_int_equal(ds_env_render_shell(&map, &text), 0);
	assert_int_equal(text.len, strlen("FOO=\"bar baz\"\nQ=\"a\\$b\"\n"));
	assert_memory_equal(text.data, "FOO=\"bar baz\"\nQ=\"a\\$b\"\n", text.len);
	ds_buf_wipe(&text);
	assert_int_equal(ds_env_render_json(&map, &text), 0);
	assert_int_equal(text.len, strlen("{\"FOO\":\"bar baz\",\"Q\":\"a$b\"}"));
	assert_memory_equal(text.data, "{\"FOO\":\"bar baz\",\"Q\":\"a$b\"}", text.len);
	ds_buf_wipe(&text);
	ds_env_map_free(&map);
	ds_buf_free(&env);
	ds_buf_free(&want);
}

static void test_unseal_rules(void **state)
{
	struct ds_buf env = unhex(pipeline_envelope);
	struct ds_env_map map;
	uint8_t sk[32];

	(void)state;
	unhex_into(sim_env_key, sk, 32);
	/* No key or no envelope: nothing to decrypt, not an error. */
	assert_int_equal(ds_env_unseal(NULL, 0, env.data, env.len, &allow_foo_q, &map), 0);
	assert_int_equal(map.len, 0);
	ds_env_map_free(&map);
	assert_int_equal(ds_env_unseal(sk, 32, NULL, 0, &allow_foo_q, &map), 0);
	assert_int_equal(map.len, 0);
	ds_env_map_free(&map);
	assert_int_not_equal(ds_env_unseal(sk, 31, env.data, env.len, &allow_foo_q, &map), 0);
	assert_string_equal(ds_err_msg(0), "Invalid env crypt key length");
	/* An empty allowed list drops every variable. */
	assert_int_equal(ds_env_unseal(sk, 32, env.data, env.len, NULL, &map), 0);
	assert_int_equal(map.len, 0);
	ds_env_map_free(&map);
	env.data[100] ^= 1;
	assert_int_not_equal(ds_env_unseal(sk, 32, env.data, env.len, &allow_foo_q, &map), 0);
	assert_string_equal(ds_err_msg(0), "Failed to decrypt env file");
	ds_buf_free(&env);
}

static void shell_one(const char *value, const char *want)
{
	struct ds_env_var v = { (char *)"K", (char *)value, strlen(value) };
	struct ds_env_map m = { &v, 1 };
	struct ds_buf out = { 0 };

	assert_int_equal(ds_env_render_shell(&m, &out), 0);
	assert_int_equal(out.len, strlen(want) + 3);
	assert_memory_equal(out.data, "K=", 2);
	assert_memory_equal(out.data + 2, want, strlen(want));
	assert_int_equal(out.data[out.len - 1], '\n');
	ds_buf_free(&out);
}

static void test_shell_escaping(void **state)
{
	(void)state;
	shell_one("simple", "simple");
	shell_one("hello world", "\"hello world\"");
	shell_one("say \"hello\"", "\"say \\\"hello\\\"\"");
	shell_one("line1\nline2", "\"line1\\nline2\"");
	shell_one("price=$100", "\"price=\\$100\"");
	shell_one("command=`date`", "\"command=\\`date\\`\"");
	/* Upstream quirks kept: backslash not doubled, TAB and ' literal, CR
	 * neither escaped nor quoted. */
	shell_one("a\\", "\"a\\\"");
	shell_one("a\tb'c", "\"a\tb'c\"");
	shell_one("a\rb", "a\rb");
	shell_one("", "");
}

static void test_json_escaping(void **state)
{
	static const char value[] = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f\xc3\xa9";
	struct ds_env_var v = { (char *)"K", (char *)value, sizeof(value) - 1 };
	struct ds_env_map m = { &v, 1 }, empty = { 0 };
	static const char want[] =
		"{\"K\":\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xc3\xa9\"}";
	struct ds_buf out = { 0 };

	(void)state;
	assert_int_equal(ds_env_render_json(&m, &out), 0);
	assert_int_equal(out.len, sizeof(want) - 1);
	assert_memory_equal(out.data, want, out.len);
	ds_buf_free(&out);
	assert_int_equal(ds_env_render_json(&empty, &out), 0);
	assert_int_equal(out.len, 2);
	assert_memory_equal(out.data, "{}", 2);
	ds_buf_free(&out);
	assert_int_equal(ds_env_render_shell(&empty, &out), 0);
	assert_int_equal(out.len, 0);
	ds_buf_free(&out);
}

static int parse_str(const char *json, const struct ds_env_allowed *allowed,
		     struct ds_env_map *m)
{
	return ds_env_parse((const uint8_t *)json, strlen(json), allowed, m);
}

static void test_filter_rules(void **state)
{
	static const char *const names[] = { "B", "A", "_x1", "1BAD", "A\n", "LONG", "V" };
	const struct ds_env_allowed allowed = { names, 7 };
	struct ds_env_map m;

	(void)state;
	/* Order by key, later duplicates win, disallowed (even bad) names skipped. */
	assert_int_equal(parse_str("{\"env\":[{\"key\":\"B\",\"value\":\"1\"},"
				   "{\"key\":\"bad name\",\"value\":\"x\"},"
				   "{\"key\":\"A\",\"value\":\"2\",\"extra\":5},"
				   "{\"key\":\"B\",\"value\":\"3\"},{\"key\":\"_x1\",\"value\":\"\"}],"
				   "\"other\":1}", &allowed, &m), 0);
	assert_int_equal(m.len, 3);
	assert_string_equal(m.items[0].key, "A");
	assert_string_equal(m.items[1].key, "B");
	assert_string_equal(m.items[1].value, "3");
	assert_string_equal(m.items[2].key, "_x1");
	ds_env_map_free(&m);
	/* Values may hold NUL. */
	assert_int_equal(parse_str("{\"env\":[{\"key\":\"V\",\"value\":\"a\\u0000b\"}]}", &allowed,
				   &m), 0);
	assert_int_equal(m.items[0].value_len, 3);
	ds_env_map_free(&m);
	/* Allowed but invalid names; "$" is end of text, so a newline fails. */
	assert_int_not_equal(parse_str("{\"env\":[{\"key\":\"1BAD\",\"value\":\"\"}]}", &allowed, &m), 0);
	assert_string_equal(ds_err_msg(0), "Invalid env key: 1BAD");
	assert_int_not_equal(parse_str("{\"env\":[{\"key\":\"A\\n\",\"value\":\"\"}]}", &allowed, &m), 0);
	/* Shape errors. */
	assert_int_not_equal(parse_str("{\"env\":[{\"key\":\"A\",\"value\":1}]}", &allowed, &m), 0);
	assert_int_not_equal(parse_str("{\"env\":[{\"key\":\"A\"}]}", &allowed, &m), 0);
	assert_int_not_equal(parse_str("{\"vars\":[]}", &allowed, &m), 0);
	assert_int_not_equal(parse_str("[{\"key\":\"\",\"value\":\"\"}]", &allowed, &m), 0);
	assert_int_not_equal(parse_str("{\"env\":[]", &allowed, &m), 0);
	assert_int_not_equal(parse_str("{\"env\":[],\"env\":[]}", &allowed, &m), 0);
	assert_int_not_equal(parse_str("{\"env\":[\"A\"]}", &allowed, &m), 0);
	assert_int_not_equal(ds_env_parse((const uint8_t *)"{\"env\":[{\"key\":\"A\",\"value\":\"\xff\"}]}",
					  33, &allowed, &m), 0);
	assert_null(m.items);
}

/* Builds {"env":[...]} with n entries of the given key and value lengths. */
static struct ds_buf build_env(size_t n, const char *key, size_t vlen)
{
	struct ds_buf b = { 0 };
	char *value = malloc(vlen + 1);

	memset(value, 'v', vlen);
	value[vlen] = '\0';
	assert_int_equal(ds_buf_set(&b, "{\"env\":[", 8), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ds_buf_append(&b, i ? ",{\"key\":\"" : "{\"key\":\"", i ? 9 : 8, SIZE_MAX), 0);
		assert_int_equal(ds_buf_append(&b, key, strlen(key), SIZE_MAX), 0);
		assert_int_equal(ds_buf_append(&b, "\",\"value\":\"", 11, SIZE_MAX), 0);
		assert_int_equal(ds_buf_append(&b, value, vlen, SIZE_MAX), 0);
		assert_int_equal(ds_buf_append(&b, "\"}", 2, SIZE_MAX), 0);
	}
	assert_int_equal(ds_buf_append(&b, "]}", 2, SIZE_MAX), 0);
	free(value);
	return b;
}

static void test_filter_limits(void **state)
{
	char long_key[300];
	const char *names[] = { "V", long_key };
	const struct ds_env_allowed allowed = { names, 2 };
	struct ds_env_map m;
	struct ds_buf b;

	(void)state;
	/* 1024 entries pass; 1025 fail even when none is allowed. */
	b = build_env(1024, "V", 1);
	assert_int_equal(ds_env_parse(b.data, b.len, &allowed, &m), 0);
	assert_int_equal(m.len, 1);
	ds_env_map_free(&m);
	ds_buf_free(&b);
	b = build_env(1025, "NOPE", 1);
	assert_int_not_equal(ds_env_parse(b.data, b.len, &allowed, &m), 0);
	assert_string_equal(ds_err_msg(0), "Too many environment variables: 1025");
	ds_buf_free(&b);
	/* Value length: 128 KiB passes, one byte more fails. */
	b = build_env(1, "V", DS_ENV_MAX_VALUE_LEN);
	assert_int_equal(ds_env_parse(b.data, b.len, &allowed, &m), 0);
	ds_env_map_free(&m);
	ds_buf_free(&b);
	b = build_env(1, "V", DS_ENV_MAX_VALUE_LEN + 1);
	assert_int_not_equal(ds_env_parse(b.data, b.len, &allowed, &m), 0);
	ds_buf_free(&b);
	/* Total size counts duplicates: 8 x (1 + 128 KiB) > 1 MiB. */
	b = build_env(8, "V", DS_ENV_MAX_VALUE_LEN);
	assert_int_not_equal(ds_env_parse(b.data, b.len, &allowed, &m), 0);
	assert_string_equal(ds_err_msg(0), "Environment variables total size too large");
	ds_buf_free(&b);
	/* Key length: 255 passes, 256 fails. */
	memset(long_key, 'K', 255);
	long_key[255] = '\0';
	b = build_env(1, long_key, 1);
	assert_int_equal(ds_env_parse(b.data, b.len, &allowed, &m), 0);
	ds_env_map_free(&m);
	ds_buf_free(&b);
	long_key[255] = 'K';
	long_key[256] = '\0';
	b = build_env(1, long_key, 1);
	assert_int_not_equal(ds_env_parse(b.data, b.len, &allowed, &m), 0);
	ds_buf_free(&b);
}

/* dir/name must be a 0600 file holding want; it is removed after. */
static void expect_private_file(const char *dir, const char *name, const char *want)
{
	struct ds_buf got = { 0 };
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ds_read_file(path, 1024, &got), 0);
	assert_int_equal(got.len, strlen(want));
	assert_memory_equal(got.data, want, got.len);
	ds_buf_free(&got);
	unlink(path);
}

static void test_write_files(void **state)
{
	char dir[64], path[256];
	struct ds_env_var v[] = { { (char *)"A", (char *)"x y", 3 } };
	struct ds_env_map m = { v, 1 };

	(void)state;
	tmpdir_create(dir, "env");
	assert_int_equal(ds_env_write_files(dir, &m), 0);
	expect_private_file(dir, ".decrypted-env", "A=\"x y\"\n");
	expect_private_file(dir, ".decrypted-env.json", "{\"A\":\"x y\"}");
	/* A missing directory fails and leaves nothing. */
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_not_equal(ds_env_write_files(path, &m), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_sealed_box(void **state)
{
	struct ds_buf sealed = unhex(
		"5dc724bd8d6487f5e7984b1fd1a29cf4d125e34354034fa5e2af0a129a93ad1728d05e60457bbb7fe277"
		"3cc5687d7511204b05543713527558b200cf2d83b847ee1f2b8f32102987708196b13b2d478dc8cdae26c7");
	struct ds_buf empty = unhex(
		"c6570ddb03f68f7e02a2db7055e0c9a626c9f525084759ecc9b6fd03e2dae37c8b06ecd23a0546092670"
		"b620c7d62623");
	uint8_t pk1[32], sk1[32], pk2[32], sk2[32];
	struct ds_buf out = { 0 };

	(void)state;
	unhex_into("ef3f98a8930de673a9b2f1c6fc482198d96e9254e497d9589b6bbc16edd56f1f", pk1, 32);
	unhex_into("25f44372820ad73ca79d1e33d02c044c86e3e0a879a8ee9b9640459f9c95a8c4", sk1, 32);
	unhex_into("5b64ee4f71848d931b9dd2e1d95a6d27f5a0774aefd132e2b7fcc3a2aeebc878", pk2, 32);
	unhex_into("42dc490e21173b1115d803dd0ec189bb73c9300562e1cf7e3772f4a26a142943", sk2, 32);
	assert_int_equal(ds_sealbox_open(pk1, sk1, sealed.data, sealed.len, &out), 0);
	assert_int_equal(out.len, 37);
	assert_memory_equal(out.data, "This is a test message for sealed box", 37);
	ds_buf_wipe(&out);
	assert_int_equal(ds_sealbox_open(pk2, sk2, empty.data, empty.len, &out), 0);
	assert_int_equal(out.len, 0);
	ds_buf_wipe(&out);
	assert_int_not_equal(ds_sealbox_open(pk2, sk2, sealed.data, sealed.len, &out), 0);
	sealed.data[40] ^= 1;
	assert_int_not_equal(ds_sealbox_open(pk1, sk1, sealed.data, sealed.len, &out), 0);
	assert_int_not_equal(ds_sealbox_open(pk1, sk1, sealed.data, 47, &out), 0);
	assert_null(out.data);
	ds_buf_free(&sealed);
	ds_buf_free(&empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upstream_envelope),
		cmocka_unit_test(test_tampered_envelopes),
		cmocka_unit_test(test_pipeline_vector),
		cmocka_unit_test(test_unseal_rules),
		cmocka_unit_test(test_shell_escaping),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_filter_rules),
		cmocka_unit_test(test_filter_limits),
		cmocka_unit_test(test_write_files),
		cmocka_unit_test(test_sealed_box),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
