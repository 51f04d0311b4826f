/* SignCert (spec system-setup.md 6.4, crypto-and-certs.md 2.6): the KMS signs
 * a CSR with the app's CA; the request goes over an RA-TLS session made from
 * the temp CA that setup cached in the app keys, as upstream's cert client
 * does, and the answer's chain is checked before anyone gets to use it. */
#include "kms/kms_client.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int leaf_matches(const char *pem, const uint8_t *spki, size_t spki_len)
{
	struct ds_buf leaf_spki = { 0 };
	int r = ds_cert_pem_spki(pem, &leaf_spki);

	if (r)
		return ds_err_ctx(r, "the KMS answered an unparsable leaf certificate");
	if (leaf_spki.len != spki_len || memcmp(leaf_spki.data, spki, spki_len))
		r = ds_err(-EPROTO, "the KMS answered a certificate for another key");
	ds_buf_free(&leaf_spki);
	return r;
}

int ds_kms_cert_chain(const json_t *resp, const uint8_t *spki, size_t spki_len, json_t **chain)
{
	json_t *list = json_is_object(resp) ? json_object_get(resp, "certificate_chain") : NULL;
	size_t i, n = json_array_size(list);
	int r;

	if (!json_is_array(list) || n == 0)
		return ds_err(-EPROTO, "the KMS answered no certificate_chain");
	if (n > DS_KMS_CHAIN_MAX)
		return ds_err(-EPROTO, "the KMS answered %zu certificates (at most %d)", n,
			      DS_KMS_CHAIN_MAX);
	for (i = 0; i < n; i++)
		if (!json_is_string(json_array_get(list, i)))
			return ds_err(-EPROTO, "certificate_chain[%zu] is not a string", i);
	r = leaf_matches(json_string_value(json_array_get(list, 0)), spki, spki_len);
	if (r == 0)
		*chain = json_incref(list);
	return r;
}

static int sign_request(const char *vm_config, const struct ds_buf *csr,
			const struct ds_buf *signature, json_t **out)
{
	char *csr_hex = ds_hex_alloc(csr->data, csr->len);
	char *sig_hex = ds_hex_alloc(signature->data, signature->len);

	*out = csr_hex && sig_hex ? json_pack("{s:i, s:s, s:s, s:s}", "api_version", 2, "csr",
					      csr_hex, "signature", sig_hex, "vm_config", vm_config)
				  : NULL;
	free(csr_hex);
	free(sig_hex);
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

/* The session's client certificate from the temp CA in the app keys (no
 * second GetTempCaCert, as upstream). */
static int cached_client_cert(const struct ds_key_provider *kp, const struct ds_attester *att,
			      struct ds_cert_pair *out)
{
	if (!kp->tmp_ca_cert || !kp->tmp_ca_key || !*kp->tmp_ca_cert || !*kp->tmp_ca_key)
		return ds_err(-EINVAL, "the app keys hold no KMS temp CA");
	return ds_kms_client_cert(kp->tmp_ca_cert, kp->tmp_ca_key, att, out);
}

int ds_kms_sign_cert(const struct ds_app_keys *keys, const char *vm_config,
		     const struct ds_attester *att, const struct ds_buf *csr,
		     const struct ds_buf *signature, const uint8_t *spki, size_t spki_len,
		     json_t **chain)
{
	const struct ds_key_provider *kp = &keys->key_provider;
	struct ds_prpc_endpoint ep = { 0 };
	struct ds_cert_pair client = { 0 };
	json_t *req = NULL, *resp = NULL;
	int r = 0;

	if (kp->kind != DS_KP_KMS || !kp->url || !keys->ca_cert || !*keys->ca_cert)
		return ds_err(-EINVAL, "the app keys name no KMS to sign certificates");
	r = ds_kms_endpoint(kp->url, &ep);
	r = r ?: cached_client_cert(kp, att, &client);
	r = r ?: sign_request(vm_config, csr, signature, &req);
	if (r == 0)
		ds_info("kms", "Requesting a certificate from KMS: %s", kp->url);
	r = r ?: ds_kms_attested_call(&ep, "SignCert", req, &client, keys->ca_cert, 1, &resp);
	r = r ?: ds_kms_cert_chain(resp, spki, spki_len, chain);
	json_decref(resp);
	json_decref(req);
	ds_cert_pair_free(&client);
	ds_prpc_endpoint_free(&ep);
	return r ? ds_err_ctx(r, "Failed to get a certificate from KMS %s", kp->url) : 0;
}
