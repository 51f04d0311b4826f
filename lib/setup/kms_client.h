/* App keys from a dstack KMS (spec system-setup.md 4.2, 6.4): GetTempCaCert
 * over TLS, an RA-TLS client certificate signed by the temp CA, then
 * GetAppKey over mutual TLS trusting only the KMS root CA. Used by setup
 * (with vm_config and the kms:rpc usage check) and by get-keys. */
#ifndef DS_SETUP_KMS_CLIENT_H
#define DS_SETUP_KMS_CLIENT_H

#include "crypto/appkeys.h"
#include "crypto/ratls.h"
#include "util/buf.h"

#define DS_KMS_TIMEOUT_MS 60000L
#define DS_KMS_RESPONSE_MAX (1u << 20)
#define DS_KMS_RPC_USAGE "kms:rpc"

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

/* The SubjectPublicKeyInfo DER of the first certificate in pem. */
int ds_cert_pem_spki(const char *pem, struct ds_buf *out);

#endif
