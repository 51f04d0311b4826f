/* RA-TLS and the other attested certificates dstack-util makes (spec
 * crypto-and-certs.md 1.10, 2.3-2.5): a fresh or given P-256 key, report data
 * SHA512(tag ":" SPKI), evidence for that report data from an attester, and
 * the certificate carrying it. */
#ifndef DS_CRYPTO_RATLS_H
#define DS_CRYPTO_RATLS_H

#include <openssl/x509.h>
#include <stdint.h>

#include "crypto/cert.h"
#include "crypto/ratls_ext.h"
#include "crypto/report_data.h"
#include "util/buf.h"

#define DS_RATLS_CERT_SUBJECT "RA-TLS TEMP Cert"
#define DS_CA_CERT_SUBJECT "App Root CA"
#define DS_APP_ROOT_CERT_SUBJECT "App Root Cert"

/* The source of attestation evidence (the local TDX quote and event log).
 * attest fills out with evidence whose report data is report_data: HEAD
 * form = out->attestation holding VersionedAttestation::into_stripped()
 * bytes (embedded as is under OID .1.8); v0.5.4 form = out->quote and
 * out->event_log (OIDs .1.1 and .1.2). */
struct ds_attester {
	int (*attest)(void *ctx, const uint8_t report_data[DS_REPORT_DATA_LEN],
		      struct ds_evidence *out);
	void *ctx;
};

/* This guest's attestation (TDX quote, event log, runtime events and the
 * host-shared vm_config), stripped, in the HEAD form. */
extern const struct ds_attester ds_local_attester;

/* A certificate and its private key, both as PEM text. */
struct ds_cert_pair {
	struct ds_buf cert_pem;
	struct ds_buf key_pem;      /* secret: ds_cert_pair_free wipes it */
};

void ds_cert_pair_free(struct ds_cert_pair *p);
/* Writes the key (0600) and then the certificate (0666 less the umask), each atomically;
 * if the certificate cannot be written the new key file is removed. */
int ds_cert_pair_save(const struct ds_cert_pair *p, const char *cert_path, const char *key_path);

/* The evidence for key under tag: report data SHA512(tag ":" SPKI(key)). */
int ds_attest_key(const struct ds_attester *att, const char *tag, EVP_PKEY *key,
		  struct ds_evidence *out);
/* Sets req's attestation (or quote and event log) from ev. */
void ds_cert_req_set_evidence(struct ds_cert_req *req, const struct ds_evidence *ev);

/* generate_ra_cert: a fresh key, evidence for "ratls-cert", and the leaf
 * "CN=RA-TLS TEMP Cert" (digitalSignature, no EKU, not a CA) signed by ca. */
int ds_ra_cert_generate(const struct ds_ca *ca, const struct ds_attester *att,
			struct ds_cert_pair *out);
/* The same from PEM texts of the CA certificate and key (gen-ra-cert). */
int ds_ra_cert_generate_pem(const char *ca_cert_pem, size_t ca_cert_len, const char *ca_key_pem,
			    size_t ca_key_len, const struct ds_attester *att,
			    struct ds_cert_pair *out);
/* gen-ca-cert: a fresh key, evidence for "kms-root-ca", self-signed
 * "CN=App Root CA" with pathLen ca_level. */
int ds_ca_cert_generate(uint8_t ca_level, const struct ds_attester *att, struct ds_cert_pair *out);
/* The App Root Cert of app keys: evidence for "ratls-cert", self-signed
 * "CN=App Root Cert" by app_key with pathLen ca_level. */
int ds_app_root_cert(EVP_PKEY *app_key, uint8_t ca_level, const struct ds_attester *att,
		     struct ds_buf *cert_pem);

/* Checks that report_data (taken by the caller from the verified quote or
 * attestation in cert) is SHA512(tag ":" SPKI of cert): "report data
 * mismatch" otherwise. */
int ds_ratls_check_binding(X509 *cert, const char *tag,
			   const uint8_t report_data[DS_REPORT_DATA_LEN]);

#endif
