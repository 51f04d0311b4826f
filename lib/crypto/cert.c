#include "crypto/cert.h"
#include "crypto/ossl.h"
#include "crypto/p256.h"
#include "crypto/ratls_ext.h"
#include "util/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <time.h>

/* rcgen's serial: SHA256 of the raw public point, 20 bytes, top bit cleared
 * so the INTEGER is positive (leading zero bytes then drop out). */
static int set_serial(X509 *x, EVP_PKEY *key)
{
	uint8_t point[DS_P256_POINT_LEN], h[32];
	ASN1_INTEGER *serial = NULL;
	BIGNUM *bn = NULL;
	int r = ds_p256_public_point(key, point);

	if (r)
		return r;
	if (!EVP_Digest(point, sizeof(point), h, NULL, EVP_sha256(), NULL))
		return ds_ossl_err(-EIO, "SHA-256 failed");
	h[0] &= 0x7f;
	if (!(bn = BN_bin2bn(h, 20, NULL)) || !(serial = BN_to_ASN1_INTEGER(bn, NULL)) ||
	    !X509_set_serialNumber(x, serial))
		r = ds_ossl_err(-ENOMEM, "failed to set the serial number");
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	return r;
}

static int set_subject(X509 *x, const struct ds_cert_req *req)
{
	X509_NAME *name = X509_get_subject_name(x);

	if ((req->org_name &&
	     !X509_NAME_add_entry_by_NID(name, NID_organizationName, V_ASN1_UTF8STRING,
					 (const unsigned char *)req->org_name, -1, -1, 0)) ||
	    !X509_NAME_add_entry_by_NID(name, NID_commonName, V_ASN1_UTF8STRING,
					(const unsigned char *)req->subject, -1, -1, 0))
		return ds_ossl_err(-EINVAL, "failed to set the subject name");
	return 0;
}

static int set_time(ASN1_TIME *t, int64_t when)
{
	/* ASN1_TIME_set picks UTCTime for 1950-2049 and GeneralizedTime
	 * otherwise, as rcgen does. */
	if (when < 0 || !ASN1_TIME_set(t, (time_t)when))
		return ds_ossl_err(-EINVAL, "invalid certificate validity time");
	return 0;
}

static int set_validity(X509 *x, const struct ds_cert_req *req)
{
	int64_t nb = req->has_not_before ? req->not_before : DS_CERT_DEFAULT_NOT_BEFORE;
	int64_t na = req->has_not_after ? req->not_after
					: (int64_t)time(NULL) + DS_CERT_DEFAULT_VALIDITY;
	int r = set_time(X509_getm_notBefore(x), nb);

	return r ? r : set_time(X509_getm_notAfter(x), na);
}

static int push_ext(X509 *x, X509_EXTENSION *ext)
{
	int ok = ext && X509_add_ext(x, ext, -1);

	X509_EXTENSION_free(ext);
	return ok ? 0 : ds_ossl_err(-ENOMEM, "failed to add a certificate extension");
}

static int add_alt_names(X509 *x, const struct ds_cert_req *req)
{
	GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
	int r = names ? 0 : ds_err(-ENOMEM, "out of memory");

	for (size_t i = 0; r == 0 && i < req->alt_names_len; i++) {
		const char *n = req->alt_names[i];
		uint8_t ip[16];
		int family = inet_pton(AF_INET, n, ip) == 1 ? 4 : inet_pton(AF_INET6, n, ip) == 1 ? 16 : 0;
		GENERAL_NAME *gn = GENERAL_NAME_new();
		ASN1_STRING *s = ASN1_STRING_type_new(family ? V_ASN1_OCTET_STRING : V_ASN1_IA5STRING);

		for (const char *c = n; !family && *c; c++)
			if ((unsigned char)*c >= 0x80)
				r = ds_err(-EINVAL, "subject alt name is not ASCII: %s", n);
		if (r == 0 && (!gn || !s ||
			       !ASN1_STRING_set(s, family ? (const void *)ip : n,
						family ? family : (int)strlen(n))))
			r = ds_ossl_err(-ENOMEM, "failed to build a subject alt name");
		if (r == 0) {
			GENERAL_NAME_set0_value(gn, family ? GEN_IPADD : GEN_DNS, s);
			s = NULL;
			if (sk_GENERAL_NAME_push(names, gn))
				gn = NULL;
			else
				r = ds_err(-ENOMEM, "out of memory");
		}
		ASN1_STRING_free(s);
		GENERAL_NAME_free(gn);
	}
	if (r == 0)
		r = push_ext(x, X509V3_EXT_i2d(NID_subject_alt_name, 0, names));
	GENERAL_NAMES_free(names);
	return r;
}

/* rcgen writes key usage as a 9-bit BIT STRING (two content bytes, 7 unused
 * bits); OpenSSL's encoder would trim it, so the value is given raw. */
static int add_key_usage(X509 *x, int ca)
{
	const uint8_t value[5] = { 0x03, 0x03, 0x07, ca ? 0x86 : 0x80, 0x00 };
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	int r;

	if (!os || !ASN1_OCTET_STRING_set(os, value, sizeof(value))) {
		ASN1_OCTET_STRING_free(os);
		return ds_ossl_err(-ENOMEM, "out of memory");
	}
	r = push_ext(x, X509_EXTENSION_create_by_NID(NULL, NID_key_usage, 1, os));
	ASN1_OCTET_STRING_free(os);
	return r;
}

static int add_ext_key_usage(X509 *x, const struct ds_cert_req *req)
{
	EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
	int r = 0;

	if (!eku || (req->usage_server_auth &&
		     !sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_server_auth))) ||
	    (req->usage_client_auth && !sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_client_auth))))
		r = ds_ossl_err(-ENOMEM, "out of memory");
	else
		r = push_ext(x, X509V3_EXT_i2d(NID_ext_key_usage, 0, eku));
	/* The objects are OpenSSL's static table entries: free only the stack. */
	sk_ASN1_OBJECT_free(eku);
	return r;
}

/* SKI = SHA256(SPKI DER)[0..20], then basicConstraints cA with pathLen. */
static int add_ca_extensions(X509 *x, const struct ds_cert_req *req)
{
	uint8_t spki[DS_P256_SPKI_LEN], h[32];
	ASN1_OCTET_STRING *ski = ASN1_OCTET_STRING_new();
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
	int r = ds_p256_spki_der(req->key, spki);

	if (r == 0 && (!ski || !bc || !EVP_Digest(spki, sizeof(spki), h, NULL, EVP_sha256(), NULL) ||
		       !ASN1_OCTET_STRING_set(ski, h, 20) || !(bc->pathlen = ASN1_INTEGER_new()) ||
		       !ASN1_INTEGER_set(bc->pathlen, req->ca_level)))
		r = ds_ossl_err(-ENOMEM, "out of memory");
	/* OpenSSL writes the ca flag as the BOOLEAN's content byte: 0xFF is the
	 * DER TRUE that rcgen writes. */
	if (bc)
		bc->ca = 0xff;
	if (r == 0)
		r = push_ext(x, X509V3_EXT_i2d(NID_subject_key_identifier, 0, ski));
	if (r == 0)
		r = push_ext(x, X509V3_EXT_i2d(NID_basic_constraints, 1, bc));
	ASN1_OCTET_STRING_free(ski);
	BASIC_CONSTRAINTS_free(bc);
	return r;
}

static int add_custom(X509 *x, enum ds_ratls_oid oid, struct ds_slice payload)
{
	X509_EXTENSION *ext;
	int r;

	if (!payload.data)
		return 0;
	r = ds_ratls_ext_new(oid, payload.data, payload.len, &ext);
	return r ? r : push_ext(x, ext);
}

/* The union of upstream's two orders: v0.5.4 writes 1.1, 1.2, 1.3, 1.4 and
 * HEAD writes 1.3, 1.9, 1.4, 1.8. */
static int add_custom_extensions(X509 *x, const struct ds_cert_req *req)
{
	struct ds_slice usage = req->special_usage ? DS_SLICE_STR(req->special_usage)
						   : DS_SLICE(NULL, 0);
	int r = add_custom(x, DS_RATLS_TDX_QUOTE, req->quote);

	if (r == 0)
		r = add_custom(x, DS_RATLS_EVENT_LOG, req->event_log);
	if (r == 0)
		r = add_custom(x, DS_RATLS_APP_ID, req->app_id);
	if (r == 0)
		r = add_custom(x, DS_RATLS_APP_INFO, req->app_info);
	if (r == 0)
		r = add_custom(x, DS_RATLS_CERT_USAGE, usage);
	if (r == 0)
		r = add_custom(x, DS_RATLS_ATTESTATION, req->attestation);
	return r;
}

/* Extensions in rcgen's order. rcgen writes no extensions block at all when
 * only key usage would be in it. */
static int add_extensions(X509 *x, const struct ds_cert_req *req)
{
	int is_ca = req->ca_level != DS_CERT_NOT_CA;
	int has_eku = req->usage_server_auth || req->usage_client_auth;
	int has_custom = req->app_id.data || req->app_info.data || req->special_usage ||
			 req->attestation.data || req->quote.data || req->event_log.data;
	int r = 0;

	if (!req->alt_names_len && !has_eku && !is_ca && !has_custom)
		return 0;
	if (req->alt_names_len)
		r = add_alt_names(x, req);
	if (r == 0)
		r = add_key_usage(x, is_ca);
	if (r == 0 && has_eku)
		r = add_ext_key_usage(x, req);
	if (r == 0 && is_ca)
		r = add_ca_extensions(x, req);
	if (r == 0)
		r = add_custom_extensions(x, req);
	return r;
}

int ds_cert_build(const struct ds_cert_req *req, X509 *issuer, EVP_PKEY *issuer_key, X509 **out)
{
	X509 *x = X509_new();
	int r = 0;

	*out = NULL;
	if (req->ca_level != DS_CERT_NOT_CA && (req->ca_level < 0 || req->ca_level > 255))
		r = ds_err(-EINVAL, "ca_level must be 0..255, got %d", req->ca_level);
	else if (!x || !X509_set_version(x, X509_VERSION_3) || !X509_set_pubkey(x, req->key))
		r = ds_ossl_err(-ENOMEM, "failed to start a certificate");
	if (r == 0)
		r = set_serial(x, req->key);
	if (r == 0)
		r = set_subject(x, req);
	if (r == 0 && !X509_set_issuer_name(x, X509_get_subject_name(issuer ? issuer : x)))
		r = ds_ossl_err(-ENOMEM, "failed to set the issuer name");
	if (r == 0)
		r = set_validity(x, req);
	if (r == 0)
		r = add_extensions(x, req);
	if (r == 0 && !X509_sign(x, issuer ? issuer_key : req->key, EVP_sha256()))
		r = ds_ossl_err(-EIO, "failed to sign the certificate");
	if (r) {
		X509_free(x);
		return ds_err_ctx(r, "failed to build the certificate '%s'", req->subject);
	}
	*out = x;
	return 0;
}

int ds_cert_pem(X509 *cert, struct ds_buf *out)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int r;

	if (!bio || !PEM_write_bio_X509(bio, cert))
		r = ds_ossl_err(-EIO, "failed to encode the certificate as PEM");
	else
		r = ds_bio_text(bio, out);
	BIO_free(bio);
	return r;
}

int ds_cert_from_pem(const char *pem, size_t len, X509 **out)
{
	BIO *bio;

	*out = NULL;
	if (len > INT_MAX)
		return ds_err(-EFBIG, "PEM certificate too large");
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio)
		*out = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return *out ? 0 : ds_ossl_err(-EINVAL, "failed to parse the PEM certificate");
}

void ds_ca_free(struct ds_ca *ca)
{
	X509_free(ca->cert);
	EVP_PKEY_free(ca->key);
	ca->cert = NULL;
	ca->key = NULL;
}

int ds_ca_load(const char *cert_pem, size_t cert_len, const char *key_pem, size_t key_len,
	       struct ds_ca *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_p256_from_pem(key_pem, key_len, &out->key);
	if (r)
		return ds_err_ctx(r, "Failed to parse key");
	r = ds_cert_from_pem(cert_pem, cert_len, &out->cert);
	if (r)
		ds_err_ctx(r, "Failed to parse cert PEM");
	else if (EVP_PKEY_eq(X509_get0_pubkey(out->cert), out->key) != 1)
		r = ds_err(-EINVAL, "CA certificate does not match private key");
	if (r)
		ds_ca_free(out);
	return r;
}
