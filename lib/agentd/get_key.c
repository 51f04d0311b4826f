/* GetKey (spec guest-agent-api.md 2.1): key = HKDF(k256_key, path), the app
 * key's signature over "<purpose>:<hex pubkey>", and the KMS's signature of
 * the app key as stored with the app keys (empty for non-KMS providers). */
#include "agentd/request.h"
#include "crypto/getkey.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>

static int append_hex(json_t *chain, const uint8_t *data, size_t len)
{
	json_t *v = ds_agentd_hex_json(data, len);

	if (!v || json_array_append_new(chain, v))
		return ds_err(-ENOMEM, "out of memory");
	return 0;
}

int ds_agentd_key_chain(const struct ds_agentd *a, const struct ds_getkey *g,
			const uint8_t *first, size_t first_len, json_t **out)
{
	const struct ds_buf *kms_sig = &a->keys.k256_signature;
	json_t *chain = json_array();
	int r = chain ? 0 : ds_err(-ENOMEM, "out of memory");

	if (r == 0 && first)
		r = append_hex(chain, first, first_len);
	r = r ?: append_hex(chain, g->sig_app, sizeof(g->sig_app));
	r = r ?: append_hex(chain, kms_sig->data, kms_sig->len);
	if (r) {
		json_decref(chain);
		return r;
	}
	*out = chain;
	return 0;
}

static int answer(const struct ds_agentd *a, const struct ds_getkey *g, json_t **out)
{
	json_t *chain;
	int r = ds_agentd_key_chain(a, g, NULL, 0, &chain);

	if (r)
		return r;
	*out = json_pack("{s:o, s:o}", "key", ds_agentd_hex_json(g->key, sizeof(g->key)),
			 "signature_chain", chain);
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}

int ds_agentd_get_key(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	const char *path, *purpose, *algorithm;
	enum ds_key_algo algo;
	struct ds_getkey g;
	int r;

	r = ds_agentd_req_str(req, "path", &path);
	r = r ?: ds_agentd_req_str(req, "purpose", &purpose);
	r = r ?: ds_agentd_req_str(req, "algorithm", &algorithm);
	r = r ?: ds_key_algo_parse(algorithm, &algo);
	if (r)
		return r;
	r = ds_getkey_derive(a->keys.k256_key.data, path, purpose, algo, &g);
	if (r == 0)
		r = answer(a, &g, out);
	OPENSSL_cleanse(&g, sizeof(g));
	return r;
}
