/* GetTlsKey (spec guest-agent-api.md 2.5): a fresh random P-256 key and a
 * leaf certificate for it, signed by the local CA of the app keys, with the
 * stripped attestation binding the key when usage_ra_tls is asked for.
 * With a KMS key provider upstream has the KMS sign; this agent refuses. */
#include "agentd/request.h"
#include "crypto/p256.h"
#include "crypto/ratls.h"
#include "util/err.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALT_NAMES 64

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
	if (o->with_app_info)
		return ds_err(-EOPNOTSUPP, "with_app_info is not supported by this agent");
	return 0;
}

/* The attestation for the certificate, from the agent's backend. */
static int backend_attest(void *ctx, const uint8_t report_data[DS_REPORT_DATA_LEN],
			  struct ds_evidence *out)
{
	const struct ds_agentd *a = ctx;
	struct ds_attestation att = { 0 };
	int r;

	r = a->backend->attest(report_data, a->sys_config_path, &att);
	r = r ?: ds_attestation_strip(&att);
	r = r ?: ds_attestation_encode(&att, &out->attestation);
	ds_attestation_free(&att);
	return r;
}

static int build_cert(const struct ds_agentd *a, const struct tls_opts *o, EVP_PKEY *key,
		      X509 **cert)
{
	const struct ds_attester att = { backend_attest, (void *)a };
	struct ds_cert_req req = {
		.key = key,
		.subject = o->subject,
		.alt_names = o->alt_names,
		.alt_names_len = o->n_alt_names,
		.ca_level = DS_CERT_NOT_CA,
		.usage_server_auth = o->server_auth,
		.usage_client_auth = o->client_auth,
		.has_not_before = o->has_not_before,
		.has_not_after = o->has_not_after,
		.not_before = (int64_t)o->not_before,
		.not_after = (int64_t)o->not_after,
	};
	struct ds_evidence ev = { 0 };
	int r = 0;

	if (o->ra_tls) {
		r = ds_attest_key(&att, "ratls-cert", key, &ev);
		if (r == 0)
			ds_cert_req_set_evidence(&req, &ev);
	}
	r = r ?: ds_cert_build(&req, a->ca.cert, a->ca.key, cert);
	ds_evidence_free(&ev);
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
