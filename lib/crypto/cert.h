/* X.509 certificates encoded as upstream's rcgen 0.13 does (spec
 * crypto-and-certs.md 2.1): hashed serial, UTF8String O/CN, the 9-bit key
 * usage, SAN/EKU/SKI/basicConstraints and the dstack extensions in rcgen's
 * order, ECDSA P-256 with SHA-256. TBS bytes match upstream exactly;
 * signatures are randomized, as upstream's. */
#ifndef DS_CRYPTO_CERT_H
#define DS_CRYPTO_CERT_H

#include <openssl/x509.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/kdf.h"
#include "util/buf.h"

#define DS_CERT_NOT_CA (-1)
/* rcgen's default notBefore, 1975-01-01T00:00:00Z. */
#define DS_CERT_DEFAULT_NOT_BEFORE 157766400
/* Default notAfter is now plus ten 365-day years. */
#define DS_CERT_DEFAULT_VALIDITY (3650 * 86400)

/* What upstream's CertRequest carries. Slices with data NULL are absent. */
struct ds_cert_req {
	EVP_PKEY *key;                  /* subject key; only its public half is used */
	const char *org_name;           /* O=, or NULL */
	const char *subject;            /* CN= */
	const char *const *alt_names;   /* IPv4/IPv6 literals become iPAddress, others dNSName */
	size_t alt_names_len;
	int ca_level;                   /* pathLenConstraint 0..255, or DS_CERT_NOT_CA */
	int usage_server_auth, usage_client_auth;
	struct ds_slice app_id;         /* 1.3.6.1.4.1.62397.1.3 */
	struct ds_slice app_info;       /* .1.9, MessagePack AppInfo */
	const char *special_usage;      /* .1.4, e.g. "app:custom"; NULL for none */
	struct ds_slice attestation;    /* .1.8, stripped VersionedAttestation */
	struct ds_slice quote;          /* .1.1, v0.5.4 form */
	struct ds_slice event_log;      /* .1.2, v0.5.4 form */
	int has_not_before, has_not_after;
	int64_t not_before, not_after;  /* seconds since the epoch, when set */
};

/* Builds and signs a certificate: self-signed by req->key when issuer is
 * NULL (req->key must then hold the private key), else signed by
 * issuer_key with the issuer's subject as issuer name. */
int ds_cert_build(const struct ds_cert_req *req, X509 *issuer, EVP_PKEY *issuer_key, X509 **out);
/* PEM text of a certificate, NUL-terminated in out. */
int ds_cert_pem(X509 *cert, struct ds_buf *out);
/* Parses the first PEM certificate in pem[0..len]. */
int ds_cert_from_pem(const char *pem, size_t len, X509 **out);

/* A CA able to sign: certificate and matching private key. */
struct ds_ca {
	X509 *cert;
	EVP_PKEY *key;
};

/* Loads a CA from PEM texts; the key must be P-256 and match the
 * certificate's public key ("CA certificate does not match private key"). */
int ds_ca_load(const char *cert_pem, size_t cert_len, const char *key_pem, size_t key_len,
	       struct ds_ca *out);
void ds_ca_free(struct ds_ca *ca);

#endif
