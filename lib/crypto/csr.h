/* Certificate signing requests for the KMS SignCert call (spec
 * crypto-and-certs.md 2.6): CertSigningRequestV2 in SCALE, signed with
 * ECDSA P-256/SHA-256 (ASN.1 DER) by the key the certificate is for. */
#ifndef DS_CRYPTO_CSR_H
#define DS_CRYPTO_CSR_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct ds_csr_config {
	const char *org_name;              /* NULL: None */
	const char *subject;
	const char *const *sans;
	size_t n_sans;
	int usage_server_auth, usage_client_auth, ext_quote, ext_app_info;
	const uint64_t *not_before, *not_after; /* NULL: None (seconds since the epoch) */
};

/* confirm "please sign cert:", pubkey (SPKI DER), config, then the encoded
 * versioned attestation appended raw (it is the last field). */
int ds_csr_v2_encode(const uint8_t *pubkey, size_t pubkey_len, const struct ds_csr_config *cfg,
		     const uint8_t *attestation, size_t attestation_len, struct ds_buf *out);
/* The request's signature: ECDSA P-256/SHA-256 over the SCALE bytes. */
int ds_csr_sign(EVP_PKEY *key, const struct ds_buf *csr, struct ds_buf *signature);

#endif
