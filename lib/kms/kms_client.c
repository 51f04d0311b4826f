#include "kms/kms_client.h"
#include "crypto/ratls_ext.h"
#include "rpc/prpc.h"
#include "util/err.h"
#include "util/json_wipe.h"
#include "util/log.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

int ds_cert_pem_spki(const char *pem, struct ds_buf *out)
{
	unsigned char *der = NULL;
	X509 *cert = NULL;
	int len, r;

	r = ds_cert_from_pem(pem, strlen(pem), &cert);
	if (r)
		return r;
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	r = len > 0 ? ds_buf_set(out, der, (size_t)len) : ds_err(-EINVAL, "bad certificate key");
	OPENSSL_free(der);
	X509_free(cert);
	return r;
}

/* The server leaf must say it serves the KMS RPC (HEAD validate_kms_rpc_cert). */
static int check_rpc_usage(const uint8_t *der, size_t len, void *ctx)
{
	const unsigned char *p = der;
	X509 *cert = d2i_X509(NULL, &p, (long)len);
	char *usage = NULL;
	int r;

	(void)ctx;
	if (!cert)
		return ds_err(-EINVAL, "unparsable server certificate");
	r = ds_ratls_get_special_usage(cert, &usage);
	if (r == 0 && !usage)
		r = ds_err(-EPERM, "Missing server cert usage");
	else if (r == 0 && strcmp(usage, DS_KMS_RPC_USAGE))
		r = ds_err(-EPERM, "Invalid server cert usage: %s", usage);
	free(usage);
	X509_free(cert);
	return r;
}

static int copy_string(const json_t *msg, const char *field, int required, char **out)
{
	const char *s;
	int r = ds_prpc_string(msg, field, &s);

	if (r == 0 && required && !*s)
		r = ds_err(-EINVAL, "the KMS answered an empty %s", field);
	if (r == 0 && !(*out = strdup(s)))
		r = ds_err(-ENOMEM, "out of memory");
	return r;
}

/* A bytes field of exactly len bytes (or also empty when optional). */
static int copy_bytes(const json_t *msg, const char *field, size_t len, int optional,
		      struct ds_buf *out)
{
	int r = ds_prpc_bytes(msg, field, out);

	if (r == 0 && out->len != len && !(optional && out->len == 0))
		r = ds_err(-EINVAL, "the KMS answered a %s of %zu bytes (expected %zu)", field,
			   out->len, len);
	return r;
}

/* App keys never travel in the clear: http:// is refused, not just vsock/unix. */
int ds_kms_endpoint(const char *url, struct ds_prpc_endpoint *ep)
{
	int r = ds_prpc_endpoint_parse(url, ep);

	if (r == 0 && (ep->transport != DS_PRPC_TCP || strncmp(url, "https://", 8))) {
		ds_prpc_endpoint_free(ep);
		r = ds_err(-EINVAL, "KMS URL must be https://...: %s", url);
	}
	return r;
}

static int get_temp_ca(const struct ds_prpc_endpoint *ep, const struct ds_kms_opts *opts,
		       json_t **resp)
{
	struct ds_prpc_call_opts call = {
		.timeout_ms = DS_KMS_TIMEOUT_MS,
		.max_response = DS_KMS_RESPONSE_MAX,
		.tls_ca_pem = opts->root_ca_pem,
		/* upstream: the first call trusts any server; the answer is pinned later */
		.tls_insecure_skip_verify = !opts->root_ca_pem,
	};

	ds_info("kms", "Getting temp ca cert");
	return ds_prpc_call(ep, "GetTempCaCert", NULL, &call, resp);
}

int ds_kms_attested_call(const struct ds_prpc_endpoint *ep, const char *method,
			 const json_t *req, const struct ds_cert_pair *client, const char *ca_cert,
			 int check_usage, json_t **resp)
{
	struct ds_prpc_call_opts call = {
		.timeout_ms = DS_KMS_TIMEOUT_MS,
		.max_response = DS_KMS_RESPONSE_MAX,
		.tls_cert_pem = (const char *)client->cert_pem.data,
		.tls_key_pem = (const char *)client->key_pem.data,
		.tls_ca_pem = ca_cert,
		.verify_peer = check_usage ? check_rpc_usage : NULL,
	};

	return ds_prpc_call(ep, method, req, &call, resp);
}

static int get_app_key(const struct ds_prpc_endpoint *ep, const struct ds_kms_opts *opts,
		       const struct ds_cert_pair *client, const char *ca_cert, json_t **resp)
{
	json_t *req = json_pack("{s:i,s:s}", "api_version", 1, "vm_config", opts->vm_config);
	int r;

	if (!req)
		return ds_err(-ENOMEM, "out of memory");
	r = ds_kms_attested_call(ep, "GetAppKey", req, client, ca_cert, opts->check_rpc_usage, resp);
	json_decref(req);
	return r;
}

int ds_kms_client_cert(const char *tmp_ca_cert, const char *tmp_ca_key,
		       const struct ds_attester *att, struct ds_cert_pair *out)
{
	int r = ds_ra_cert_generate_pem(tmp_ca_cert, strlen(tmp_ca_cert), tmp_ca_key,
					strlen(tmp_ca_key), att, out);

	return r ? ds_err_ctx(r, "Failed to make the RA-TLS client certificate") : 0;
}

/* The RA-TLS client certificate from the temp CA the KMS answered. */
static int client_cert(const json_t *temp, const struct ds_kms_opts *opts, char **tmp_cert,
		       char **tmp_key, struct ds_cert_pair *out)
{
	int r = copy_string(temp, "temp_ca_cert", 1, tmp_cert);

	if (r == 0)
		r = copy_string(temp, "temp_ca_key", 1, tmp_key);
	return r ?: ds_kms_client_cert(*tmp_cert, *tmp_key, opts->att, out);
}

static int fill_keys(const json_t *keys, const char *url, struct ds_app_keys *out,
		     struct ds_buf *os_image_hash)
{
	int r = copy_bytes(keys, "disk_crypt_key", 32, 0, &out->disk_crypt_key);

	r = r ?: copy_bytes(keys, "env_crypt_key", 32, 1, &out->env_crypt_key);
	r = r ?: copy_bytes(keys, "k256_key", 32, 0, &out->k256_key);
	r = r ?: copy_bytes(keys, "k256_signature", 65, 1, &out->k256_signature);
	r = r ?: copy_string(keys, "gateway_app_id", 0, &out->gateway_app_id);
	r = r ?: ds_prpc_bytes(keys, "os_image_hash", os_image_hash);
	r = r ?: ds_cert_pem_spki(out->ca_cert, &out->key_provider.pubkey);
	if (r == 0 && !(out->key_provider.url = strdup(url)))
		r = ds_err(-ENOMEM, "out of memory");
	return r;
}

int ds_kms_get_app_keys(const char *url, const struct ds_kms_opts *opts, struct ds_app_keys *out,
			struct ds_buf *os_image_hash)
{
	struct ds_prpc_endpoint ep = { 0 };
	struct ds_cert_pair client = { 0 };
	json_t *temp = NULL, *keys = NULL;
	int r;

	ds_json_wipe_on_free();
	*out = (struct ds_app_keys){ .key_provider.kind = DS_KP_KMS };
	r = ds_kms_endpoint(url, &ep);
	r = r ?: get_temp_ca(&ep, opts, &temp);
	r = r ?: copy_string(temp, "ca_cert", 1, &out->ca_cert);
	r = r ?: client_cert(temp, opts, &out->key_provider.tmp_ca_cert,
			     &out->key_provider.tmp_ca_key, &client);
	r = r ?: get_app_key(&ep, opts, &client, out->ca_cert, &keys);
	r = r ?: fill_keys(keys, url, out, os_image_hash);
	if (r) {
		ds_app_keys_free(out);
		ds_buf_free(os_image_hash);
	}
	json_decref(keys);
	json_decref(temp);
	ds_cert_pair_free(&client);
	ds_prpc_endpoint_free(&ep);
	return r;
}
