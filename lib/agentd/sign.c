/* Sign (spec guest-agent-api.md 2.6): the data signed with the app's
 * signing key (GetKey "vms"/"signing"), with that key's public key and
 * GetKey's chain behind the signature: [signature, app sig, KMS sig]. */
#include "agentd/request.h"
#include "crypto/sign.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>

static int answer(const struct ds_agentd *a, const struct ds_getkey *key,
		  const uint8_t sig[DS_SIGN_LEN], json_t **out)
{
	json_t *chain;
	int r = ds_agentd_key_chain(a, key, sig, DS_SIGN_LEN, &chain);

	if (r)
		return r;
	*out = json_pack("{s:o, s:o, s:o}", "signature", ds_agentd_hex_json(sig, DS_SIGN_LEN),
			 "signature_chain", chain, "public_key", ds_agentd_hex_json(key->pub, key->pub_len));
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

int ds_agentd_sign(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	struct ds_buf data = { 0 };
	enum ds_sign_algo algo;
	struct ds_getkey key = { 0 };
	uint8_t sig[DS_SIGN_LEN];
	const char *name;
	int r;

	r = ds_agentd_req_str(req, "algorithm", &name);
	r = r ?: ds_agentd_req_hex(req, "data", &data);
	r = r ?: ds_sign_algo_parse(name, &algo);
	r = r ?: ds_sign_key_derive(a->keys.k256_key.data, algo, &key);
	r = r ?: ds_sign(algo, key.key, data.data, data.len, sig);
	r = r ?: answer(a, &key, sig, out);
	OPENSSL_cleanse(&key, sizeof(key));
	ds_buf_free(&data);
	return r;
}
