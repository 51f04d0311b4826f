/* The guest side of a dstack KMS (spec system-setup.md 4.2, 6.4). App keys:
 * GetTempCaCert over TLS, an RA-TLS client certificate signed by the temp
 * CA, then GetAppKey over mutual TLS trusting only the KMS root CA; used by
 * setup (with vm_config and the kms:rpc usage check) and by get-keys.
 * Certificates: SignCert over the same kind of session, made from the temp
 * CA cached in the app keys (cert-client's Kms variant); used by the guest
 * agent's GetTlsKey. */
#ifndef DS_KMS_KMS_CLIENT_H
#define DS_KMS_KMS_CLIENT_H

#include <jansson.h>

#include "crypto/appkeys.h"
#include "crypto/ratls.h"
#include "rpc/prpc.h"
#include "util/buf.h"

#define DS_KMS_TIMEOUT_MS 60000L
#define DS_KMS_RESPONSE_MAX (1u << 20)
#define DS_KMS_RPC_USAGE "kms:rpc"
/* Most certificates accepted in a SignCert answer (upstream: 3). */
#define DS_KMS_CHAIN_MAX 8

struct ds_kms_opts {
	const char *vm_config;          /* GetAppKeyRequest.vm_config ("" for get-keys) */
	const char *root_ca_pem;        /* trust of the first call; NULL: none (upstream) */
	int check_rpc_usage;            /* server leaf must carry usage kms:rpc */
	const struct ds_attester *att;  /* evidence of the client certificate */
};

/* url is the prpc base (ending in /prpc). On success out holds the app keys
 * with provider Kms{url, pubkey = SPKI of the KMS root CA, temp CA pair} and
 * os_image_hash the bytes the KMS returned (possibly empty). */
int ds_kms_get_app_keys(const char *url, const struct ds_kms_opts *opts, struct ds_app_keys *out,
			struct ds_buf *os_image_hash);

/* Parses url as a KMS prpc base; anything but https:// is refused. */
int ds_kms_endpoint(const char *url, struct ds_prpc_endpoint *ep);

/* generate_ra_cert: an RA-TLS client certificate (PEM texts, NUL-terminated)
 * signed by the KMS temp CA, with evidence from att. */
int ds_kms_client_cert(const char *tmp_ca_cert, const char *tmp_ca_key,
		       const struct ds_attester *att, struct ds_cert_pair *out);

/* One call over mutual TLS: client is the RA-TLS client certificate, the
 * server is trusted only through ca_cert (the KMS root) and, with
 * check_usage, its leaf must carry the kms:rpc usage. */
int ds_kms_attested_call(const struct ds_prpc_endpoint *ep, const char *method,
			 const json_t *req, const struct ds_cert_pair *client, const char *ca_cert,
			 int check_usage, json_t **resp);

/* SignCert api_version 2 for csr (a SCALE CertSigningRequestV2 for the key
 * whose SPKI DER is spki) and its signature, from app keys of a Kms provider:
 * an RA-TLS client certificate from the cached temp CA with evidence from
 * att, the server trusted only through keys->ca_cert and required to carry
 * kms:rpc. *chain gets the checked certificate_chain (a JSON array). */
int ds_kms_sign_cert(const struct ds_app_keys *keys, const char *vm_config,
		     const struct ds_attester *att, const struct ds_buf *csr,
		     const struct ds_buf *signature, const uint8_t *spki, size_t spki_len,
		     json_t **chain);

/* The certificate_chain of a SignCertResponse: 1..DS_KMS_CHAIN_MAX strings,
 * the first a PEM certificate for spki (anything else is refused, so no key
 * is handed out with a certificate for another). *chain is a new reference. */
int ds_kms_cert_chain(const json_t *resp, const uint8_t *spki, size_t spki_len, json_t **chain);

/* The SubjectPublicKeyInfo DER of the first certificate in pem. */
int ds_cert_pem_spki(const char *pem, struct ds_buf *out);

#endif
