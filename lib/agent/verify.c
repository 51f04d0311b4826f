/* Verify: the agent's verdict on a signature (spec guest-agent-api.md 2.7),
 * accepted only when the same check made here agrees. */
#include "agent/agent.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DATA (1u << 20)

int ds_agent_verify_parse(const uint8_t *data, size_t len, int *valid)
{
	const json_t *v;
	json_t *root;
	int r;

	*valid = 0;
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	v = json_object_get(root, "valid");
	if (!v)
		r = ds_err(-EBADMSG, "member \"valid\" is missing");
	else if (!json_is_boolean(v))
		r = ds_err(-EBADMSG, "member \"valid\" is not a boolean");
	else
		*valid = json_is_true(v);
	json_decref(root);
	return r;
}

static json_t *request(enum ds_sign_algo algo, const uint8_t *data, size_t len,
		       const uint8_t *sig, size_t sig_len, const uint8_t *pub, size_t pub_len)
{
	char *data_hex = ds_hex_alloc(data, len), *sig_hex = ds_hex_alloc(sig, sig_len),
	     *pub_hex = ds_hex_alloc(pub, pub_len);
	json_t *req = NULL;

	if (data_hex && sig_hex && pub_hex)
		req = json_pack("{s:s, s:s, s:s, s:s}", "algorithm", ds_sign_algo_name(algo),
				"data", data_hex, "signature", sig_hex, "public_key", pub_hex);
	free(data_hex);
	free(sig_hex);
	free(pub_hex);
	return req;
}

/* The local verdict: 1 or 0, or a negative errno for malformed input. */
static int local_verdict(enum ds_sign_algo algo, const uint8_t *data, size_t len,
			 const uint8_t *sig, size_t sig_len, const uint8_t *pub, size_t pub_len)
{
	int r = ds_sign_verify(algo, pub, pub_len, data, len, sig, sig_len);

	if (r == -EACCES) {
		ds_err_clear();
		return 0;
	}
	return r ? r : 1;
}

int dstack_verify(dstack_client *client, const char *algorithm, const uint8_t *data, size_t len,
		  const uint8_t *signature, size_t signature_len, const uint8_t *public_key,
		  size_t public_key_len, int *valid)
{
	struct ds_buf body = { 0 };
	enum ds_sign_algo algo;
	int r, local, agent;

	if (!client || !algorithm || !valid || (len && !data) || (signature_len && !signature) ||
	    (public_key_len && !public_key))
		return ds_err(-EINVAL, "Verify needs a client, an algorithm, the data, the signature, "
			      "the public key and a result");
	*valid = 0;
	r = ds_sign_algo_parse(algorithm, &algo);
	if (r)
		return r;
	if (len > MAX_DATA)
		return ds_err(-EFBIG, "data to verify is %zu bytes, at most %u are allowed", len, MAX_DATA);
	local = local_verdict(algo, data, len, signature, signature_len, public_key, public_key_len);
	if (local < 0)
		return local;
	r = ds_agent_call(client, "Verify", request(algo, data, len, signature, signature_len,
						      public_key, public_key_len),
			  DS_AGENT_SMALL_ANSWER, &body);
	if (r)
		return r;
	r = ds_agent_parsed(client, "Verify", &body, ds_agent_verify_parse(body.data, body.len, &agent));
	if (r)
		return r;
	if (agent != local)
		return ds_err(-EBADMSG, "the guest agent at %s says the signature is %s, but it is %s",
			      client->endpoint, agent ? "valid" : "invalid", local ? "valid" : "invalid");
	*valid = agent;
	return 0;
}
