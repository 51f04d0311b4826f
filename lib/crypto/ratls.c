#include "crypto/ratls.h"
#include "crypto/ossl.h"
#include "crypto/p256.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <string.h>

void ds_cert_pair_free(struct ds_cert_pair *p)
{
	ds_buf_free(&p->cert_pem);
	ds_buf_wipe(&p->key_pem);
}

int ds_cert_pair_save(const struct ds_cert_pair *p, const char *cert_path, const char *key_path)
{
	const struct ds_file_out files[] = {
		{ key_path, p->key_pem.data, p->key_pem.len, 0600 },
		{ cert_path, p->cert_pem.data, p->cert_pem.len, DS_FILE_MODE_PUBLIC },
	};
	int r = ds_write_files_atomic(files, 2);

	return r ? ds_err_ctx(r, "Failed to write the certificate and its private key") : 0;
}

int ds_attest_key(const struct ds_attester *att, const char *tag, EVP_PKEY *key,
		  struct ds_evidence *out)
{
	uint8_t report_data[DS_REPORT_DATA_LEN];
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_report_data_for_key(tag, key, report_data);
	if (r == 0)
		r = att->attest(att->ctx, report_data, out);
	if (r == 0 && !out->attestation.data && !(out->quote.data && out->event_log.data))
		r = ds_err(-EINVAL, "the attester returned no evidence");
	if (r) {
		ds_evidence_free(out);
		return ds_err_ctx(r, "Failed to get attestation");
	}
	return 0;
}

void ds_cert_req_set_evidence(struct ds_cert_req *req, const struct ds_evidence *ev)
{
	if (ev->attestation.data) {
		req->attestation = DS_SLICE(ev->attestation.data, ev->attestation.len);
		return;
	}
	req->quote = DS_SLICE(ev->quote.data, ev->quote.len);
	req->event_log = DS_SLICE(ev->event_log.data, ev->event_log.len);
}

/* Generates (or uses) key, attests it under tag and builds the certificate
 * of req, signed by ca or self-signed. */
static int attested_cert(struct ds_cert_req *req, const char *tag, const struct ds_attester *att,
			 const struct ds_ca *ca, X509 **out)
{
	struct ds_evidence ev;
	int r = ds_attest_key(att, tag, req->key, &ev);

	*out = NULL;
	if (r)
		return r;
	ds_cert_req_set_evidence(req, &ev);
	r = ds_cert_build(req, ca ? ca->cert : NULL, ca ? ca->key : NULL, out);
	ds_evidence_free(&ev);
	return r;
}

/* Fresh key + attested certificate, returned as a PEM pair. */
static int generate_pair(struct ds_cert_req *req, const char *tag, const struct ds_attester *att,
			 const struct ds_ca *ca, struct ds_cert_pair *out)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_p256_generate(&key);
	req->key = key;
	if (r == 0)
		r = attested_cert(req, tag, att, ca, &cert);
	if (r == 0)
		r = ds_cert_pem(cert, &out->cert_pem);
	if (r == 0)
		r = ds_p256_pkcs8_pem(key, &out->key_pem);
	if (r)
		ds_cert_pair_free(out);
	X509_free(cert);
	EVP_PKEY_free(key);
	return r;
}

int ds_ra_cert_generate(const struct ds_ca *ca, const struct ds_attester *att,
			struct ds_cert_pair *out)
{
	struct ds_cert_req req = { .subject = DS_RATLS_CERT_SUBJECT, .ca_level = DS_CERT_NOT_CA };

	return generate_pair(&req, DS_TAG_RATLS_CERT, att, ca, out);
}

int ds_ra_cert_generate_pem(const char *ca_cert_pem, size_t ca_cert_len, const char *ca_key_pem,
			    size_t ca_key_len, const struct ds_attester *att,
			    struct ds_cert_pair *out)
{
	struct ds_ca ca;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_ca_load(ca_cert_pem, ca_cert_len, ca_key_pem, ca_key_len, &ca);
	if (r)
		return r;
	r = ds_ra_cert_generate(&ca, att, out);
	ds_ca_free(&ca);
	return r;
}

int ds_ca_cert_generate(uint8_t ca_level, const struct ds_attester *att, struct ds_cert_pair *out)
{
	struct ds_cert_req req = { .subject = DS_CA_CERT_SUBJECT, .ca_level = ca_level };

	return generate_pair(&req, DS_TAG_KMS_ROOT_CA, att, NULL, out);
}

int ds_app_root_cert(EVP_PKEY *app_key, uint8_t ca_level, const struct ds_attester *att,
		     struct ds_buf *cert_pem)
{
	struct ds_cert_req req = { .key = app_key, .subject = DS_APP_ROOT_CERT_SUBJECT,
				   .ca_level = ca_level };
	X509 *cert = NULL;
	int r;

	*cert_pem = (struct ds_buf){ 0 };
	r = attested_cert(&req, DS_TAG_RATLS_CERT, att, NULL, &cert);
	if (r == 0)
		r = ds_cert_pem(cert, cert_pem);
	X509_free(cert);
	return r;
}

int ds_ratls_check_binding(X509 *cert, const char *tag,
			   const uint8_t report_data[DS_REPORT_DATA_LEN])
{
	uint8_t want[DS_REPORT_DATA_LEN];
	EVP_PKEY *key = X509_get0_pubkey(cert);
	int r;

	if (!key)
		return ds_ossl_err(-EINVAL, "certificate SubjectPublicKeyInfo is empty");
	r = ds_report_data_for_key(tag, key, want);
	if (r)
		return r;
	if (CRYPTO_memcmp(want, report_data, DS_REPORT_DATA_LEN) != 0)
		return ds_err(-EACCES, "report data mismatch");
	return 0;
}
