/* crypto: certificates as rcgen encodes them, the dstack extensions, RA-TLS,
 * CA and App Root certificates, report data binding (spec 1.10, 2, 8.3, 8.8,
 * 8.10). OpenSSL's own tools check the chains. */
#include "crypto_test_util.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cert.h"
#include "crypto/p256.h"
#include "crypto/ratls.h"
#include "crypto/ratls_ext.h"
#include "crypto/report_data.h"
#include "util/err.h"

/* attestation.bin (V0 container): the quote starts at byte 4, so its report
 * data is at 4 + 568; the container's own report_data field sits just before
 * the 553-byte config string and its 2-byte length. */
#define QUOTE_REPORT_DATA 572
#define CONTAINER_REPORT_DATA(len) ((len) - 553 - 2 - 64)

struct fixture_attester {
	struct ds_buf template;
	int legacy;     /* hand out quote + event log instead of the container */
	int calls;
};

static int fixture_attest(void *ctx, const uint8_t rd[64], struct ds_evidence *out)
{
	struct fixture_attester *f = ctx;
	struct ds_buf *a = &out->attestation;

	f->calls++;
	assert_int_equal(ds_buf_set(a, f->template.data, f->template.len), 0);
	memcpy(a->data + QUOTE_REPORT_DATA, rd, 64);
	memcpy(a->data + CONTAINER_REPORT_DATA(a->len), rd, 64);
	if (f->legacy) {
		assert_int_equal(ds_buf_set(&out->quote, a->data + 4, 5010), 0);
		assert_int_equal(ds_buf_set(&out->event_log, "[]", 2), 0);
		ds_buf_free(a);
	}
	return 0;
}

static int failing_attest(void *ctx, const uint8_t rd[64], struct ds_evidence *out)
{
	(void)ctx, (void)rd, (void)out;
	return ds_err(-ENODEV, "no TDX device");
}

static struct fixture_attester fa;
static const struct ds_attester attester = { fixture_attest, &fa };

static int setup(void **state)
{
	(void)state;
	load_fixture("attestation.bin", &fa.template);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_buf_free(&fa.template);
	return 0;
}

static const char *json_str(json_t *root, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(root, a);

	if (b)
		v = json_object_get(json_object_get(v, b), c);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static struct ds_buf tbs_der(X509 *x)
{
	unsigned char *der = NULL;
	int len = i2d_re_X509_tbs(x, &der);
	struct ds_buf b = { 0 };

	assert_true(len > 0);
	assert_int_equal(ds_buf_set(&b, der, (size_t)len), 0);
	OPENSSL_free(der);
	return b;
}

/* The simulator's "Dstack KMS CA" TBS, rebuilt from the rules (spec 8.10). */
static void test_rebuild_simulator_ca(void **state)
{
	struct ds_buf file = { 0 }, want, got;
	struct tm na = { .tm_year = 135, .tm_mon = 11, .tm_mday = 19, .tm_hour = 2,
			 .tm_min = 51, .tm_sec = 39 };
	json_t *root;
	const char *cert_pem, *key_pem;
	struct ds_cert_req req = { .org_name = "Dstack", .subject = "Dstack KMS CA", .ca_level = 1,
				   .has_not_before = 1, .not_before = DS_CERT_DEFAULT_NOT_BEFORE,
				   .has_not_after = 1, .not_after = timegm(&na) };
	const ASN1_OCTET_STRING *ski;
	X509 *upstream, *mine;
	uint8_t d[32];
	struct ds_ca ca;

	(void)state;
	load_fixture("simulator-appkeys.json", &file);
	root = json_loadb((char *)file.data, file.len, 0, NULL);
	cert_pem = json_str(root, "ca_cert", NULL, NULL);
	key_pem = json_str(root, "key_provider", "None", "key");
	assert_int_equal(ds_ca_load(cert_pem, strlen(cert_pem), key_pem, strlen(key_pem), &ca), 0);
	assert_int_equal(ds_p256_scalar(ca.key, d), 0);
	assert_hex(d, 32, "d4f60214a61f0e651fbf97e4b2da696ac7f898f1aa9f3d1f1282c49c6c7c0a72");
	req.key = ca.key;
	assert_int_equal(ds_cert_build(&req, NULL, NULL, &mine), 0);
	assert_int_equal(ds_cert_from_pem(cert_pem, strlen(cert_pem), &upstream), 0);
	want = tbs_der(upstream);
	got = tbs_der(mine);
	assert_int_equal(want.len, 324);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	ski = X509_get0_subject_key_id(mine);
	assert_hex(ASN1_STRING_get0_data(ski), 20, "7af8c9f9564fbc3c472767a38de21a51830c7047");
	/* The self-signed certificate verifies with its own key. */
	assert_int_equal(X509_verify(mine, ca.key), 1);
	X509_free(upstream);
	X509_free(mine);
	ds_ca_free(&ca);
	ds_buf_free(&want);
	ds_buf_free(&got);
	ds_buf_free(&file);
	json_decref(root);
}

static void test_extension_encoding(void **state)
{
	X509_EXTENSION *ext;
	unsigned char *der = NULL;
	int len;

	(void)state;
	assert_int_equal(ds_ratls_ext_new(DS_RATLS_CERT_USAGE, "app:custom", 10, &ext), 0);
	len = i2d_X509_EXTENSION(ext, &der);
	assert_hex(der, (size_t)len, "301a060a2b0601040183e73d0104040c040a6170703a637573746f6d");
	OPENSSL_free(der);
	X509_EXTENSION_free(ext);
}

/* Lists the extension OIDs of x as dotted text joined by spaces. */
static void ext_oids(X509 *x, char *out, size_t size)
{
	size_t pos = 0;

	out[0] = '\0';
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		char oid[64];

		OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(X509_get_ext(x, i)), 1);
		pos += (size_t)snprintf(out + pos, size - pos, "%s%s", i ? " " : "", oid);
	}
}

/* A self-signed certificate of req with a fresh key (returned in *key). */
static X509 *build_with_new_key(struct ds_cert_req *req, EVP_PKEY **key)
{
	X509 *x;

	assert_int_equal(ds_p256_generate(key), 0);
	req->key = *key;
	assert_int_equal(ds_cert_build(req, NULL, NULL, &x), 0);
	return x;
}

static void test_request_fields_and_parse_back(void **state)
{
	static const char *const sans[] = { "example.com", "10.0.0.1", "::1" };
	struct ds_cert_req req = { .org_name = "Org", .subject = "leaf", .alt_names = sans,
				   .alt_names_len = 3, .ca_level = DS_CERT_NOT_CA,
				   .usage_server_auth = 1, .usage_client_auth = 1,
				   .app_id = DS_SLICE("\x01\x02", 2), .app_info = DS_SLICE("\x99", 1),
				   .special_usage = "app:custom", .attestation = DS_SLICE("\x00\x01", 2) };
	struct ds_buf b = { 0 };
	char oids[512], *usage;
	EVP_PKEY *key;
	X509 *x;
	int found;

	(void)state;
	x = build_with_new_key(&req, &key);
	ext_oids(x, oids, sizeof(oids));
	assert_string_equal(oids, "2.5.29.17 2.5.29.15 2.5.29.37 1.3.6.1.4.1.62397.1.3 "
				  "1.3.6.1.4.1.62397.1.9 1.3.6.1.4.1.62397.1.4 1.3.6.1.4.1.62397.1.8");
	assert_int_equal(X509_get_extended_key_usage(x), XKU_SSL_SERVER | XKU_SSL_CLIENT);
	assert_int_equal(X509_check_host(x, "example.com", 0, 0, NULL), 1);
	assert_int_equal(X509_check_ip_asc(x, "10.0.0.1", 0), 1);
	assert_int_equal(X509_check_ip_asc(x, "::1", 0), 1);
	assert_int_equal(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
	assert_int_equal(X509_check_ca(x), 0);
	assert_int_equal(ds_ratls_ext_get(x, DS_RATLS_APP_ID, &b, &found), 0);
	assert_true(found);
	assert_int_equal(b.len, 2);
	assert_memory_equal(b.data, "\x01\x02", 2);
	ds_buf_free(&b);
	assert_int_equal(ds_ratls_ext_get(x, DS_RATLS_APP_INFO, &b, &found), 0);
	assert_memory_equal(b.data, "\x99", 1);
	ds_buf_free(&b);
	assert_int_equal(ds_ratls_get_special_usage(x, &usage), 0);
	assert_string_equal(usage, "app:custom");
	free(usage);
	assert_int_equal(ds_ratls_ext_get(x, DS_RATLS_TDX_QUOTE, &b, &found), 0);
	assert_false(found);
	assert_null(b.data);
	X509_free(x);

	/* Without SAN, EKU, CA or custom data there is no extension at all. */
	memset(&req, 0, sizeof(req));
	req = (struct ds_cert_req){ .key = key, .subject = "bare", .ca_level = DS_CERT_NOT_CA };
	assert_int_equal(ds_cert_build(&req, NULL, NULL, &x), 0);
	assert_int_equal(X509_get_ext_count(x), 0);
	assert_int_equal(ds_ratls_get_special_usage(x, &usage), 0);
	assert_null(usage);
	X509_free(x);
	/* Non-ASCII DNS names and bad CA levels are refused. */
	req.alt_names = (const char *const[]){ "\xc3\xa9.example" };
	req.alt_names_len = 1;
	assert_int_not_equal(ds_cert_build(&req, NULL, NULL, &x), 0);
	assert_null(x);
	req.alt_names_len = 0;
	req.ca_level = 256;
	assert_int_not_equal(ds_cert_build(&req, NULL, NULL, &x), 0);
	EVP_PKEY_free(key);
}

/* A certificate with a custom extension added twice, or holding raw bytes
 * instead of a wrapped OCTET STRING, is rejected on read. */
static void test_malformed_extensions(void **state)
{
	struct ds_cert_req req = { .subject = "x", .ca_level = DS_CERT_NOT_CA,
				   .special_usage = "kms:rpc" };
	ASN1_OCTET_STRING *raw = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext;
	ASN1_OBJECT *obj;
	struct ds_buf b;
	EVP_PKEY *key;
	char *usage;
	X509 *x;
	int found;

	(void)state;
	x = build_with_new_key(&req, &key);
	assert_int_equal(ds_ratls_ext_new(DS_RATLS_CERT_USAGE, "app:ca", 6, &ext), 0);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
	assert_int_not_equal(ds_ratls_get_special_usage(x, &usage), 0);
	assert_null(usage);
	X509_free(x);

	req.special_usage = NULL;
	req.usage_client_auth = 1;
	assert_int_equal(ds_cert_build(&req, NULL, NULL, &x), 0);
	ASN1_OCTET_STRING_set(raw, (const unsigned char *)"kms:rpc", 7);
	obj = OBJ_txt2obj("1.3.6.1.4.1.62397.1.4", 1);
	ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, raw);
	ASN1_OBJECT_free(obj);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	assert_int_not_equal(ds_ratls_ext_get(x, DS_RATLS_CERT_USAGE, &b, &found), 0);
	X509_EXTENSION_free(ext);
	X509_free(x);

	/* Invalid UTF-8 in the usage string. */
	req.special_usage = "bad\xff";
	assert_int_equal(ds_cert_build(&req, NULL, NULL, &x), 0);
	assert_int_not_equal(ds_ratls_get_special_usage(x, &usage), 0);
	assert_string_equal(ds_err_msg(0), "Failed to decode special usage as utf8");
	X509_free(x);
	ASN1_OCTET_STRING_free(raw);
	EVP_PKEY_free(key);
}

static int run(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_in(const char *dir, const char *name, const struct ds_buf *b)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(ds_write_file_atomic(path, b->data, b->len, 0600), 0);
}

static void read_quote_report_data(X509 *x, uint8_t rd[64])
{
	struct ds_evidence ev;
	int found;

	assert_int_equal(ds_ratls_get_evidence(x, &ev, &found), 0);
	assert_true(found);
	assert_int_equal(ev.attestation.len, fa.template.len);
	memcpy(rd, ev.attestation.data + QUOTE_REPORT_DATA, 64);
	ds_evidence_free(&ev);
}

static void test_ca_and_ratls_chain(void **state)
{
	struct ds_cert_pair ca = { 0 }, leaf = { 0 };
	char dir[64], cmd[2048], *usage;
	uint8_t rd[64];
	X509 *ca_x, *leaf_x;

	(void)state;
	tmpdir_create(dir, "cert");
	fa.calls = 0;
	assert_int_equal(ds_ca_cert_generate(1, &attester, &ca), 0);
	assert_int_equal(ds_ra_cert_generate_pem((char *)ca.cert_pem.data, ca.cert_pem.len,
						 (char *)ca.key_pem.data, ca.key_pem.len, &attester,
						 &leaf), 0);
	assert_int_equal(fa.calls, 2);
	assert_non_null(strstr((char *)leaf.key_pem.data, "-----BEGIN PRIVATE KEY-----\n"));
	write_in(dir, "ca.pem", &ca.cert_pem);
	write_in(dir, "leaf.pem", &leaf.cert_pem);
	snprintf(cmd, sizeof(cmd),
		 "openssl x509 -in %s/ca.pem -noout -text >%s/ca.txt && "
		 "openssl x509 -in %s/leaf.pem -noout -text >%s/leaf.txt && "
		 "grep -q 'Subject: CN = App Root CA' %s/ca.txt && "
		 "grep -q 'CA:TRUE, pathlen:1' %s/ca.txt && "
		 "grep -q 'Digital Signature, Certificate Sign, CRL Sign' %s/ca.txt && "
		 "grep -q 'Issuer: CN = App Root CA' %s/leaf.txt && "
		 "grep -q 'Subject: CN = RA-TLS TEMP Cert' %s/leaf.txt && "
		 "grep -q '1.3.6.1.4.1.62397.1.8:' %s/leaf.txt && "
		 "openssl verify -CAfile %s/ca.pem %s/ca.pem >/dev/null && "
		 "openssl verify -CAfile %s/ca.pem %s/leaf.pem >/dev/null",
		 dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir);
	assert_int_equal(run(cmd), 0);
	/* A leaf signed by an unrelated CA does not verify against this one. */
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=other "
		 "-keyout %s/o.key -out %s/o.pem 2>/dev/null && "
		 "! openssl verify -CAfile %s/o.pem %s/leaf.pem >/dev/null 2>&1", dir, dir, dir, dir);
	assert_int_equal(run(cmd), 0);
	assert_int_equal(tmpdir_remove(dir), 0);

	/* The quote in each certificate binds that certificate's key. */
	assert_int_equal(ds_cert_from_pem((char *)ca.cert_pem.data, ca.cert_pem.len, &ca_x), 0);
	assert_int_equal(ds_cert_from_pem((char *)leaf.cert_pem.data, leaf.cert_pem.len, &leaf_x), 0);
	read_quote_report_data(leaf_x, rd);
	assert_int_equal(ds_ratls_check_binding(leaf_x, DS_TAG_RATLS_CERT, rd), 0);
	assert_int_not_equal(ds_ratls_check_binding(ca_x, DS_TAG_RATLS_CERT, rd), 0);
	assert_string_equal(ds_err_msg(0), "report data mismatch");
	read_quote_report_data(ca_x, rd);
	assert_int_equal(ds_ratls_check_binding(ca_x, DS_TAG_KMS_ROOT_CA, rd), 0);
	assert_int_not_equal(ds_ratls_check_binding(ca_x, DS_TAG_RATLS_CERT, rd), 0);
	memset(rd, 0, 64);
	assert_int_not_equal(ds_ratls_check_binding(leaf_x, DS_TAG_RATLS_CERT, rd), 0);
	assert_int_equal(ds_ratls_get_special_usage(leaf_x, &usage), 0);
	assert_null(usage);
	assert_int_equal(X509_check_ca(leaf_x), 0);
	assert_int_equal(X509_get_key_usage(leaf_x), KU_DIGITAL_SIGNATURE);
	X509_free(ca_x);
	X509_free(leaf_x);
	ds_cert_pair_free(&ca);
	ds_cert_pair_free(&leaf);
}

static void test_legacy_evidence_and_failures(void **state)
{
	struct ds_cert_req req = { .subject = "old", .ca_level = DS_CERT_NOT_CA,
				   .quote = DS_SLICE("q", 1) };
	const struct ds_attester failing = { failing_attest, NULL };
	struct ds_cert_pair ca = { 0 }, leaf = { 0 };
	struct ds_buf other_key = { 0 };
	struct ds_evidence ev;
	char oids[256];
	EVP_PKEY *key;
	X509 *x;
	int found;

	(void)state;
	fa.legacy = 1;
	assert_int_equal(ds_ca_cert_generate(0, &attester, &ca), 0);
	fa.legacy = 0;
	assert_int_equal(ds_cert_from_pem((char *)ca.cert_pem.data, ca.cert_pem.len, &x), 0);
	ext_oids(x, oids, sizeof(oids));
	assert_string_equal(oids, "2.5.29.15 2.5.29.14 2.5.29.19 1.3.6.1.4.1.62397.1.1 "
				  "1.3.6.1.4.1.62397.1.2");
	assert_int_equal(ds_ratls_get_evidence(x, &ev, &found), 0);
	assert_true(found);
	assert_null(ev.attestation.data);
	assert_int_equal(ev.quote.len, 5010);
	assert_int_equal(ev.event_log.len, 2);
	assert_int_equal(ds_ratls_check_binding(x, DS_TAG_KMS_ROOT_CA,
						ev.quote.data + QUOTE_REPORT_DATA - 4), 0);
	ds_evidence_free(&ev);
	X509_free(x);

	/* A quote without its event log. */
	x = build_with_new_key(&req, &key);
	assert_int_not_equal(ds_ratls_get_evidence(x, &ev, &found), 0);
	assert_string_equal(ds_err_msg(0), "TDX event log missing");
	X509_free(x);

	/* No attestation: no certificate; a CA key that is not the CA's. */
	assert_int_not_equal(ds_ca_cert_generate(1, &failing, &leaf), 0);
	assert_string_equal(ds_err_msg(0), "Failed to get attestation");
	assert_null(leaf.cert_pem.data);
	assert_int_equal(ds_p256_pkcs8_pem(key, &other_key), 0);
	assert_int_not_equal(ds_ra_cert_generate_pem((char *)ca.cert_pem.data, ca.cert_pem.len,
						     (char *)other_key.data, other_key.len,
						     &attester, &leaf), 0);
	ds_buf_wipe(&other_key);
	assert_string_equal(ds_err_msg(0), "CA certificate does not match private key");
	assert_int_not_equal(ds_ra_cert_generate_pem("junk", 4, (char *)ca.key_pem.data,
						     ca.key_pem.len, &attester, &leaf), 0);
	EVP_PKEY_free(key);
	ds_cert_pair_free(&ca);
	ds_cert_pair_free(&leaf);
}

static void test_report_data(void **state)
{
	static const struct { uint8_t fill; const char *rd; } roots[] = {
		{ 0xff, "fde2cc0efa32b737e7d75594efc6d1389630ecfc0b3faad943a0e7f33263ef24"
			"508b584c27c6c51af967e57e4447f023708116f1a34167ea1c546c618ffd2ae4" },
		{ 0x01, "0f086ae7a88cdc127e188576de77677264b3b1d60056347f3d9e867e99acd9dd"
			"e7b63d71cff19531db8b9d02f6a0015e6a1ec81a6ff832dffdff06d8449ed4b6" },
	};
	struct ds_slice ctx[] = { DS_SLICE_STR("app-key") };
	uint8_t rd[64], content[64], seed[32];
	static const uint8_t zero32[32];
	EVP_PKEY *key;

	(void)state;
	assert_int_equal(ds_report_data(DS_TAG_APP_DATA, (const uint8_t *)"test content", 12, rd), 0);
	assert_hex(rd, 64, "7ea0b744ed5e9c0c83ff9f575668e1697652cd349f2027cdf26f918d4c53e8cd"
			   "50b5ea9b449b4c3d50e20ae00ec29688d5a214e8daff8a10041f5d624dae8a01");
	assert_int_equal(ds_report_data_with_hash("", DS_TAG_APP_DATA,
						  (const uint8_t *)"test content", 12, content), 0);
	assert_memory_equal(rd, content, 64);
	/* Shorter hashes are zero-padded; keccak256 is not SHA3-256. */
	assert_int_equal(ds_report_data_with_hash("keccak256", "t", (const uint8_t *)"c", 1, rd), 0);
	assert_memory_equal(rd + 32, zero32, 32);
	assert_int_equal(ds_report_data_with_hash("sha3-256", "t", (const uint8_t *)"c", 1, content), 0);
	assert_memory_not_equal(rd, content, 32);
	assert_int_equal(ds_report_data_with_hash("keccak512", "t", (const uint8_t *)"c", 1, rd), 0);
	assert_memory_not_equal(rd + 32, zero32, 32);
	for (int i = 0; i < 64; i++)
		content[i] = (uint8_t)i;
	assert_int_equal(ds_report_data_with_hash("raw", "ignored", content, 64, rd), 0);
	assert_memory_equal(rd, content, 64);
	assert_int_not_equal(ds_report_data_with_hash("raw", "t", content, 63, rd), 0);
	assert_int_not_equal(ds_report_data_with_hash("md5", "t", content, 1, rd), 0);
	assert_string_equal(ds_err_msg(0), "invalid hash algorithm");
	/* App Root Cert report data of seed-derived app keys (spec 8.8). */
	for (size_t i = 0; i < 2; i++) {
		for (int j = 0; j < 32; j++)
			seed[j] = roots[i].fill == 0xff ? (uint8_t)j : roots[i].fill;
		assert_int_equal(ds_p256_derive_from_bytes(seed, 32, ctx, 1, &key), 0);
		assert_int_equal(ds_report_data_for_key(DS_TAG_RATLS_CERT, key, rd), 0);
		assert_hex(rd, 64, roots[i].rd);
		EVP_PKEY_free(key);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rebuild_simulator_ca),
		cmocka_unit_test(test_extension_encoding),
		cmocka_unit_test(test_request_fields_and_parse_back),
		cmocka_unit_test(test_malformed_extensions),
		cmocka_unit_test(test_ca_and_ratls_chain),
		cmocka_unit_test(test_legacy_evidence_and_failures),
		cmocka_unit_test(test_report_data),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
