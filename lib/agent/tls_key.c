/* GetTlsKey: a fresh TLS key and a certificate chain for it (spec
 * guest-agent-api.md 2.5). The leaf must certify the returned key. */
#include "agent/agent.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 16

static int check_key_matches_leaf(const char *key_pem, const char *leaf_pem)
{
	BIO *kb = BIO_new_mem_buf(key_pem, -1), *cb = BIO_new_mem_buf(leaf_pem, -1);
	EVP_PKEY *key = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) : NULL;
	X509 *leaf = cb ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
	int r = 0;

	if (!key)
		r = ds_err(-EBADMSG, "member \"key\" is not a PEM private key");
	else if (!leaf)
		r = ds_err(-EBADMSG, "certificate_chain[0] is not a PEM certificate");
	else if (X509_check_private_key(leaf, key) != 1)
		r = ds_err(-EBADMSG, "the leaf certificate does not match the returned key");
	X509_free(leaf);
	EVP_PKEY_free(key);
	BIO_free(kb);
	BIO_free(cb);
	return r;
}

static int parse_chain(const json_t *root, struct dstack_tls_key *out)
{
	const json_t *chain = json_object_get(root, "certificate_chain");
	size_t n = json_array_size(chain);

	if (!json_is_array(chain) || n == 0)
		return ds_err(-EBADMSG, "member \"certificate_chain\" is missing, empty or not an array");
	if (n > MAX_CHAIN)
		return ds_err(-EBADMSG, "certificate chain has %zu elements (at most %d)", n, MAX_CHAIN);
	out->certificate_chain = calloc(n, sizeof(char *));
	if (!out->certificate_chain)
		return ds_err(-ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *pem = json_string_value(json_array_get(chain, i));

		if (!pem)
			return ds_err(-EBADMSG, "certificate_chain[%zu] is not a string", i);
		out->certificate_chain[i] = strdup(pem);
		if (!out->certificate_chain[i])
			return ds_err(-ENOMEM, "out of memory");
		out->certificate_chain_len = i + 1;
	}
	return 0;
}

int ds_agent_tls_key_parse(const uint8_t *data, size_t len, struct dstack_tls_key *out)
{
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	r = ds_agent_json_strdup(root, "key", 0, &out->key_pem);
	if (r == 0)
		r = parse_chain(root, out);
	if (r == 0)
		r = check_key_matches_leaf(out->key_pem, out->certificate_chain[0]);
	json_decref(root);
	if (r)
		dstack_tls_key_free(out);
	return r;
}

static int uses_new_options(const struct dstack_tls_key_options *o)
{
	return o->with_app_info || o->has_not_before || o->has_not_after;
}

static json_t *build_request(const struct dstack_tls_key_options *o)
{
	json_t *req = json_pack("{s:s, s:b, s:b, s:b}", "subject", o->subject ? o->subject : "",
				"usage_ra_tls", o->usage_ra_tls, "usage_server_auth",
				o->usage_server_auth, "usage_client_auth", o->usage_client_auth);
	json_t *names = json_array();
	int bad = !req || !names;

	for (size_t i = 0; !bad && i < o->alt_names_len; i++)
		bad = json_array_append_new(names, json_string(o->alt_names[i])) != 0;
	/* Set only what the caller set: older agents must see no new member. */
	if (!bad && o->alt_names_len)
		bad = json_object_set(req, "alt_names", names) != 0;
	if (!bad && o->with_app_info)
		bad = json_object_set_new(req, "with_app_info", json_true()) != 0;
	if (!bad && o->has_not_before)
		bad = json_object_set_new(req, "not_before", json_integer((json_int_t)o->not_before)) != 0;
	if (!bad && o->has_not_after)
		bad = json_object_set_new(req, "not_after", json_integer((json_int_t)o->not_after)) != 0;
	json_decref(names);
	if (bad) {
		json_decref(req);
		return NULL;
	}
	return req;
}

static int check_options(const struct dstack_tls_key_options *o)
{
	if (o->alt_names_len && !o->alt_names)
		return ds_err(-EINVAL, "alt_names_len is set without alt_names");
	if ((o->has_not_before && o->not_before > INT64_MAX) || (o->has_not_after && o->not_after > INT64_MAX))
		return ds_err(-EINVAL, "certificate validity bound out of range");
	if (o->has_not_before && o->has_not_after && o->not_before >= o->not_after)
		return ds_err(-EINVAL, "not_before must be earlier than not_after");
	return 0;
}

int dstack_get_tls_key(dstack_client *client, const struct dstack_tls_key_options *options,
		       struct dstack_tls_key *out)
{
	struct dstack_tls_key_options none = { 0 };
	const struct dstack_tls_key_options *o = options ? options : &none;
	struct ds_buf body = { 0 };
	json_t *req;
	int r;

	if (!client || !out)
		return ds_err(-EINVAL, "GetTlsKey needs a client and a result");
	memset(out, 0, sizeof(*out));
	r = check_options(o);
	if (r)
		return r;
	if (uses_new_options(o)) {
		r = ds_agent_require_version(client);
		if (r)
			return ds_err_ctx(r, "TLS key options [with_app_info, not_before, not_after] are not "
					  "supported: OS version too old (Version RPC unavailable)");
	}
	req = build_request(o);
	if (!req)
		return ds_err(-EINVAL, "GetTlsKey subject and alt names must be valid UTF-8");
	r = ds_agent_call(client, "GetTlsKey", req, DS_AGENT_LARGE_ANSWER, &body);
	if (r)
		return r;
	return ds_agent_parsed(client, "GetTlsKey", &body,
			       ds_agent_tls_key_parse(body.data, body.len, out));
}

void dstack_tls_key_free(struct dstack_tls_key *key)
{
	if (!key)
		return;
	if (key->key_pem)
		OPENSSL_cleanse(key->key_pem, strlen(key->key_pem));
	free(key->key_pem);
	for (size_t i = 0; i < key->certificate_chain_len; i++)
		free(key->certificate_chain[i]);
	free(key->certificate_chain);
	memset(key, 0, sizeof(*key));
}
