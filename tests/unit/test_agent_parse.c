/* Parsers of the guest agent's answers: every doubtful answer is an error
 * and leaves no result (spec guest-agent-api.md 1.4-1.5, 2, 9.3, 11.3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "fixtures.h"
#include "util/err.h"

/* Row "/test", "purpose", secp256k1 of spec 11.3. */
#define KEY_HEX "5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d"
#define SIG0_HEX "044c2670fd19c6562e16dd745d3e2ebaf75b571874259a32f79f92bbfc1caec55b9bc3228cfd9332994e0ed821d4cf145ffd9e5de824f97f88725e32f0a335b800"
#define SIG1_HEX "9e618603e72d01fedb82deff6daf2d62a572becf0059eec3f89c1ab40e1f2e594d2a283f843f34e8f39e4cc49a612496ce67223a12ac923f8efe330346dfc6c500"
#define ZERO64 "0000000000000000000000000000000000000000000000000000000000000000"

static int parse_key(const char *body, struct dstack_key *k)
{
	return ds_agent_key_parse((const uint8_t *)body, strlen(body), k);
}

/* The answer is rejected, the message contains want, the result is empty. */
static void assert_key_rejected(const char *body, const char *want)
{
	struct dstack_key k;

	assert_int_not_equal(parse_key(body, &k), 0);
	if (!strstr(dstack_last_error(), want))
		fail_msg("error '%s' lacks '%s'", dstack_last_error(), want);
	assert_null(k.signature_chain);
	for (size_t i = 0; i < sizeof(k.key); i++)
		assert_int_equal(k.key[i], 0);
}

static void test_key_valid(void **state)
{
	const char *body = "{\"key\":\"" KEY_HEX "\",\"signature_chain\":[\"" SIG0_HEX "\",\"" SIG1_HEX "\"]}";
	struct dstack_key k;
	uint8_t want[32];
	char hex[131];

	(void)state;
	assert_int_equal(parse_key(body, &k), 0);
	assert_int_equal(ds_hex_decode_exact(KEY_HEX, want, 32), 0);
	assert_memory_equal(k.key, want, 32);
	assert_int_equal(k.signature_chain_len, 2);
	assert_int_equal(k.signature_chain[0].len, 65);
	ds_hex_encode(k.signature_chain[1].data, 65, hex);
	assert_string_equal(hex, SIG1_HEX);
	dstack_key_free(&k);
	assert_null(k.signature_chain);
	assert_int_equal(k.key[0], 0);
}

static void test_key_accepted_forms(void **state)
{
	static const char *const bodies[] = {
		"{\"key\":\"0x" KEY_HEX "\",\"signature_chain\":[]}",
		"{\"key\":\"0X" KEY_HEX "\",\"signature_chain\":[]}",
		"{\"key\":\"5659D67867AC5487DC181B88D96ABF4749728A6282100684D48A04A304E5A06D\",\"signature_chain\":[]}",
		"{ \"key\" : \"" KEY_HEX "\" ,\n \"signature_chain\" : [ \"\" ], \"future\": 1 }",
	};
	struct dstack_key k;
	uint8_t want[32];

	(void)state;
	assert_int_equal(ds_hex_decode_exact(KEY_HEX, want, 32), 0);
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(parse_key(bodies[i], &k), 0);
		assert_memory_equal(k.key, want, 32);
		dstack_key_free(&k);
	}
}

static void test_key_rejected(void **state)
{
	(void)state;
	assert_key_rejected("{\"key\":\"abcd\",\"signature_chain\":[]}", "2 secret byte(s) (need 32)");
	assert_key_rejected("{\"key\":\"\",\"signature_chain\":[]}", "0 secret byte(s)");
	assert_key_rejected("{\"key\":\"" KEY_HEX "00\",\"signature_chain\":[]}", "33 secret bytes (expected 32)");
	assert_key_rejected("{\"key\":\"" ZERO64 "\",\"signature_chain\":[]}", "all-zero secret");
	assert_key_rejected("{\"key\":\"zzzznothex\",\"signature_chain\":[]}", "\"key\" is not valid hex");
	assert_key_rejected("{\"key\":\"0x0x" KEY_HEX "\",\"signature_chain\":[]}", "not valid hex");
	assert_key_rejected("{\"key\":\"" KEY_HEX "a\",\"signature_chain\":[]}", "not valid hex");
	assert_key_rejected("{\"key\":\" " KEY_HEX "\",\"signature_chain\":[]}", "not valid hex");
	assert_key_rejected("{\"signature_chain\":[]}", "\"key\" is missing");
	assert_key_rejected("{}", "\"key\" is missing");
	assert_key_rejected("{\"key\":12,\"signature_chain\":[]}", "\"key\" is not a string");
	assert_key_rejected("{\"key\":\"" KEY_HEX "\"}", "\"signature_chain\" is missing");
	assert_key_rejected("{\"key\":\"" KEY_HEX "\",\"signature_chain\":\"" SIG0_HEX "\"}", "not an array");
	assert_key_rejected("{\"key\":\"" KEY_HEX "\",\"signature_chain\":[\"xy\"]}", "signature_chain[0] is not valid hex");
	assert_key_rejected("{\"key\":\"" KEY_HEX "\",\"signature_chain\":[\"\",7]}", "signature_chain[1] is not a string");
	assert_key_rejected("{\"key\":\"" KEY_HEX "\",\"signature_chain\":[\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"]}",
			    "9 elements");
}

static void test_key_bad_json(void **state)
{
	(void)state;
	/* A second "key" must not override the first, nor the other way round. */
	assert_key_rejected("{\"key\":\"" KEY_HEX "\",\"key\":\"" KEY_HEX "\",\"signature_chain\":[]}", "invalid JSON");
	assert_key_rejected("{\"key\":\"" KEY_HEX "\",\"signature_chain\":[]} trailing", "invalid JSON");
	assert_key_rejected("{\"key\":\"" KEY_HEX "\",\"signature_chain\":[]}{}", "invalid JSON");
	assert_key_rejected("[\"" KEY_HEX "\"]", "not an object");
	assert_key_rejected("\"" KEY_HEX "\"", "invalid JSON");
	assert_key_rejected("", "invalid JSON");
	assert_key_rejected("{\"key\":\"5659\\u0000d678\",\"signature_chain\":[]}", "invalid JSON");
	assert_key_rejected("<html>404</html>", "invalid JSON");
	/* Truncated inside the key: the message must not quote the digits. */
	assert_key_rejected("{\"key\":\"5659d67867ac5487dc181b", "invalid JSON");
	assert_null(strstr(dstack_last_error(), "5659"));
	assert_key_rejected("{\"key\":\"5659d67867ac5487dc181b88d96abf47q9728a6282100684d48a04a304e5a06d\",\"signature_chain\":[]}",
			    "not valid hex");
	assert_null(strstr(dstack_last_error(), "'q'"));
}

static void test_error_message(void **state)
{
	const char *pretty = "{\n  \"error\": \"Unsupported algorithm\"\n}";
	const char *hostile = "{\"error\":\"bad\\u001b[31m\\nline\\u00e9\"}";
	char msg[64];

	(void)state;
	assert_int_equal(ds_agent_error_message((const uint8_t *)pretty, strlen(pretty), msg, sizeof(msg)), 0);
	assert_string_equal(msg, "Unsupported algorithm");
	assert_int_equal(ds_agent_error_message((const uint8_t *)hostile, strlen(hostile), msg, sizeof(msg)), 0);
	assert_string_equal(msg, "bad?[31m?line??");
	assert_int_equal(ds_agent_error_message((const uint8_t *)pretty, strlen(pretty), msg, 6), 0);
	assert_string_equal(msg, "Unsup");
	assert_int_equal(ds_agent_error_message((const uint8_t *)"<html/>", 7, msg, sizeof(msg)), -ENOENT);
	assert_int_equal(ds_agent_error_message((const uint8_t *)"{\"error\":1}", 11, msg, sizeof(msg)), -ENOENT);
	assert_int_equal(ds_agent_error_message((const uint8_t *)"", 0, msg, sizeof(msg)), -ENOENT);
}

/* A GetQuote answer around the v0.5.4 simulator quote with report data
 * patched in at offset 568, as the simulator does. */
struct quote_case {
	struct ds_buf quote;
	uint8_t report_data[64];
};

static void load_quote(struct quote_case *c)
{
	load_hex_fixture("v0.5.4-simulator-quote.hex", &c->quote);
	memset(c->report_data, 0, 64);
	memcpy(c->report_data, "test", 4);
	memcpy(c->quote.data + 568, c->report_data, 64);
}

static char *quote_body(const uint8_t *quote, size_t qlen, const uint8_t report_data[64],
			const char *event_log, const char *attestation)
{
	char *qhex = ds_hex_alloc(quote, qlen), *rhex = ds_hex_alloc(report_data, 64), *s;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "quote", qhex, "event_log", event_log,
			      "report_data", rhex, "vm_config", "{\"cpu_count\":1}");

	if (attestation)
		json_object_set_new(o, "attestation", json_string(attestation));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(qhex);
	free(rhex);
	return s;
}

static int parse_quote(char *body, const uint8_t want[64], struct dstack_quote *q)
{
	int r = ds_agent_quote_parse((const uint8_t *)body, strlen(body), want, q);

	free(body);
	return r;
}

static void test_quote(void **state)
{
	struct quote_case c;
	struct dstack_quote q;
	uint8_t other[64] = { 't', 'e', 's', 'T' };

	(void)state;
	load_quote(&c);
	assert_int_equal(parse_quote(quote_body(c.quote.data, c.quote.len, c.report_data, "[]", NULL),
				     c.report_data, &q), 0);
	assert_int_equal(q.quote.len, c.quote.len);
	assert_memory_equal(q.report_data, "test\0\0", 6);
	assert_string_equal(q.event_log, "[]");
	assert_int_equal(q.attestation.len, 0);
	dstack_quote_free(&q);

	/* The answer echoes other report data than was sent. */
	assert_int_not_equal(parse_quote(quote_body(c.quote.data, c.quote.len, other, "[]", NULL),
					 c.report_data, &q), 0);
	assert_non_null(strstr(dstack_last_error(), "report_data differs"));
	assert_null(q.quote.data);
	/* The echo matches, but the quote itself carries other data. */
	assert_int_not_equal(parse_quote(quote_body(c.quote.data, c.quote.len, other, "[]", NULL),
					 other, &q), 0);
	assert_non_null(strstr(dstack_last_error(), "quote's report data differs"));
	/* Cut short, or not a TDX quote at all. */
	assert_int_not_equal(parse_quote(quote_body(c.quote.data, 700, c.report_data, "[]", NULL),
					 c.report_data, &q), 0);
	assert_non_null(strstr(dstack_last_error(), "member \"quote\" is not a TDX quote"));
	assert_int_not_equal(parse_quote(quote_body(c.report_data, 64, c.report_data, "[]", NULL),
					 c.report_data, &q), 0);
	assert_non_null(strstr(dstack_last_error(), "member \"quote\" is not a TDX quote"));
	assert_int_not_equal(parse_quote(quote_body(c.quote.data, c.quote.len, c.report_data, "{}", NULL),
					 c.report_data, &q), 0);
	assert_non_null(strstr(dstack_last_error(), "event_log"));
	/* An attestation alone (non-TDX platforms) cannot be checked against the
	 * report data here: refused, as is an answer with neither. */
	assert_int_not_equal(parse_quote(quote_body(NULL, 0, c.report_data, "", "00ab"), c.report_data, &q), 0);
	assert_non_null(strstr(dstack_last_error(), "answer holds no TDX quote"));
	assert_int_not_equal(parse_quote(quote_body(NULL, 0, c.report_data, "", NULL), c.report_data, &q), 0);
	assert_non_null(strstr(dstack_last_error(), "answer holds no TDX quote"));
	ds_buf_free(&c.quote);
}

#define INFO_FMT "{\"app_id\":\"%s\",\"instance_id\":\"1691ed1b47506cad7d08834668691d88246f5b1f\"," \
	"\"app_cert\":\"\",\"tcb_info\":\"{}\",\"app_name\":\"guest-agent\",\"device_id\":\"\"," \
	"\"mr_aggregated\":\"\",\"os_image_hash\":\"\",\"key_provider_info\":\"{}\"," \
	"\"compose_hash\":\"c143116fef3940e7f776bfc0919c256232ae5338a6e948c96b711e0b2383483a\"," \
	"\"vm_config\":\"{}\"%s}"

static int parse_info(const char *app_id, const char *extra, struct dstack_info *info)
{
	char body[1024];

	snprintf(body, sizeof(body), INFO_FMT, app_id, extra);
	return ds_agent_info_parse((const uint8_t *)body, strlen(body), info);
}

static void test_info(void **state)
{
	const char *app_id = "5bb4ff9a3837357f19dc176407a5709c62eb6c56";
	struct dstack_info info;

	(void)state;
	assert_int_equal(parse_info(app_id, "", &info), 0);
	assert_int_equal(info.app_id.len, 20);
	assert_int_equal(info.compose_hash.len, 32);
	assert_string_equal(info.app_name, "guest-agent");
	assert_string_equal(info.cloud_vendor, "");
	dstack_info_free(&info);
	assert_int_equal(parse_info(app_id, ",\"cloud_vendor\":\"QEMU\",\"cloud_product\":\"pc\"", &info), 0);
	assert_string_equal(info.cloud_vendor, "QEMU");
	dstack_info_free(&info);
	assert_int_not_equal(parse_info("5bb4ff", "", &info), 0);
	if (!strstr(dstack_last_error(), "\"app_id\" is 3 bytes, expected 20"))
		fail_msg("%s", dstack_last_error());
	assert_null(info.app_name);
	assert_int_not_equal(parse_info(app_id, ",\"cloud_vendor\":7", &info), 0);
	assert_int_not_equal(parse_info("", "", &info), 0);
}

static void test_version(void **state)
{
	const char *ok = "{\"version\":\"0.5.8\",\"rev\":\"abc\"}";
	const char *empty = "{\"version\":\"\",\"rev\":\"abc\"}";
	struct dstack_version v;

	(void)state;
	assert_int_equal(ds_agent_version_parse((const uint8_t *)ok, strlen(ok), &v), 0);
	assert_string_equal(v.version, "0.5.8");
	dstack_version_free(&v);
	assert_int_not_equal(ds_agent_version_parse((const uint8_t *)empty, strlen(empty), &v), 0);
	assert_null(v.version);
}

/* The simulator's app CA key and certificate: a matching pair. */
static void load_ca_pair(char **key, char **cert)
{
	json_t *keys = json_load_file(DS_FIXTURES_DIR "/simulator-appkeys.json", 0, NULL);

	assert_non_null(keys);
	*cert = strdup(json_string_value(json_object_get(keys, "ca_cert")));
	*key = strdup(json_string_value(json_object_get(json_object_get(
		json_object_get(keys, "key_provider"), "None"), "key")));
	json_decref(keys);
}

static char *other_key_pem(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *pem;
	long n;

	assert_int_equal(PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL), 1);
	n = BIO_get_mem_data(b, &data);
	pem = strndup(data, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(k);
	return pem;
}

static int parse_tls(const char *key, const char *cert, struct dstack_tls_key *out)
{
	json_t *o = json_pack("{s:s, s:[s]}", "key", key, "certificate_chain", cert);
	char *body = json_dumps(o, 0);
	int r = ds_agent_tls_key_parse((const uint8_t *)body, strlen(body), out);

	json_decref(o);
	free(body);
	return r;
}

static void test_tls_key(void **state)
{
	char *key, *cert, *other = other_key_pem();
	struct dstack_tls_key t;
	const char *empty = "{\"key\":\"x\",\"certificate_chain\":[]}";

	(void)state;
	load_ca_pair(&key, &cert);
	assert_int_equal(parse_tls(key, cert, &t), 0);
	assert_int_equal(t.certificate_chain_len, 1);
	assert_string_equal(t.key_pem, key);
	dstack_tls_key_free(&t);
	assert_int_not_equal(parse_tls(other, cert, &t), 0);
	assert_non_null(strstr(dstack_last_error(), "does not match"));
	assert_null(t.key_pem);
	assert_int_not_equal(parse_tls("not a key", cert, &t), 0);
	assert_non_null(strstr(dstack_last_error(), "not a PEM private key"));
	assert_int_not_equal(parse_tls(key, "not a cert", &t), 0);
	assert_int_not_equal(ds_agent_tls_key_parse((const uint8_t *)empty, strlen(empty), &t), 0);
	free(key);
	free(cert);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_valid),
		cmocka_unit_test(test_key_accepted_forms),
		cmocka_unit_test(test_key_rejected),
		cmocka_unit_test(test_key_bad_json),
		cmocka_unit_test(test_error_message),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_tls_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
