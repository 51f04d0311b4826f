/* crypto: the app keys file (spec 1.6, 3, 8.5, 8.8, 8.10): parsing the
 * upstream fixtures, byte-compatible output, keys from a seed and at random,
 * and malformed files. */
#include "crypto_test_util.h"

#include <errno.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/appkeys.h"
#include "crypto/envelope.h"
#include "crypto/getkey.h"
#include "crypto/kms_sig.h"
#include "crypto/p256.h"
#include "util/err.h"

static struct ds_buf template;

/* Evidence: the fixture attestation with the report data patched into its
 * quote (offset 4 + 568). */
static int fixture_attest(void *ctx, const uint8_t rd[64], struct ds_evidence *out)
{
	(void)ctx;
	assert_int_equal(ds_buf_set(&out->attestation, template.data, template.len), 0);
	memcpy(out->attestation.data + 572, rd, 64);
	return 0;
}

static const struct ds_attester attester = { fixture_attest, NULL };

static int setup(void **state)
{
	(void)state;
	load_fixture("attestation.bin", &template);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_buf_free(&template);
	return 0;
}

static void load_app_keys(const char *name, struct ds_app_keys *k)
{
	struct ds_buf f = { 0 };

	load_fixture(name, &f);
	assert_int_equal(ds_app_keys_parse((char *)f.data, f.len, k), 0);
	ds_buf_free(&f);
}

/* The JSON text without whitespace outside strings. */
static struct ds_buf compact_text(const struct ds_buf *in)
{
	struct ds_buf out = { 0 };
	int in_str = 0, esc = 0;

	assert_int_equal(ds_buf_alloc(&out, in->len), 0);
	out.len = 0;
	for (size_t i = 0; i < in->len; i++) {
		char c = (char)in->data[i];

		if (!in_str && (c == ' ' || c == '\n' || c == '\r' || c == '\t'))
			continue;
		if (in_str && !esc && c == '"')
			in_str = 0;
		else if (!in_str && c == '"')
			in_str = 1;
		esc = in_str && !esc && c == '\\';
		out.data[out.len++] = (uint8_t)c;
	}
	return out;
}

static void test_simulator_fixture(void **state)
{
	struct ds_buf f = { 0 }, want, out = { 0 };
	uint8_t pub[33], kms[33], app_id[20], x25519[32];
	struct ds_app_keys k, again;
	const uint8_t *id;
	EVP_PKEY *key;
	X509 *ca;
	size_t id_len;

	(void)state;
	load_fixture("simulator-appkeys.json", &f);
	want = compact_text(&f);
	assert_int_equal(ds_app_keys_parse((char *)f.data, f.len, &k), 0);
	assert_int_equal(k.key_provider.kind, DS_KP_NONE);
	assert_string_equal(k.gateway_app_id, "any");
	assert_hex(k.disk_crypt_key.data, 32,
		   "2cbc10ccbed084b91af2ceff8400e6082402367f18a2c6248bac17d2fc951607");
	/* The k256 chain up to the KMS root (spec 8.5). */
	assert_int_equal(ds_k256_pubkey(k.k256_key.data, pub), 0);
	assert_hex(pub, 33, "02818494263695e8839122dbd88e281d7380622999df4e60a14befa0f2d096fc7c");
	unhex_into("5bb4ff9a3837357f19dc176407a5709c62eb6c56", app_id, 20);
	assert_int_equal(ds_kms_app_key_signer(app_id, 20, pub, k.k256_signature.data,
					       k.k256_signature.len, kms), 0);
	assert_hex(kms, 33, "0321529e458424ab1f710a3a57ec4dad2fb195ddca572f7469242ba6c7563085b6");
	assert_int_equal(ds_x25519_public(k.env_crypt_key.data, x25519), 0);
	assert_hex(x25519, 32, "4b03687002c7e0f6e8eaabea3edc108de72a06d2c2b64a3e14c34883645c7127");
	/* The provider key is the CA certificate's key. */
	assert_int_equal(ds_p256_from_pem(k.key_provider.key, strlen(k.key_provider.key), &key), 0);
	assert_int_equal(ds_cert_from_pem(k.ca_cert, strlen(k.ca_cert), &ca), 0);
	assert_int_equal(X509_check_private_key(ca, key), 1);
	X509_free(ca);
	EVP_PKEY_free(key);
	ds_app_keys_provider_id(&k, &id, &id_len);
	assert_int_equal(id_len, 0);
	assert_int_equal(ds_app_keys_provider_event(&k, &out), 0);
	assert_string_equal((char *)out.data, "{\"name\":\"none\",\"id\":\"\"}");
	ds_buf_free(&out);
	/* Written back compact, it is the fixture without its indentation. */
	assert_int_equal(ds_app_keys_serialize(&k, &out), 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	assert_int_equal(ds_app_keys_parse((char *)out.data, out.len, &again), 0);
	ds_app_keys_free(&again);
	ds_buf_wipe(&out);
	ds_app_keys_free(&k);
	assert_null(k.k256_key.data);
	ds_buf_free(&want);
	ds_buf_free(&f);
}

static void test_v054_fixture(void **state)
{
	struct ds_buf f = { 0 }, want, out;
	struct ds_app_keys k;
	X509 *ca;

	(void)state;
	load_fixture("v0.5.4-simulator-appkeys.json", &f);
	want = compact_text(&f);
	load_app_keys("v0.5.4-simulator-appkeys.json", &k);
	assert_int_equal(ds_cert_from_pem(k.ca_cert, strlen(k.ca_cert), &ca), 0);
	/* The v0.5.4 CA rule: digitalSignature only. */
	assert_int_equal(X509_get_key_usage(ca), KU_DIGITAL_SIGNATURE);
	X509_free(ca);
	assert_int_equal(ds_app_keys_serialize(&k, &out), 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	ds_buf_wipe(&out);
	ds_app_keys_free(&k);
	ds_buf_free(&want);
	ds_buf_free(&f);
}

static void test_from_seed(void **state)
{
	static const char app_pem[] =
		"-----BEGIN PRIVATE KEY-----\n"
		"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCmrnVCWZO4KKzkkA\n"
		"IYCdzaRp1bUxsBiif90ozW2BEV6hRANCAAQgIph1PpHoM0VxDaBm9w8iY+JhCU8n\n"
		"HPLwL6UZpT2ld9m2SDVoGG2W5CwjC9CjQNdXsEAZtI+Durj+HtVK6n//\n"
		"-----END PRIVATE KEY-----\n";
	uint8_t seed[32], mr[32], spki[91];
	struct ds_buf event;
	char name[64];
	struct ds_app_keys k;
	struct ds_evidence ev;
	const uint8_t *id;
	size_t id_len;
	EVP_PKEY *key;
	X509 *cert;
	int found;

	(void)state;
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	assert_int_equal(ds_app_keys_from_seed(seed, 32, DS_KP_NONE, NULL, 0, &attester, &k), 0);
	assert_string_equal(k.key_provider.key, app_pem);
	assert_hex(k.disk_crypt_key.data, 32,
		   "16271dff935a2b916181f4c8a0a6666de98224ba51437c329171a11dd481a09a");
	assert_hex(k.k256_key.data, 32,
		   "091c9c36eb873f1aacde93e91631256e1610ce9940166b45f437d635d76ba95e");
	assert_int_equal(k.env_crypt_key.len, 0);
	assert_int_equal(k.k256_signature.len, 0);
	assert_string_equal(k.gateway_app_id, "");
	/* The App Root Cert: self-signed by the app key, CA pathlen 1, and
	 * its quote binds the app key (spec 8.8 report data). */
	assert_int_equal(ds_cert_from_pem(k.ca_cert, strlen(k.ca_cert), &cert), 0);
	assert_int_equal(ds_p256_from_pem(k.key_provider.key, strlen(k.key_provider.key), &key), 0);
	assert_int_equal(X509_verify(cert, key), 1);
	assert_int_equal(X509_check_ca(cert), 1);
	assert_int_equal(X509_get_pathlen(cert), 1);
	assert_string_equal(X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof(name)),
			    "/CN=App Root Cert");
	assert_int_equal(ds_ratls_get_evidence(cert, &ev, &found), 0);
	assert_hex(ev.attestation.data + 572, 64,
		   "fde2cc0efa32b737e7d75594efc6d1389630ecfc0b3faad943a0e7f33263ef24"
		   "508b584c27c6c51af967e57e4447f023708116f1a34167ea1c546c618ffd2ae4");
	ds_evidence_free(&ev);
	X509_free(cert);
	ds_app_keys_free(&k);

	memset(seed, 1, 32);
	memset(mr, 0xab, 32);
	assert_int_equal(ds_app_keys_from_seed(seed, 32, DS_KP_LOCAL, mr, 32, &attester, &k), 0);
	assert_hex(k.disk_crypt_key.data, 32,
		   "55e4d8a01a81a6d0ecdbdcf087d5365fc490efe115b9f418b4af2345a8a50e89");
	assert_hex(k.k256_key.data, 32,
		   "9e99c182cd4a1b911ccacbbf8b78f1be3a2252013db334aca1423cfbbb99ed4f");
	ds_app_keys_provider_id(&k, &id, &id_len);
	assert_int_equal(id_len, 32);
	assert_memory_equal(id, mr, 32);
	assert_int_equal(ds_app_keys_provider_event(&k, &event), 0);
	assert_string_equal((char *)event.data, "{\"name\":\"local-sgx\",\"id\":\"abababababababab"
						 "abababababababababababababababababababababababab\"}");
	ds_buf_free(&event);
	ds_app_keys_free(&k);

	assert_int_equal(ds_app_keys_from_seed(seed, 32, DS_KP_TPM, NULL, 0, &attester, &k), 0);
	assert_int_equal(ds_p256_spki_der(key, spki), 0);
	assert_int_equal(k.key_provider.pubkey.len, 91);
	ds_app_keys_provider_id(&k, &id, &id_len);
	assert_int_equal(id_len, 0);
	assert_int_equal(ds_app_keys_provider_event(&k, &event), 0);
	assert_string_equal((char *)event.data, "{\"name\":\"tpm\",\"id\":\"\"}");
	ds_buf_free(&event);
	ds_app_keys_free(&k);
	EVP_PKEY_free(key);

	assert_int_not_equal(ds_app_keys_from_seed(seed, 32, DS_KP_LOCAL, NULL, 0, &attester, &k), 0);
	assert_string_equal(ds_err_msg(0), "Missing MR for local key provider");
	assert_int_not_equal(ds_app_keys_from_seed(seed, 32, DS_KP_KMS, NULL, 0, &attester, &k), 0);
	assert_string_equal(ds_err_msg(0), "KMS keys must be fetched from the KMS server");
	assert_null(k.disk_crypt_key.data);
	/* A seed that is not 32 bytes would give guessable keys. */
	assert_int_not_equal(ds_app_keys_from_seed(seed, 0, DS_KP_NONE, NULL, 0, &attester, &k), 0);
	assert_int_not_equal(ds_app_keys_from_seed(seed, 31, DS_KP_NONE, NULL, 0, &attester, &k), 0);
	assert_int_not_equal(ds_app_keys_from_seed(NULL, 32, DS_KP_NONE, NULL, 0, &attester, &k), 0);
	assert_null(k.disk_crypt_key.data);
}

static void test_generate_and_save(void **state)
{
	char dir[64], path[256];
	struct ds_app_keys k, back;
	struct ds_buf a, b;
	struct stat st;
	uint8_t pub[33];
	X509 *cert;

	(void)state;
	tmpdir_create(dir, "keys");
	assert_int_equal(ds_app_keys_generate(3, &attester, &k), 0);
	assert_int_equal(k.disk_crypt_key.len, 32);
	assert_int_equal(ds_k256_pubkey(k.k256_key.data, pub), 0);
	assert_int_equal(pub[0], 0x02);
	assert_int_equal(ds_cert_from_pem(k.ca_cert, strlen(k.ca_cert), &cert), 0);
	assert_int_equal(X509_get_pathlen(cert), 3);
	X509_free(cert);
	snprintf(path, sizeof(path), "%s/keys.json", dir);
	assert_int_equal(ds_app_keys_save(path, &k), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ds_app_keys_load(path, &back), 0);
	assert_int_equal(ds_app_keys_serialize(&k, &a), 0);
	assert_int_equal(ds_app_keys_serialize(&back, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_int_equal(a.data[a.len - 1], '}');
	ds_buf_wipe(&a);
	ds_buf_wipe(&b);
	ds_app_keys_free(&back);
	unlink(path);
	/* A failed save leaves nothing behind. */
	snprintf(path, sizeof(path), "%s/missing/keys.json", dir);
	assert_int_not_equal(ds_app_keys_save(path, &k), 0);
	assert_int_equal(rmdir(dir), 0);
	ds_app_keys_free(&k);
}

static void test_kms_provider_round_trip(void **state)
{
	static const char doc[] =
		"{\"disk_crypt_key\":\"" "00000000000000000000000000000000000000000000000000000000000000AA"
		"\",\"k256_key\":\"0101010101010101010101010101010101010101010101010101010101010101\","
		"\"k256_signature\":\"\",\"gateway_app_id\":\"g\\u0001\",\"ca_cert\":\"c\","
		"\"key_provider\":{\"Kms\":{\"url\":\"https://kms:1/prpc\",\"pubkey\":\"3059\","
		"\"tmp_ca_key\":\"k\",\"tmp_ca_cert\":\"t\",\"future\":1}},\"unknown\":[1]}";
	static const char want[] =
		"{\"disk_crypt_key\":\"00000000000000000000000000000000000000000000000000000000000000aa\","
		"\"env_crypt_key\":\"\",\"k256_key\":"
		"\"0101010101010101010101010101010101010101010101010101010101010101\","
		"\"k256_signature\":\"\",\"gateway_app_id\":\"g\\u0001\",\"ca_cert\":\"c\","
		"\"key_provider\":{\"Kms\":{\"url\":\"https://kms:1/prpc\",\"pubkey\":\"3059\","
		"\"tmp_ca_key\":\"k\",\"tmp_ca_cert\":\"t\"}}}";
	struct ds_app_keys k;
	struct ds_buf out;
	const uint8_t *id;
	size_t id_len;

	(void)state;
	assert_int_equal(ds_app_keys_parse(doc, strlen(doc), &k), 0);
	ds_app_keys_provider_id(&k, &id, &id_len);
	assert_int_equal(id_len, 2);
	assert_memory_equal(id, "\x30\x59", 2);
	assert_int_equal(ds_app_keys_provider_event(&k, &out), 0);
	assert_int_equal(out.len, strlen("{\"name\":\"kms\",\"id\":\"3059\"}"));
	assert_memory_equal(out.data, "{\"name\":\"kms\",\"id\":\"3059\"}", out.len);
	ds_buf_free(&out);
	assert_int_equal(ds_app_keys_serialize(&k, &out), 0);
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.data, want, out.len);
	ds_buf_wipe(&out);
	ds_app_keys_free(&k);
}

static void expect_bad(const char *doc)
{
	struct ds_app_keys k;

	assert_int_not_equal(ds_app_keys_parse(doc, strlen(doc), &k), 0);
	assert_string_equal(ds_err_msg(0), "invalid app keys");
	assert_null(k.disk_crypt_key.data);
	assert_null(k.ca_cert);
}

#define K32 "\"0101010101010101010101010101010101010101010101010101010101010101\""
#define HEAD "{\"disk_crypt_key\":" K32 ",\"k256_key\":" K32 ",\"k256_signature\":\"\"," \
	     "\"gateway_app_id\":\"\",\"ca_cert\":\"c\","

static void test_malformed(void **state)
{
	static const char minimal[] = HEAD "\"key_provider\":{\"None\":{\"key\":\"k\"}}}";
	struct ds_app_keys k;

	(void)state;
	/* The minimal valid document, then one defect at a time. */
	assert_int_equal(ds_app_keys_parse(minimal, strlen(minimal), &k), 0);
	ds_app_keys_free(&k);
	expect_bad(HEAD "\"key_provider\":{\"None\":{\"key\":\"k\"}}");
	expect_bad(HEAD "\"key_provider\":{\"None\":{}}}");
	expect_bad(HEAD "\"key_provider\":{\"none\":{\"key\":\"k\"}}}");
	expect_bad(HEAD "\"key_provider\":{\"None\":{\"key\":\"k\"},\"Tpm\":{\"key\":\"k\"}}}");
	expect_bad(HEAD "\"key_provider\":{}}");
	expect_bad(HEAD "\"key_provider\":\"None\"}");
	expect_bad(HEAD "\"key_provider\":{\"Local\":{\"key\":\"k\",\"mr\":\"xy\"}}}");
	expect_bad(HEAD "\"key_provider\":{\"Kms\":{\"url\":\"u\",\"pubkey\":\"\"}}}");
	expect_bad(HEAD "\"key_provider\":{\"None\":{\"key\":1}}}");
	expect_bad(HEAD "\"key_provider\":{\"None\":{\"key\":\"k\"}},\"ca_cert\":\"c\"}");
	expect_bad(HEAD "\"key_provider\":{\"None\":{\"key\":\"k\\u0000\"}}}");
	expect_bad("{\"disk_crypt_key\":\"0x01\",\"k256_key\":" K32 ",\"k256_signature\":\"\","
		   "\"gateway_app_id\":\"\",\"ca_cert\":\"c\",\"key_provider\":{\"None\":{\"key\":\"k\"}}}");
	expect_bad("{\"disk_crypt_key\":\"0101\",\"k256_key\":" K32 ",\"k256_signature\":\"\","
		   "\"gateway_app_id\":\"\",\"ca_cert\":\"c\",\"key_provider\":{\"None\":{\"key\":\"k\"}}}");
	expect_bad("{\"disk_crypt_key\":" K32 ",\"k256_key\":" K32 ",\"k256_signature\":\"01\","
		   "\"gateway_app_id\":\"\",\"ca_cert\":\"c\",\"key_provider\":{\"None\":{\"key\":\"k\"}}}");
	expect_bad("{\"disk_crypt_key\":" K32 ",\"env_crypt_key\":\"0102\",\"k256_key\":" K32
		   ",\"k256_signature\":\"\",\"gateway_app_id\":\"\",\"ca_cert\":\"c\","
		   "\"key_provider\":{\"None\":{\"key\":\"k\"}}}");
	expect_bad("{\"disk_crypt_key\":" K32 ",\"k256_signature\":\"\",\"gateway_app_id\":\"\","
		   "\"ca_cert\":\"c\",\"key_provider\":{\"None\":{\"key\":\"k\"}}}");
	expect_bad("[]");
	expect_bad("");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simulator_fixture),
		cmocka_unit_test(test_v054_fixture),
		cmocka_unit_test(test_from_seed),
		cmocka_unit_test(test_generate_and_save),
		cmocka_unit_test(test_kms_provider_round_trip),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
