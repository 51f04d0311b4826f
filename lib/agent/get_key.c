/* GetKey: the app's deterministic secret for a path (spec guest-agent-api.md
 * 2.1, fail-closed rules of 9.3). */
#include "agent/agent.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 8

int ds_agent_is_k256_algorithm(const char *alg)
{
	return !*alg || !strcmp(alg, "secp256k1") || !strcmp(alg, "k256");
}

static int check_secret(const struct ds_buf *key)
{
	uint8_t any = 0;

	if (key->len < DSTACK_KEY_LEN)
		return ds_err(-EBADMSG, "guest agent returned %zu secret byte(s) (need %d) - failing closed",
			      key->len, DSTACK_KEY_LEN);
	if (key->len > DSTACK_KEY_LEN)
		return ds_err(-EBADMSG, "guest agent returned %zu secret bytes (expected %d) - failing closed",
			      key->len, DSTACK_KEY_LEN);
	for (size_t i = 0; i < key->len; i++)
		any |= key->data[i];
	if (!any)
		return ds_err(-EBADMSG, "guest agent returned an all-zero secret - failing closed");
	return 0;
}

int ds_agent_json_chain(const json_t *root, struct dstack_bytes **out, size_t *out_len)
{
	const json_t *chain = json_object_get(root, "signature_chain");
	size_t n = json_array_size(chain);

	if (!json_is_array(chain))
		return ds_err(-EBADMSG, "member \"signature_chain\" is missing or not an array");
	if (n > MAX_CHAIN)
		return ds_err(-EBADMSG, "signature chain has %zu elements (at most %d)", n, MAX_CHAIN);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return ds_err(-ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct ds_buf sig = { 0 };
		char what[32];
		int r;

		snprintf(what, sizeof(what), "signature_chain[%zu]", i);
		r = ds_agent_json_hex_value(json_array_get(chain, i), what, &sig);
		if (r)
			return r;
		(*out)[i] = (struct dstack_bytes){ sig.data, sig.len };
		*out_len = i + 1;
	}
	return 0;
}

void ds_agent_chain_free(struct dstack_bytes *chain, size_t len)
{
	for (size_t i = 0; i < len; i++)
		free(chain[i].data);
	free(chain);
}

int ds_agent_key_parse(const uint8_t *data, size_t len, struct dstack_key *out)
{
	struct ds_buf key = { 0 };
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	r = ds_agent_json_hex(root, "key", &key);
	if (r == 0)
		r = check_secret(&key);
	if (r == 0) {
		memcpy(out->key, key.data, DSTACK_KEY_LEN);
		r = ds_agent_json_chain(root, &out->signature_chain, &out->signature_chain_len);
	}
	ds_buf_wipe(&key);
	json_decref(root);
	if (r)
		dstack_key_free(out);
	return r;
}

int dstack_get_key(dstack_client *client, const char *path, const char *purpose,
		   const char *algorithm, struct dstack_key *out)
{
	const char *alg = algorithm ? algorithm : "";
	struct ds_buf body = { 0 };
	json_t *req;
	int r;

	/* No default path: a forgotten argument must not select the key of "". */
	if (!client || !path || !out)
		return ds_err(-EINVAL, "GetKey needs a client, a key path and a result");
	memset(out, 0, sizeof(*out));
	if (!ds_agent_is_k256_algorithm(alg)) {
		r = ds_agent_require_version(client);
		if (r)
			return ds_err_ctx(r, "algorithm \"%s\" is not supported: OS version too old "
					  "(Version RPC unavailable)", alg);
	}
	/* jansson escapes the strings, and refuses invalid UTF-8. */
	req = json_pack("{s:s, s:s, s:s}", "path", path, "purpose",
			purpose ? purpose : "", "algorithm", alg);
	if (!req)
		return ds_err(-EINVAL, "GetKey path, purpose and algorithm must be valid UTF-8");
	r = ds_agent_call(client, "GetKey", req, DS_AGENT_SMALL_ANSWER, &body);
	if (r)
		return r;
	return ds_agent_parsed(client, "GetKey", &body, ds_agent_key_parse(body.data, body.len, out));
}

void dstack_key_free(struct dstack_key *key)
{
	if (!key)
		return;
	OPENSSL_cleanse(key->key, sizeof(key->key));
	ds_agent_chain_free(key->signature_chain, key->signature_chain_len);
	memset(key, 0, sizeof(*key));
}
