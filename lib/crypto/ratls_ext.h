/* The dstack certificate extensions under 1.3.6.1.4.1.62397.1 (spec
 * crypto-and-certs.md 2.2): non-critical, payload wrapped twice, i.e.
 * extnValue = DER(OCTET STRING { payload }). Building and reading back. */
#ifndef DS_CRYPTO_RATLS_EXT_H
#define DS_CRYPTO_RATLS_EXT_H

#include <openssl/x509.h>
#include <stddef.h>

#include "util/buf.h"

/* The last arc of each OID. */
enum ds_ratls_oid {
	DS_RATLS_TDX_QUOTE = 1,     /* raw TDX quote (v0.5.4 writer) */
	DS_RATLS_EVENT_LOG = 2,     /* compact JSON event log (v0.5.4 writer) */
	DS_RATLS_APP_ID = 3,        /* raw app id */
	DS_RATLS_CERT_USAGE = 4,    /* UTF-8 special usage: app:custom, app:ca, kms:rpc */
	DS_RATLS_ATTESTATION = 8,   /* VersionedAttestation bytes */
	DS_RATLS_APP_INFO = 9,      /* MessagePack AppInfo */
};

/* Largest payload read back (upstream's attestation decode bound). */
#define DS_RATLS_EXT_MAX (10u << 20)

/* A new non-critical extension carrying payload. */
int ds_ratls_ext_new(enum ds_ratls_oid oid, const void *payload, size_t len,
		     X509_EXTENSION **out);
/* The payload of extension oid. *found is 0 (and out empty) when absent; an
 * extension present twice or not holding exactly one OCTET STRING fails. */
int ds_ratls_ext_get(X509 *cert, enum ds_ratls_oid oid, struct ds_buf *out, int *found);
/* The special usage string, NULL when absent; must be valid UTF-8 without
 * NUL. The caller frees it. */
int ds_ratls_get_special_usage(X509 *cert, char **usage);

/* The attestation evidence a certificate carries: HEAD's container (1.8) or
 * the v0.5.4 quote (1.1) with its event log (1.2). */
struct ds_evidence {
	struct ds_buf attestation;
	struct ds_buf quote;
	struct ds_buf event_log;
};

void ds_evidence_free(struct ds_evidence *e);
/* Reads the evidence as upstream does: 1.8 if present; else 1.1, which then
 * requires 1.2 ("TDX event log missing"); *found 0 when neither exists. */
int ds_ratls_get_evidence(X509 *cert, struct ds_evidence *out, int *found);

#endif
