/* Sign: a signature by the app's signing key (spec guest-agent-api.md 2.6),
 * checked against the answer's public key before anyone sees it. */
#include "agent/agent.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DATA (1u << 20)
#define CHAIN_LEN 3

static int take_fixed(const json_t *root, const char *name, uint8_t *out, size_t want)
{
	struct ds_buf b = { 0 };
	int r = ds_agent_json_hex(root, name, &b);

	if (r == 0 && b.len != want)
		r = ds_err(-EBADMSG, "member \"%s\" is %zu bytes, expected %zu", name, b.len, want);
	if (r == 0)
		memcpy(out, b.data, want);
	ds_buf_free(&b);
	return r;
}

/* [the signature, the app key's signature (65 bytes), the KMS's (65 bytes,
 * or none for keys not issued by a KMS)]. */
static int check_chain(const struct dstack_signature *s)
{
	const struct dstack_bytes *c = s->signature_chain;

	if (s->signature_chain_len != CHAIN_LEN)
		return ds_err(-EBADMSG, "signature chain has %zu elements, expected %d",
			      s->signature_chain_len, CHAIN_LEN);
	if (c[0].len != DSTACK_SIGN_SIGNATURE_LEN ||
	    memcmp(c[0].data, s->signature, DSTACK_SIGN_SIGNATURE_LEN))
		return ds_err(-EBADMSG, "signature_chain[0] is not the signature");
	if (c[1].len != DSTACK_SIGNATURE_LEN)
		return ds_err(-EBADMSG, "signature_chain[1] is %zu bytes, expected %d", c[1].len,
			      DSTACK_SIGNATURE_LEN);
	if (c[2].len && c[2].len != DSTACK_SIGNATURE_LEN)
		return ds_err(-EBADMSG, "signature_chain[2] is %zu bytes, expected %d or none",
			      c[2].len, DSTACK_SIGNATURE_LEN);
	return 0;
}

int ds_agent_sign_parse(const uint8_t *data, size_t len, enum ds_sign_algo algo,
			const uint8_t *msg, size_t msg_len, struct dstack_signature *out)
{
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	out->public_key_len = algo == DS_SIGN_ED25519 ? DSTACK_ED25519_PUBKEY_LEN : DSTACK_PUBKEY_LEN;
	r = take_fixed(root, "signature", out->signature, DSTACK_SIGN_SIGNATURE_LEN);
	r = r ?: take_fixed(root, "public_key", out->public_key, out->public_key_len);
	r = r ?: ds_agent_json_chain(root, &out->signature_chain, &out->signature_chain_len);
	r = r ?: check_chain(out);
	if (r == 0) {
		r = ds_sign_verify(algo, out->public_key, out->public_key_len, msg, msg_len,
				   out->signature, DSTACK_SIGN_SIGNATURE_LEN);
		if (r)
			r = ds_err_ctx(-EBADMSG, "the signature does not verify with the returned public key");
	}
	json_decref(root);
	if (r)
		dstack_signature_free(out);
	return r;
}

int dstack_sign(dstack_client *client, const char *algorithm, const uint8_t *data, size_t len,
		struct dstack_signature *out)
{
	struct ds_buf body = { 0 };
	enum ds_sign_algo algo;
	json_t *req;
	char *hex;
	int r;

	if (!client || !algorithm || !out || (len && !data))
		return ds_err(-EINVAL, "Sign needs a client, an algorithm, the data and a result");
	memset(out, 0, sizeof(*out));
	/* Only what can be verified here is asked for. */
	r = ds_sign_algo_parse(algorithm, &algo);
	r = r ?: ds_sign_check_data(algo, len, "signing");
	if (r)
		return r;
	if (len > MAX_DATA)
		return ds_err(-EFBIG, "data to sign is %zu bytes, at most %u are allowed", len, MAX_DATA);
	hex = ds_hex_alloc(data, len);
	if (!hex)
		return ds_err(-ENOMEM, "out of memory");
	req = json_pack("{s:s, s:s}", "algorithm", ds_sign_algo_name(algo), "data", hex);
	free(hex);
	r = ds_agent_call(client, "Sign", req, DS_AGENT_SMALL_ANSWER, &body);
	if (r)
		return r;
	return ds_agent_parsed(client, "Sign", &body,
			       ds_agent_sign_parse(body.data, body.len, algo, data, len, out));
}

void dstack_signature_free(struct dstack_signature *signature)
{
	if (!signature)
		return;
	ds_agent_chain_free(signature->signature_chain, signature->signature_chain_len);
	memset(signature, 0, sizeof(*signature));
}
