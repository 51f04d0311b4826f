/* Sign, Verify, Attest and GpuInfo (spec guest-agent-api.md 2.3, 2.6, 2.7,
 * 2.9, 11.4, 11.5) at three levels: the signing primitives on the
 * simulator's app key, the agent's handlers (exact answers), and the
 * client's parsers fed with those answers and with tampered ones. */
#include "crypto_test_util.h"

#include <errno.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agentd/agentd.h"
#include "crypto/sign.h"

/* Spec 11.2: the simulator's app key and the KMS signature of it. */
#define SIM_K256_KEY "d6e88992cdeeee35fe70b5db61ab66cdb191fb9b6ec9313757ef162dd7214d5d"
#define SIM_KMS_SIG "9e618603e72d01fedb82deff6daf2d62a572becf0059eec3f89c1ab40e1f2e594d2a283f843f34e8f39e4cc49a612496ce67223a12ac923f8efe330346dfc6c500"
#define SIM_APP_ID "5bb4ff9a3837357f19dc176407a5709c62eb6c56"
#define SIM_APP_PUB "02818494263695e8839122dbd88e281d7380622999df4e60a14befa0f2d096fc7c"
#define SIM_KMS_ROOT "0321529e458424ab1f710a3a57ec4dad2fb195ddca572f7469242ba6c7563085b6"
#define MSG "test message"
#define DIGEST_31 "def9deb63593d05474b22851c0616dbc10ca66aa4f93900ab923a0fa52c54f"
#define DIGEST "62" DIGEST_31    /* SHA-256("test message for secp256k1 prehashed") */

struct vector {
	const char *alg;
	const char *data_hex;
	const char *pub;
	const char *sig;
	const char *sig0;   /* GetKey("vms", "signing") chain signature, 11.3 */
};

/* Spec 11.4. */
static const struct vector vectors[] = {
	{ "ed25519", "74657374206d657373616765",
	  "698f56bd587d8ce3ca8db0e1c361ba9d190089f98dc4d9df800ff92ed073a65d",
	  "7247b9514be1a72b9cb24334be3adab386901b69e434a66570fa3b8560c64c6f43c3f9fa03de5d676efd98554f15764f15efe69b64d1f77e99735ea509fb3d0c",
	  "d61ff204728dae76ba4e29313003433d533d069f9c98ebb3382104145f1c664c59fac4326a86420ec3f450303d3a675d595f546448076a464343bcc25143c4a300" },
	{ "secp256k1", "74657374206d657373616765",
	  "036105f01d1fd781568f7c208b087b1c4f522601410ed7e9c7870d573de7c46d54",
	  "dbc6c79f6dfcabf31f281da7cad6fd2ff7b7259d67cc0e54f8a5cd2a9c7c4d9f583d33b37b55b91819293705083ab7fd4b1a85a75a61acfdb260c714aa9e3f37",
	  "51ec279eb0da3fb45335c2fd6badaf701905bf35f229912976c4ae3c9d649cf97f964473f2dce7118743bad84a6df707d11c9b5f0b38379204e14fd2c7baddba01" },
	{ "secp256k1_prehashed", DIGEST,
	  "036105f01d1fd781568f7c208b087b1c4f522601410ed7e9c7870d573de7c46d54",
	  "d79fbb0129ff07098837226231994646c809cda435f3783b2c752728e091e80b094145e622686554e6257e8888b99731e824315c46f7ddf85c07ec858bd6b869",
	  "51ec279eb0da3fb45335c2fd6badaf701905bf35f229912976c4ae3c9d649cf97f964473f2dce7118743bad84a6df707d11c9b5f0b38379204e14fd2c7baddba01" },
};

#define N_VECTORS (sizeof(vectors) / sizeof(vectors[0]))

static enum ds_sign_algo algo_of(const char *name)
{
	enum ds_sign_algo algo;

	assert_int_equal(ds_sign_algo_parse(name, &algo), 0);
	return algo;
}

static void test_algorithm_names(void **state)
{
	enum ds_sign_algo algo;

	(void)state;
	assert_int_equal(algo_of("k256"), DS_SIGN_SECP256K1);
	assert_int_equal(algo_of("secp256k1_prehashed"), DS_SIGN_SECP256K1_PREHASHED);
	assert_string_equal(ds_sign_algo_name(algo_of("k256")), "secp256k1");
	/* Unlike GetKey, Sign has no default algorithm. */
	assert_fails_with(ds_sign_algo_parse("", &algo), "Unsupported algorithm");
	assert_fails_with(ds_sign_algo_parse("rsa", &algo), "Unsupported algorithm");
	assert_fails_with(ds_sign_algo_parse("Ed25519", &algo), "Unsupported algorithm");
}

/* The vectors through the signing key and primitives of lib/crypto. */
static void test_sign_vectors(void **state)
{
	uint8_t k256_key[32], sig[DS_SIGN_LEN];

	(void)state;
	unhex_into(SIM_K256_KEY, k256_key, 32);
	for (size_t i = 0; i < N_VECTORS; i++) {
		const struct vector *v = &vectors[i];
		enum ds_sign_algo algo = algo_of(v->alg);
		struct ds_buf data = unhex(v->data_hex);
		struct ds_getkey key;

		assert_int_equal(ds_sign_key_derive(k256_key, algo, &key), 0);
		assert_hex(key.pub, key.pub_len, v->pub);
		assert_hex(key.sig_app, sizeof(key.sig_app), v->sig0);
		assert_int_equal(ds_sign(algo, key.key, data.data, data.len, sig), 0);
		assert_hex(sig, sizeof(sig), v->sig);
		assert_int_equal(ds_sign_verify(algo, key.pub, key.pub_len, data.data, data.len, sig,
						sizeof(sig)), 0);
		ds_buf_free(&data);
	}
}

static int verify_hex(const char *alg, const char *data, const char *sig, const char *pub)
{
	struct ds_buf d = unhex(data), s = unhex(sig), p = unhex(pub);
	int r = ds_sign_verify(algo_of(alg), p.data, p.len, d.data, d.len, s.data, s.len);

	ds_buf_free(&d);
	ds_buf_free(&s);
	ds_buf_free(&p);
	return r;
}

/* n - s of a hex signature: the same point, high-S. */
static void high_s(const char *sig, char *out)
{
	static const char order[] = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
	uint8_t n[32], s[32];
	int borrow = 0;

	unhex_into(order, n, 32);
	unhex_into(sig + 64, s, 32);
	for (int i = 31; i >= 0; i--) {
		int d = n[i] - s[i] - borrow;

		borrow = d < 0;
		s[i] = (uint8_t)(d + 256 * borrow);
	}
	memcpy(out, sig, 64);
	ds_hex_encode(s, 32, out + 64);
}

/* Verdicts (-EACCES) against malformed input (-EINVAL). */
static void test_verify_classes(void **state)
{
	const struct vector *ed = &vectors[0], *k = &vectors[1], *pre = &vectors[2];
	char sig[129], pub[131];

	(void)state;
	assert_int_equal(verify_hex(k->alg, "00", k->sig, k->pub), -EACCES);
	assert_int_equal(verify_hex(ed->alg, "00", ed->sig, ed->pub), -EACCES);
	assert_int_equal(verify_hex(pre->alg, DIGEST, k->sig, k->pub), -EACCES);

	high_s(k->sig, sig);
	assert_int_equal(verify_hex(k->alg, k->data_hex, sig, k->pub), -EACCES);
	/* Another valid Ed25519 key (GetKey "/test", 11.3). */
	assert_int_equal(verify_hex(ed->alg, ed->data_hex, ed->sig,
				    "fa7c30301ad155ca108e0a354d3508dcf738f01f15c280a414d09e92dc33badf"), -EACCES);
	/* The uncompressed form of the same key verifies too. */
	assert_int_equal(verify_hex(k->alg, k->data_hex, k->sig,
				    "046105f01d1fd781568f7c208b087b1c4f522601410ed7e9c7870d573de7c46d54"
				    "d3062ba730de314a83317102b967ce20b27e5231fc5529fc421745a2ac35564d"), 0);
	/* Malformed. */
	assert_fails_with(verify_hex(ed->alg, ed->data_hex, ed->sig, ed->pub + 2), "invalid public key");
	memset(pub, '0', 64);
	pub[63] = '2';
	pub[64] = 0;
	assert_fails_with(verify_hex(ed->alg, ed->data_hex, ed->sig, pub), "not a valid Ed25519 point");
	/* The identity (small order) is refused too. */
	assert_fails_with(verify_hex(ed->alg, ed->data_hex, ed->sig,
				     "0100000000000000000000000000000000000000000000000000000000000000"),
			  "not a valid Ed25519 point");
	assert_fails_with(verify_hex(ed->alg, ed->data_hex, ed->sig + 2, ed->pub), "invalid signature");
	assert_fails_with(verify_hex(k->alg, k->data_hex, k->sig, k->pub + 2), "invalid public key");
	snprintf(pub, sizeof(pub), "06%s", k->pub + 2);
	assert_fails_with(verify_hex(k->alg, k->data_hex, k->sig, pub), "invalid public key");
	snprintf(pub, sizeof(pub), "02%s", "0000000000000000000000000000000000000000000000000000000000000005");
	assert_fails_with(verify_hex(k->alg, k->data_hex, k->sig, pub), "invalid public key");
	memset(sig, '0', 64);
	memcpy(sig + 64, k->sig + 64, 65);
	assert_fails_with(verify_hex(k->alg, k->data_hex, sig, k->pub), "r or s is zero");
	memcpy(sig, k->sig, 64);
	memset(sig + 64, 'f', 64);
	assert_fails_with(verify_hex(k->alg, k->data_hex, sig, k->pub), "not below the group order");
	assert_fails_with(verify_hex(pre->alg, DIGEST "00", k->sig, k->pub),
			  "Pre-hashed verification requires a 32-byte digest, but received 33 bytes");
}

static void test_sign_checks(void **state)
{
	uint8_t key[32] = { 1 }, sig[DS_SIGN_LEN];

	(void)state;
	assert_fails_with(ds_sign(DS_SIGN_SECP256K1_PREHASHED, key, key, 31, sig),
			  "Pre-hashed signing requires a 32-byte digest, but received 31 bytes");
	/* No data at all is a message of its own. */
	assert_int_equal(ds_sign(DS_SIGN_ED25519, key, NULL, 0, sig), 0);
	assert_int_equal(ds_sign(DS_SIGN_SECP256K1, key, NULL, 0, sig), 0);
	memset(key, 0, sizeof(key));
	assert_int_not_equal(ds_sign(DS_SIGN_SECP256K1, key, NULL, 0, sig), 0);
}

/* ---- The agent's handlers ---------------------------------------------- */

static struct ds_attestation fixture_att;

/* The simulator's way: the fixture attestation with the report data
 * patched into the container and its quote. */
static int fixture_attest(const uint8_t report_data[DS_REPORT_DATA_LEN], const char *path,
			  struct ds_attestation *out)
{
	struct ds_buf bytes = { 0 };
	int r;

	(void)path;
	r = ds_attestation_encode(&fixture_att, &bytes);
	r = r ?: ds_attestation_decode(bytes.data, bytes.len, out);
	ds_buf_free(&bytes);
	if (r == 0) {
		memcpy(out->report_data, report_data, DS_REPORT_DATA_LEN);
		memcpy(out->quote.data + 568, report_data, DS_REPORT_DATA_LEN);
	}
	return r;
}

static int no_emit(const char *name, const uint8_t *payload, size_t len)
{
	(void)name;
	(void)payload;
	(void)len;
	return ds_err(-ENOTSUP, "no events here");
}

static const struct ds_agentd_backend backend = { fixture_attest, no_emit };
static struct ds_agentd agentd;

static int setup_agentd(void **state)
{
	char path[4096];
	size_t total;
	struct ds_buf sig;

	(void)state;
	snprintf(path, sizeof(path), "%s/attestation.bin", DS_FIXTURES_DIR);
	assert_int_equal(ds_attestation_read_file(path, &fixture_att, &total), 0);
	agentd.backend = &backend;
	agentd.keys.k256_key = unhex(SIM_K256_KEY);
	sig = unhex(SIM_KMS_SIG);
	agentd.keys.k256_signature = sig;
	return 0;
}

static int teardown_agentd(void **state)
{
	(void)state;
	ds_agentd_free(&agentd);
	ds_attestation_free(&fixture_att);
	return 0;
}

/* POSTs body to /method; the answer's status and body. */
static unsigned call(const char *method, const char *body, struct ds_agentd_response *resp)
{
	char path[64];
	struct ds_agentd_request req = {
		.http_method = "POST",
		.path = path,
		.content_type = "application/json",
		.body = (const uint8_t *)body,
		.body_len = strlen(body),
	};

	snprintf(path, sizeof(path), "/%s", method);
	ds_agentd_handle(&agentd, &req, resp);
	return resp->status;
}

static void assert_answer(const char *method, const char *body, unsigned status, const char *want)
{
	struct ds_agentd_response resp;

	assert_int_equal(call(method, body, &resp), status);
	assert_string_equal(resp.body, want);
	ds_agentd_response_free(&resp);
}

static void assert_error_answer(const char *method, const char *body, const char *message)
{
	char want[512];

	snprintf(want, sizeof(want), "{\n  \"error\": \"%s\"\n}", message);
	assert_answer(method, body, 400, want);
}

static void assert_error_contains(const char *method, const char *body, const char *text)
{
	struct ds_agentd_response resp;

	assert_int_equal(call(method, body, &resp), 400);
	if (!strstr(resp.body, text))
		fail_msg("answer '%s' lacks '%s'", resp.body, text);
	ds_agentd_response_free(&resp);
}

static void sign_answer(const struct vector *v, char *out, size_t size)
{
	snprintf(out, size, "{\"signature\":\"%s\",\"signature_chain\":[\"%s\",\"%s\",\"%s\"],"
		 "\"public_key\":\"%s\"}", v->sig, v->sig, v->sig0, SIM_KMS_SIG, v->pub);
}

static void test_handler_sign(void **state)
{
	char body[256], want[1024];

	(void)state;
	for (size_t i = 0; i < N_VECTORS; i++) {
		snprintf(body, sizeof(body), "{\"algorithm\":\"%s\",\"data\":\"0x%s\"}", vectors[i].alg,
			 vectors[i].data_hex);
		sign_answer(&vectors[i], want, sizeof(want));
		assert_answer("Sign", body, 200, want);
	}
	/* Spec 11.5. */
	assert_error_answer("Sign", "{\"algorithm\":\"rsa\",\"data\":\"00\"}", "Unsupported algorithm");
	assert_error_answer("Sign", "{\"algorithm\":\"\",\"data\":\"00\"}", "Unsupported algorithm");
	assert_error_answer("Sign", "", "Unsupported algorithm");
	assert_error_answer("Sign", "{\"algorithm\":\"secp256k1_prehashed\",\"data\":\"" DIGEST_31 "\"}",
			    "Pre-hashed signing requires a 32-byte digest, but received 31 bytes");
}

static void verify_body(const char *alg, const char *data, const char *sig, const char *pub,
			char *out, size_t size)
{
	snprintf(out, size, "{\"algorithm\":\"%s\",\"data\":\"%s\",\"signature\":\"%s\","
		 "\"public_key\":\"%s\"}", alg, data, sig, pub);
}

static void test_handler_verify(void **state)
{
	const struct vector *ed = &vectors[0], *k = &vectors[1];
	char body[512], sig[129];

	(void)state;
	for (size_t i = 0; i < N_VECTORS; i++) {
		verify_body(vectors[i].alg, vectors[i].data_hex, vectors[i].sig, vectors[i].pub, body,
			    sizeof(body));
		assert_answer("Verify", body, 200, "{\"valid\":true}");
	}
	verify_body(ed->alg, "00", ed->sig, ed->pub, body, sizeof(body));
	assert_answer("Verify", body, 200, "{\"valid\":false}");
	high_s(k->sig, sig);
	verify_body(k->alg, k->data_hex, sig, k->pub, body, sizeof(body));
	assert_answer("Verify", body, 200, "{\"valid\":false}");
	verify_body("k256", k->data_hex, k->sig, k->pub, body, sizeof(body));
	assert_answer("Verify", body, 200, "{\"valid\":true}");
	/* Malformed: 400, not a verdict. */
	verify_body(ed->alg, ed->data_hex, ed->sig, ed->pub + 2, body, sizeof(body));
	assert_error_answer("Verify", body, "invalid public key: Ed25519 keys are 32 bytes, got 31");
	verify_body(k->alg, k->data_hex, k->sig + 2, k->pub, body, sizeof(body));
	assert_error_answer("Verify", body, "invalid signature: signatures are 64 bytes, got 63");
	verify_body("rsa", k->data_hex, k->sig, k->pub, body, sizeof(body));
	assert_error_answer("Verify", body, "Unsupported algorithm");
	verify_body("", k->data_hex, k->sig, k->pub, body, sizeof(body));
	assert_error_answer("Verify", body, "Unsupported algorithm");
	assert_error_answer("Verify", "{\"algorithm\":\"ed25519\",\"signature\":\"0g\"}",
			    "invalid hex in `signature`: Invalid character 'g' at position 1");
}

static void rd_body(const char *report_data_hex, char *out, size_t size)
{
	snprintf(out, size, "{\"report_data\":\"%s\"}", report_data_hex);
}

/* The handler's answer, decoded: the fixture with the report data put in,
 * re-encoded in its own (V0) wire form. */
static void test_handler_attest(void **state)
{
	struct ds_agentd_response resp;
	struct dstack_attestation out;
	uint8_t want[64] = { 't', 'e', 's', 't' };
	char body[256], big[140];
	struct ds_attestation decoded;
	json_t *root;
	struct ds_buf bytes = { 0 };

	(void)state;
	rd_body("74657374", body, sizeof(body));
	assert_int_equal(call("Attest", body, &resp), 200);
	assert_int_equal(ds_agent_json_load((const uint8_t *)resp.body, resp.len, &root), 0);
	assert_int_equal(json_object_size(root), 1);
	assert_int_equal(ds_agent_json_hex(root, "attestation", &bytes), 0);
	assert_int_equal(bytes.data[0], 0x00);
	assert_int_equal(ds_attestation_decode(bytes.data, bytes.len, &decoded), 0);
	assert_memory_equal(decoded.report_data, want, 64);
	assert_memory_equal(decoded.quote.data + 568, want, 64);
	assert_int_equal(decoded.event_log.len, fixture_att.event_log.len);
	ds_attestation_free(&decoded);
	ds_buf_free(&bytes);
	json_decref(root);
	/* The client accepts it for the report data that was sent, and only for it. */
	assert_int_equal(ds_agent_attest_parse((const uint8_t *)resp.body, resp.len, want, &out), 0);
	assert_memory_equal(out.report_data, want, 64);
	assert_true(out.attestation.len > 9000);
	dstack_attestation_free(&out);
	assert_null(out.attestation.data);
	want[0] = 'T';
	assert_fails_with(ds_agent_attest_parse((const uint8_t *)resp.body, resp.len, want, &out),
			  "the attestation's report data differs from the requested report data");
	assert_null(out.attestation.data);
	ds_agentd_response_free(&resp);
	/* Spec 11.5. */
	memset(big, '0', 130);
	big[130] = 0;
	rd_body(big, body, sizeof(body));
	assert_error_answer("Attest", body, "Report data is too long");
}

static void test_handler_gpu_info(void **state)
{
	char dir[] = "/tmp/ds-gpu-XXXXXX", path[64];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/attestation.out", dir);
	assert_int_equal(setenv("DSTACK_GPU_ATTESTATION_FILE", path, 1), 0);
	assert_answer("GpuInfo", "{}", 200, "{\"attestation\":\"\"}");
	f = fopen(path, "w");
	fputs("{\"ok\":true}\n", f);
	fclose(f);
	/* Empty requests ignore their body. */
	assert_answer("GpuInfo", "not json", 200, "{\"attestation\":\"{\\\"ok\\\":true}\\n\"}");
	f = fopen(path, "w");
	fputs("\xc0\xaf", f);
	fclose(f);
	assert_error_contains("GpuInfo", "{}", "is not UTF-8");
	unlink(path);
	rmdir(dir);
	assert_int_equal(setenv("DSTACK_GPU_ATTESTATION_FILE", "relative", 1), 0);
	assert_error_contains("GpuInfo", "{}", "must be absolute");
	unsetenv("DSTACK_GPU_ATTESTATION_FILE");
}

/* ---- The client's parsers ---------------------------------------------- */

#define TEXT(s) (const uint8_t *)(s), strlen(s)

static int parse_sign(const char *body, const struct vector *v, struct dstack_signature *out)
{
	struct ds_buf data = unhex(v->data_hex);
	int r = ds_agent_sign_parse((const uint8_t *)body, strlen(body), algo_of(v->alg), data.data,
				    data.len, out);

	ds_buf_free(&data);
	return r;
}

static void assert_sign_rejected(const char *body, const struct vector *v, const char *text)
{
	struct dstack_signature s;

	assert_fails_with(parse_sign(body, v, &s), text);
	assert_null(s.signature_chain);
	assert_int_equal(s.public_key_len, 0);
}

/* Replaces the first occurrence of from in body by to. */
static void edit(char *body, const char *from, const char *to)
{
	char *at = strstr(body, from), rest[1024];

	assert_non_null(at);
	snprintf(rest, sizeof(rest), "%s", at + strlen(from));
	sprintf(at, "%s%s", to, rest);
}

/* Edits of the ed25519 answer and why each is refused. */
static const struct {
	const char *from, *to, *error;
} edits[] = {
	/* A public key of the other algorithm's length. */
	{ "\"public_key\":\"", "\"public_key\":\"02", "member \"public_key\" is 33 bytes, expected 32" },
	{ "\"signature\":\"72", "\"signature\":\"", "member \"signature\" is 63 bytes, expected 64" },
	{ "\"signature\":\"72", "\"signature\":\"7z", "member \"signature\" is not valid hex" },
	{ "[\"72", "[\"73", "signature_chain[0] is not the signature" },
	{ ",\"" SIM_KMS_SIG "\"", "", "signature chain has 2 elements, expected 3" },
	{ "\"d6", "\"", "signature_chain[1] is 64 bytes, expected 65" },
	{ "\"9e", "\"", "signature_chain[2] is 64 bytes, expected 65 or none" },
};

static void test_client_sign(void **state)
{
	const struct vector *ed = &vectors[0], *k = &vectors[1];
	struct dstack_signature s;
	uint8_t app_id[20], root[33], app_pub[33];
	char body[1024], bad[1024];

	(void)state;
	for (size_t i = 0; i < N_VECTORS; i++) {
		sign_answer(&vectors[i], body, sizeof(body));
		assert_int_equal(parse_sign(body, &vectors[i], &s), 0);
		assert_hex(s.signature, sizeof(s.signature), vectors[i].sig);
		assert_hex(s.public_key, s.public_key_len, vectors[i].pub);
		assert_int_equal(s.signature_chain_len, 3);
		/* The chain leads to the simulator's KMS root (11.2). */
		unhex_into(SIM_APP_ID, app_id, 20);
		unhex_into(SIM_KMS_ROOT, root, 33);
		assert_int_equal(dstack_verify_sign_chain(&s, app_id, root, app_pub), 0);
		assert_hex(app_pub, 33, SIM_APP_PUB);
		root[5] ^= 1;
		assert_fails_with(dstack_verify_sign_chain(&s, app_id, root, NULL), "Sign signature chain rejected");
		dstack_signature_free(&s);
		assert_null(s.signature_chain);
	}
	/* Signed data other than what was sent, a signature by another key. */
	sign_answer(k, body, sizeof(body));
	assert_sign_rejected(body, &vectors[2], "does not verify with the returned public key");
	snprintf(bad, sizeof(bad), "%s", body);
	edit(bad, "\"public_key\":\"036105", "\"public_key\":\"021aa84b77f386ad4607439f39fe02d584c52474cf9d8f45aeaa06ee3cea65dfa7\",\"x\":\"");
	assert_sign_rejected(bad, k, "does not verify with the returned public key");
	sign_answer(ed, body, sizeof(body));
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		snprintf(bad, sizeof(bad), "%s", body);
		edit(bad, edits[i].from, edits[i].to);
		assert_sign_rejected(bad, ed, edits[i].error);
	}
	assert_sign_rejected("{\"signature_chain\":[],\"public_key\":\"\"}", ed, "member \"signature\" is missing");
	/* Keys not issued by a KMS: an empty last element is fine. */
	snprintf(bad, sizeof(bad), "%s", body);
	edit(bad, SIM_KMS_SIG, "");
	assert_int_equal(parse_sign(bad, ed, &s), 0);
	assert_int_equal(s.signature_chain[2].len, 0);
	assert_fails_with(dstack_verify_sign_chain(&s, app_id, root, NULL), "the signature chain has no KMS signature");
	dstack_signature_free(&s);
	assert_sign_rejected("[]", ed, "not an object");
}

static void test_client_verify_and_gpu(void **state)
{
	struct dstack_gpu_info g;
	int valid = 7;

	(void)state;
	assert_int_equal(ds_agent_verify_parse(TEXT("{\"valid\":true}"), &valid), 0);
	assert_int_equal(valid, 1);
	assert_int_equal(ds_agent_verify_parse(TEXT("{\"valid\":false}"), &valid), 0);
	assert_int_equal(valid, 0);
	/* api.md shows a string: not a boolean, not accepted. */
	assert_fails_with(ds_agent_verify_parse(TEXT("{\"valid\":\"true\"}"), &valid),
			  "member \"valid\" is not a boolean");
	assert_int_equal(valid, 0);
	assert_fails_with(ds_agent_verify_parse(TEXT("{}"), &valid), "member \"valid\" is missing");
	assert_fails_with(ds_agent_verify_parse(TEXT("{\"valid\":true,\"valid\":false}"), &valid),
			  "invalid JSON");
	assert_int_equal(ds_agent_gpu_info_parse(TEXT("{\"attestation\":\"{}\"}"), &g), 0);
	assert_string_equal(g.attestation, "{}");
	dstack_gpu_info_free(&g);
	assert_null(g.attestation);
	assert_fails_with(ds_agent_gpu_info_parse(TEXT("{\"attestation\":1}"), &g),
			  "member \"attestation\" is not a string");
	assert_null(g.attestation);
}

static void test_client_attest_rejects(void **state)
{
	uint8_t want[64] = { 0 };
	struct dstack_attestation out;
	struct ds_buf bytes = { 0 };
	char *hex, *body;

	(void)state;
	assert_fails_with(ds_agent_attest_parse(TEXT("{\"attestation\":\"\"}"), want, &out),
			  "member \"attestation\" is empty");
	assert_fails_with(ds_agent_attest_parse(TEXT("{\"attestation\":\"00ab\"}"), want, &out),
			  "member \"attestation\" is not a dstack TDX attestation");
	/* The fixture's container says 64 zero bytes, but its quote is changed. */
	assert_int_equal(ds_attestation_encode(&fixture_att, &bytes), 0);
	bytes.data[4 + 568] ^= 1;
	hex = ds_hex_alloc(bytes.data, bytes.len);
	body = malloc(strlen(hex) + 32);
	sprintf(body, "{\"attestation\":\"%s\"}", hex);
	assert_fails_with(ds_agent_attest_parse((const uint8_t *)body, strlen(body), want, &out),
			  "the quote's report data differs from the requested report data");
	assert_null(out.attestation.data);
	free(body);
	free(hex);
	ds_buf_free(&bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algorithm_names),
		cmocka_unit_test(test_sign_vectors),
		cmocka_unit_test(test_verify_classes),
		cmocka_unit_test(test_sign_checks),
		cmocka_unit_test(test_handler_sign),
		cmocka_unit_test(test_handler_verify),
		cmocka_unit_test(test_handler_attest),
		cmocka_unit_test(test_handler_gpu_info),
		cmocka_unit_test(test_client_sign),
		cmocka_unit_test(test_client_verify_and_gpu),
		cmocka_unit_test(test_client_attest_rejects),
	};

	return cmocka_run_group_tests(tests, setup_agentd, teardown_agentd);
}
