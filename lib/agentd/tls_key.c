/* GetTlsKey (spec guest-agent-api.md 2.5): a fresh random P-256 key and a
 * leaf certificate for it, signed as upstream's local CSR signing does
 * (crypto-and-certs.md 2.6) by the CA of the app keys: special usage
 * "app:custom" (1.4) always, the app info (1.9) decoded from an attestation
 * binding the key when with_app_info is asked for, and that attestation
 * stripped (1.8) when usage_ra_tls is. With a KMS key provider the KMS signs
 * (cert-client's Kms variant): a CertSigningRequestV2 carrying the full
 * attestation, signed by the new key, sent with SignCert over RA-TLS; the
 * chain it answers (leaf, app CA, KMS root) is returned as is once its leaf
 * is checked to be for the new key. */
#include "agentd/request.h"
#include "attest/app_info.h"
#include "attest/vm_config.h"
#include "crypto/csr.h"
#include "crypto/p256.h"
#include "crypto/ratls.h"
#include "kms/kms_client.h"
#include "util/err.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALT_NAMES 64
#define LOCAL_CERT_USAGE "app:custom"

struct tls_opts {
	const char *subject;
	const char **alt_names;
	size_t n_alt_names;
	int ra_tls, server_auth, client_auth, with_app_info;
	int has_not_before, has_not_after;
	uint64_t not_before, not_after;
};

static int read_opts(const struct ds_agentd_req *req, struct tls_opts *o)
{
	int r;

	r = ds_agentd_req_str(req, "subject", &o->subject);
	r = r ?: ds_agentd_req_strv(req, "alt_names", &o->alt_names, &o->n_alt_names);
	r = r ?: ds_agentd_req_bool(req, "usage_ra_tls", &o->ra_tls);
	r = r ?: ds_agentd_req_bool(req, "usage_server_auth", &o->server_auth);
	r = r ?: ds_agentd_req_bool(req, "usage_client_auth", &o->client_auth);
	r = r ?: ds_agentd_req_opt_u64(req, "not_before", &o->has_not_before, &o->not_before);
	r = r ?: ds_agentd_req_opt_u64(req, "not_after", &o->has_not_after, &o->not_after);
	r = r ?: ds_agentd_req_bool(req, "with_app_info", &o->with_app_info);
	if (r)
		return r;
	if (o->n_alt_names > MAX_ALT_NAMES)
		return ds_err(-EINVAL, "at most %d alt_names", MAX_ALT_NAMES);
	if (o->has_not_before && o->has_not_after && o->not_before >= o->not_after)
		return ds_err(-EINVAL, "not_before must be earlier than not_after");
	if (o->not_before > INT64_MAX || o->not_after > INT64_MAX)
		return ds_err(-EINVAL, "validity out of range");
	return 0;
}

/* The CSR's attestation: this guest's, binding the new key, made for
 * every certificate as upstream does, whatever the options. */
static int key_attestation(const struct ds_agentd *a, EVP_PKEY *key, struct ds_attestation *out)
{
	uint8_t report_data[DS_REPORT_DATA_LEN];
	int r = ds_report_data_for_key(DS_TAG_RATLS_CERT, key, report_data);

	r = r ?: a->backend->attest(report_data, a->sys_config_path, out);
	return r ? ds_err_ctx(r, "Failed to get attestation") : 0;
}

/* decode_app_info(false) of the attestation, as MessagePack (1.9). */
static int app_info_ext(const struct ds_attestation *att, struct ds_buf *out)
{
	struct ds_app_info info = { 0 };
	int r = ds_app_info_new(att->quote.data, att->quote.len, &att->runtime_events,
				att->config ? att->config : "", 0, &info);

	r = r ?: ds_app_info_msgpack(&info, out);
	ds_app_info_free(&info);
	return r;
}

/* The stripped attestation (1.8). Last use of att: it is stripped in place. */
static int attestation_ext(struct ds_attestation *att, struct ds_buf *out)
{
	int r = ds_attestation_strip(att);

	return r ?: ds_attestation_encode(att, out);
}

static int build_cert(const struct ds_agentd *a, const struct tls_opts *o, EVP_PKEY *key,
		      X509 **cert)
{
	struct ds_cert_req req = {
		.key = key,
		.subject = o->subject,
		.alt_names = o->alt_names,
		.alt_names_len = o->n_alt_names,
		.ca_level = DS_CERT_NOT_CA,
		.usage_server_auth = o->server_auth,
		.usage_client_auth = o->client_auth,
		.special_usage = LOCAL_CERT_USAGE,
		.has_not_before = o->has_not_before,
		.has_not_after = o->has_not_after,
		.not_before = (int64_t)o->not_before,
		.not_after = (int64_t)o->not_after,
	};
	struct ds_attestation att = { 0 };
	struct ds_buf app_info = { 0 }, evidence = { 0 };
	int r = key_attestation(a, key, &att);

	if (r == 0 && o->with_app_info) {
		r = app_info_ext(&att, &app_info);
		req.app_info = DS_SLICE(app_info.data, app_info.len);
	}
	if (r == 0 && o->ra_tls) {
		r = attestation_ext(&att, &evidence);
		req.attestation = DS_SLICE(evidence.data, evidence.len);
	}
	r = r ?: ds_cert_build(&req, a->ca.cert, a->ca.key, cert);
	ds_buf_free(&app_info);
	ds_buf_free(&evidence);
	ds_attestation_free(&att);
	return r;
}

/* Signed here by the app keys' CA: [leaf, CA]. */
static int local_chain(const struct ds_agentd *a, const struct tls_opts *o, EVP_PKEY *key,
		       json_t **chain)
{
	struct ds_buf cert_pem = { 0 };
	X509 *cert = NULL;
	int r = build_cert(a, o, key, &cert);

	r = r ?: ds_cert_pem(cert, &cert_pem);
	if (r == 0 && !(*chain = json_pack("[s, s]", (const char *)cert_pem.data, a->keys.ca_cert)))
		r = ds_err(-ENOMEM, "out of memory");
	ds_buf_free(&cert_pem);
	X509_free(cert);
	return r;
}

/* Evidence for the RA-TLS client certificate of the KMS session. */
static int agent_attest(void *ctx, const uint8_t report_data[DS_REPORT_DATA_LEN],
			struct ds_evidence *out)
{
	const struct ds_agentd *a = ctx;
	struct ds_attestation att = { 0 };
	int r = a->backend->attest(report_data, a->sys_config_path, &att);

	r = r ?: attestation_ext(&att, &out->attestation);
	ds_attestation_free(&att);
	return r;
}

/* The CSR with the full attestation (the KMS replays the boot event log)
 * and its signature by key. */
static int make_csr(const struct ds_agentd *a, const struct tls_opts *o, EVP_PKEY *key,
		    const uint8_t spki[DS_P256_SPKI_LEN], struct ds_buf *csr, struct ds_buf *sig)
{
	struct ds_csr_config cfg = {
		.subject = o->subject,
		.sans = o->alt_names,
		.n_sans = o->n_alt_names,
		.usage_server_auth = o->server_auth,
		.usage_client_auth = o->client_auth,
		.ext_quote = o->ra_tls,
		.ext_app_info = o->with_app_info,
		.not_before = o->has_not_before ? &o->not_before : NULL,
		.not_after = o->has_not_after ? &o->not_after : NULL,
	};
	struct ds_attestation att = { 0 };
	struct ds_buf evidence = { 0 };
	int r = key_attestation(a, key, &att);

	r = r ?: ds_attestation_encode(&att, &evidence);
	r = r ?: ds_csr_v2_encode(spki, DS_P256_SPKI_LEN, &cfg, evidence.data, evidence.len, csr);
	r = r ?: ds_csr_sign(key, csr, sig);
	ds_buf_free(&evidence);
	ds_attestation_free(&att);
	return r;
}

/* Signed by the KMS the app keys came from. */
static int kms_chain(const struct ds_agentd *a, const struct tls_opts *o, EVP_PKEY *key,
		     json_t **chain)
{
	const struct ds_attester att = { agent_attest, (void *)a };
	uint8_t spki[DS_P256_SPKI_LEN];
	struct ds_buf csr = { 0 }, sig = { 0 };
	char *vm_config = NULL;
	int r = ds_p256_spki_der(key, spki);

	r = r ?: make_csr(a, o, key, spki, &csr, &sig);
	r = r ?: ds_sys_config_vm_config(a->sys_config_path, &vm_config);
	r = r ?: ds_kms_sign_cert(&a->keys, vm_config, &att, &csr, &sig, spki, sizeof(spki), chain);
	free(vm_config);
	ds_buf_free(&csr);
	ds_buf_free(&sig);
	return r;
}

static int make_chain(const struct ds_agentd *a, const struct tls_opts *o, EVP_PKEY *key,
		      json_t **chain)
{
	if (a->ca.cert)
		return local_chain(a, o, key, chain);
	if (a->keys.key_provider.kind == DS_KP_KMS)
		return kms_chain(a, o, key, chain);
	return ds_err(-EOPNOTSUPP, "GetTlsKey needs a CA key or a KMS in the app keys");
}

/* Takes chain over. */
static int answer(EVP_PKEY *key, json_t *chain, json_t **out)
{
	struct ds_buf key_pem = { 0 };
	int r = ds_p256_pkcs8_pem(key, &key_pem);

	if (r == 0 && !(*out = json_pack("{s:s%, s:O}", "key", (const char *)key_pem.data,
					  key_pem.len, "certificate_chain", chain)))
		r = ds_err(-ENOMEM, "out of memory");
	ds_buf_wipe(&key_pem);
	json_decref(chain);
	return r;
}

int ds_agentd_get_tls_key(const struct ds_agentd *a, const struct ds_agentd_req *req,
			  json_t **out)
{
	struct tls_opts o = { 0 };
	EVP_PKEY *key = NULL;
	json_t *chain = NULL;
	int r;

	r = read_opts(req, &o);
	r = r ?: ds_p256_generate(&key);
	r = r ?: make_chain(a, &o, key, &chain);
	r = r ?: answer(key, chain, out);
	EVP_PKEY_free(key);
	free(o.alt_names);
	return r ? ds_err_ctx(r, "Failed to get TLS key") : 0;
}
