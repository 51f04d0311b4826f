/* GetTlsKey (spec guest-agent-api.md 2.5): a fresh random P-256 key and a
 * leaf certificate for it, signed as upstream's local CSR signing does
 * (crypto-and-certs.md 2.6) by the CA of the app keys: special usage
 * "app:custom" (1.4) always, the app info (1.9) decoded from an attestation
 * binding the key when with_app_info is asked for, and that attestation
 * stripped (1.8) when usage_ra_tls is. With a KMS key provider upstream has
 * the KMS sign; this agent refuses. */
#include "agentd/request.h"
#include "attest/app_info.h"
#include "crypto/p256.h"
#include "crypto/ratls.h"
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

static int answer(const struct ds_agentd *a, EVP_PKEY *key, X509 *cert, json_t **out)
{
	struct ds_buf key_pem = { 0 }, cert_pem = { 0 };
	json_t *chain = NULL;
	int r;

	r = ds_p256_pkcs8_pem(key, &key_pem);
	r = r ?: ds_cert_pem(cert, &cert_pem);
	if (r == 0) {
		chain = json_pack("[s, s]", (const char *)cert_pem.data, a->keys.ca_cert);
		*out = chain ? json_pack("{s:s%, s:o}", "key", (const char *)key_pem.data,
					  key_pem.len, "certificate_chain", chain)
			     : NULL;
		if (!*out)
			r = ds_err(-ENOMEM, "out of memory");
	}
	ds_buf_wipe(&key_pem);
	ds_buf_free(&cert_pem);
	return r;
}

int ds_agentd_get_tls_key(const struct ds_agentd *a, const struct ds_agentd_req *req,
			  json_t **out)
{
	struct tls_opts o = { 0 };
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int r;

	r = read_opts(req, &o);
	if (r == 0 && !a->ca.cert)
		r = ds_err(-EOPNOTSUPP, "GetTlsKey needs a local CA key in the app keys "
			   "(KMS-signed certificates are not supported by this agent)");
	r = r ?: ds_p256_generate(&key);
	r = r ?: build_cert(a, &o, key, &cert);
	r = r ?: answer(a, key, cert, out);
	EVP_PKEY_free(key);
	X509_free(cert);
	free(o.alt_names);
	return r ? ds_err_ctx(r, "Failed to get TLS key") : 0;
}
