/* The mock Intel PKI: root CA -> PCK platform CA -> PCK certificate, P-256
 * keys derived from the seed so that a host holding the same seed derives
 * the same keys and names. Key derivation follows upstream's mock
 * attestation (SHA-256("dstack-mock-p256-v1" || seed || label || counter)).
 * The certificates' ECDSA signatures are randomised by OpenSSL 3.0, so
 * their bytes differ between runs; keys, names and validity do not. */
#include "sim.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NOT_BEFORE 1577836800    /* 2020-01-01T00:00:00Z */
#define NOT_AFTER 4102444800     /* 2100-01-01T00:00:00Z */
#define SERIAL 42

/* The SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1):
 * PPID (16 zero bytes), PCE-ID (2), FMSPC (6), SGX type 0, and TCB
 * {PCESVN 0, CPUSVN 16 zero bytes}: what a DCAP verifier reads from it. */
static const uint8_t pck_sgx_extension[] = {
	0x30, 0x81, 0x9c, 0x30, 0x1e, 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01,
	0x01, 0x04, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x30, 0x10, 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01,
	0x03, 0x04, 0x02, 0x00, 0x00, 0x30, 0x14, 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01,
	0x0d, 0x01, 0x04, 0x04, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0f, 0x06, 0x0a, 0x2a,
	0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01, 0x05, 0x0a, 0x01, 0x00, 0x30, 0x41, 0x06, 0x0a,
	0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01, 0x02, 0x30, 0x33, 0x30, 0x10, 0x06, 0x0b,
	0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01, 0x02, 0x11, 0x02, 0x01, 0x00, 0x30, 0x1f,
	0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01, 0x02, 0x12, 0x04, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static int ossl_fail(const char *what)
{
	return ds_err(-EIO, "OpenSSL: %s failed", what);
}

/* An EVP_PKEY for the P-256 private scalar d (public point computed). */
static EVP_PKEY *p256_from_scalar(const BIGNUM *d)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *pub = group ? EC_POINT_new(group) : NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	uint8_t pub_oct[65];

	if (!pub || !bld || !EC_POINT_mul(group, pub, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, pub_oct, sizeof(pub_oct),
			       NULL) != sizeof(pub_oct) ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_oct, sizeof(pub_oct)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(pub);
	EC_GROUP_free(group);
	return key;
}

/* Hashes with a counter until the result is a valid scalar (1 <= d < n). */
static EVP_PKEY *derive_key(const uint8_t seed[SIM_SEED_LEN], const char *label)
{
	static const char domain[] = "dstack-mock-p256-v1";
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	const BIGNUM *order = group ? EC_GROUP_get0_order(group) : NULL;
	BIGNUM *d = BN_secure_new();
	EVP_PKEY *key = NULL;
	uint8_t h[32];

	for (uint32_t counter = 0; order && d && !key && counter < 16; counter++) {
		const uint8_t be[4] = { counter >> 24, counter >> 16, counter >> 8, counter };
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
			 EVP_DigestUpdate(md, domain, strlen(domain)) &&
			 EVP_DigestUpdate(md, seed, SIM_SEED_LEN) &&
			 EVP_DigestUpdate(md, label, strlen(label)) && EVP_DigestUpdate(md, be, 4) &&
			 EVP_DigestFinal_ex(md, h, NULL);

		EVP_MD_CTX_free(md);
		if (!ok || !BN_bin2bn(h, sizeof(h), d))
			break;
		if (!BN_is_zero(d) && BN_cmp(d, order) < 0)
			key = p256_from_scalar(d);
	}
	OPENSSL_cleanse(h, sizeof(h));
	BN_clear_free(d);
	EC_GROUP_free(group);
	return key;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = ext && X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static int add_pck_ext(X509 *cert)
{
	ASN1_OBJECT *oid = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
	ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext = NULL;
	int ok = oid && value &&
		 ASN1_OCTET_STRING_set(value, pck_sgx_extension, sizeof(pck_sgx_extension)) &&
		 (ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, value)) && X509_add_ext(cert, ext, -1);

	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(value);
	ASN1_OBJECT_free(oid);
	return ok;
}

enum cert_kind { CERT_CA, CERT_PCK };

/* A certificate for key named cn, signed by issuer_key (self-signed when
 * issuer is NULL). */
static X509 *make_cert(const char *cn, EVP_PKEY *key, enum cert_kind kind, X509 *issuer,
		       EVP_PKEY *issuer_key)
{
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();
	int ok = cert && name && X509_set_version(cert, X509_VERSION_3) &&
		 ASN1_INTEGER_set(X509_get_serialNumber(cert), SERIAL) &&
		 ASN1_TIME_set(X509_getm_notBefore(cert), NOT_BEFORE) &&
		 ASN1_TIME_set(X509_getm_notAfter(cert), NOT_AFTER) &&
		 X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1,
					    -1, 0) &&
		 X509_set_subject_name(cert, name) &&
		 X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name) &&
		 X509_set_pubkey(cert, key);

	issuer = issuer ? issuer : cert;
	ok = ok && add_ext(cert, issuer, NID_subject_alt_name, "DNS:mock.dstack.invalid") &&
	     add_ext(cert, issuer, NID_subject_key_identifier, "hash") &&
	     add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always");
	if (kind == CERT_CA)
		ok = ok && add_ext(cert, issuer, NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
	else
		ok = ok && add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature") &&
		     add_ext(cert, issuer, NID_ext_key_usage, "serverAuth") && add_pck_ext(cert);
	ok = ok && X509_sign(cert, issuer_key, EVP_sha256()) > 0;
	X509_NAME_free(name);
	if (!ok) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

static int append_pem(X509 *cert, char **pem, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *grown;
	long n;
	int ok = bio && PEM_write_bio_X509(bio, cert);

	n = ok ? BIO_get_mem_data(bio, &data) : 0;
	grown = n > 0 ? realloc(*pem, *len + (size_t)n + 1) : NULL;
	if (grown) {
		memcpy(grown + *len, data, (size_t)n);
		*len += (size_t)n;
		grown[*len] = '\0';
		*pem = grown;
	}
	BIO_free(bio);
	return grown ? 0 : ossl_fail("PEM encoding");
}

int sim_pki_derive(const uint8_t seed[SIM_SEED_LEN], struct sim_pki *pki)
{
	EVP_PKEY *root_key = derive_key(seed, "tdx-root");
	EVP_PKEY *ca_key = derive_key(seed, "tdx-pck-ca");
	EVP_PKEY *pck_key = derive_key(seed, "tdx-pck");
	X509 *root = NULL, *ca = NULL, *pck = NULL;
	size_t root_len = 0;
	int r;

	*pki = (struct sim_pki){ 0 };
	if (root_key && ca_key && pck_key) {
		root = make_cert("Mock Intel SGX Root CA", root_key, CERT_CA, NULL, root_key);
		ca = root ? make_cert("Mock Intel SGX PCK Platform CA", ca_key, CERT_CA, root, root_key) : NULL;
		pck = ca ? make_cert("Mock Intel SGX PCK Certificate", pck_key, CERT_PCK, ca, ca_key) : NULL;
	}
	r = pck ? 0 : ossl_fail("mock PKI generation");
	r = r ?: append_pem(pck, &pki->chain_pem, &pki->chain_len);
	r = r ?: append_pem(ca, &pki->chain_pem, &pki->chain_len);
	r = r ?: append_pem(root, &pki->chain_pem, &pki->chain_len);
	r = r ?: append_pem(root, &pki->root_pem, &root_len);
	if (r == 0) {
		pki->pck_key = pck_key;
		pck_key = NULL;
	} else {
		sim_pki_free(pki);
	}
	X509_free(pck);
	X509_free(ca);
	X509_free(root);
	EVP_PKEY_free(pck_key);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(root_key);
	return r;
}

void sim_pki_free(struct sim_pki *pki)
{
	EVP_PKEY_free(pki->pck_key);
	free(pki->root_pem);
	free(pki->chain_pem);
	*pki = (struct sim_pki){ 0 };
}

/* The trust anchors a development guest's verifiers read: the directory is
 * tightened to 0700 even when it existed, the files are 0600. */
int sim_pki_publish(const struct sim_pki *pki, const char *runtime_dir)
{
	char dir[PATH_MAX], root_path[PATH_MAX + 32], roots_path[PATH_MAX + 32];
	json_t *roots = NULL;
	char *json = NULL;
	int r = ds_mkdir_p(runtime_dir, 0755);

	if (r)
		return ds_err_ctx(r, "failed to create the runtime directory");
	if (!realpath(runtime_dir, dir))
		return ds_err(-errno, "%s: %s", runtime_dir, strerror(errno));
	strncat(dir, "/attestation", sizeof(dir) - strlen(dir) - 1);
	r = ds_mkdir_p(dir, 0700);
	if (r == 0 && chmod(dir, 0700) < 0)
		r = ds_err(-errno, "chmod %s: %s", dir, strerror(errno));
	if (r)
		return ds_err_ctx(r, "failed to create the trust anchor directory");
	snprintf(root_path, sizeof(root_path), "%s/tdx-root-ca.pem", dir);
	snprintf(roots_path, sizeof(roots_path), "%s/roots.json", dir);
	/* Upstream's RootCaPaths: absent platforms are simply omitted. */
	roots = json_pack("{s:s}", "tdx", root_path);
	json = roots ? json_dumps(roots, JSON_INDENT(2)) : NULL;
	r = json ? 0 : ds_err(-ENOMEM, "out of memory");
	r = r ?: ds_write_file_atomic(root_path, pki->root_pem, strlen(pki->root_pem), 0600);
	r = r ?: ds_write_file_atomic(roots_path, json, strlen(json), 0600);
	free(json);
	json_decref(roots);
	return r ? ds_err_ctx(r, "failed to publish the mock root certificate") : 0;
}

int sim_sign(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[80];
	const uint8_t *p = der;
	size_t der_len = sizeof(der);
	ECDSA_SIG *s = NULL;
	int ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
		 EVP_DigestSign(md, der, &der_len, msg, len) > 0 &&
		 (s = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) &&
		 BN_bn2binpad(ECDSA_SIG_get0_r(s), sig, 32) == 32 &&
		 BN_bn2binpad(ECDSA_SIG_get0_s(s), sig + 32, 32) == 32;

	ECDSA_SIG_free(s);
	EVP_MD_CTX_free(md);
	return ok ? 0 : ossl_fail("ECDSA signing");
}
