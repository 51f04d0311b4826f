/* Signature chains of GetKey and Sign (spec guest-agent-api.md 3.1-3.2):
 * the client's stricter checks of the answer's shape, then lib/crypto's
 * chain procedure (sig_app over "<purpose>:<hex pubkey>", sig_kms over
 * "dstack-kms-issued:" || app_id || app key). Recovery alone proves
 * nothing; only the final comparison with the pinned root does. */
#include "agent/agent.h"
#include "crypto/getkey.h"
#include "crypto/sign.h"
#include "util/err.h"

#include <errno.h>

/* The two chain signatures of a GetKey or Sign answer. */
struct chain {
	const struct dstack_bytes *items;
	size_t len;
	size_t app;    /* index of sig_app; sig_kms follows it */
};

static int check_signature(const struct chain *c, size_t i, const char *name)
{
	const struct dstack_bytes *sig = i < c->len ? &c->items[i] : NULL;

	if (!sig || !sig->len)
		return ds_err(-EBADMSG, "the signature chain has no %s", name);
	if (sig->len != DSTACK_SIGNATURE_LEN)
		return ds_err(-EBADMSG, "the %s is %zu bytes, expected %d", name, sig->len,
			      DSTACK_SIGNATURE_LEN);
	/* Upstream emits v in {0, 1}; Ethereum's 27/28 are not accepted. */
	if (sig->data[DSTACK_SIGNATURE_LEN - 1] > 1)
		return ds_err(-EBADMSG, "the %s has recovery id %u", name,
			      sig->data[DSTACK_SIGNATURE_LEN - 1]);
	return 0;
}

static int verify(const struct chain *c, const char *purpose, const uint8_t *pub, size_t pub_len,
		  const uint8_t app_id[DSTACK_APP_ID_LEN], const uint8_t kms_root[DSTACK_PUBKEY_LEN],
		  uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	int r;

	r = check_signature(c, c->app, "app signature");
	if (r == 0)
		r = check_signature(c, c->app + 1, "KMS signature (as with keys not issued by a KMS)");
	if (r)
		return r;
	return ds_getkey_verify_chain(app_id, DSTACK_APP_ID_LEN, purpose, pub, pub_len,
				      c->items[c->app].data, DSTACK_SIGNATURE_LEN,
				      c->items[c->app + 1].data, DSTACK_SIGNATURE_LEN, kms_root,
				      app_pubkey_out);
}

static int verify_key(const struct dstack_key *key, const char *purpose, const char *algorithm,
		      const uint8_t app_id[DSTACK_APP_ID_LEN],
		      const uint8_t kms_root[DSTACK_PUBKEY_LEN],
		      uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	const struct chain c = { key->signature_chain, key->signature_chain_len, 0 };
	uint8_t pub[DS_K256_PUB_LEN];
	enum ds_key_algo algo;
	size_t pub_len;
	int r;

	r = ds_key_algo_parse(algorithm ? algorithm : "", &algo);
	if (r == 0)
		r = ds_getkey_pubkey(algo, key->key, pub, &pub_len);
	return r ?: verify(&c, purpose ? purpose : "", pub, pub_len, app_id, kms_root, app_pubkey_out);
}

int dstack_verify_key_chain(const struct dstack_key *key, const char *purpose,
			    const char *algorithm, const uint8_t app_id[DSTACK_APP_ID_LEN],
			    const uint8_t kms_root[DSTACK_PUBKEY_LEN],
			    uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	int r;

	if (!key || !app_id || !kms_root)
		return ds_err(-EINVAL, "verification needs the key, the app id and the pinned KMS root");
	r = verify_key(key, purpose, algorithm, app_id, kms_root, app_pubkey_out);
	return r ? ds_err_ctx(r, "GetKey signature chain rejected") : 0;
}

int dstack_verify_sign_chain(const struct dstack_signature *signature,
			     const uint8_t app_id[DSTACK_APP_ID_LEN],
			     const uint8_t kms_root[DSTACK_PUBKEY_LEN],
			     uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	const struct chain c = { signature ? signature->signature_chain : NULL,
				 signature ? signature->signature_chain_len : 0, 1 };
	int r;

	if (!signature || !app_id || !kms_root)
		return ds_err(-EINVAL, "verification needs the signature, the app id and the pinned KMS root");
	r = verify(&c, DS_SIGN_KEY_PURPOSE, signature->public_key, signature->public_key_len, app_id,
		   kms_root, app_pubkey_out);
	return r ? ds_err_ctx(r, "Sign signature chain rejected") : 0;
}
