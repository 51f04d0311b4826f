/* GetKey signature chain (spec guest-agent-api.md 3.1-3.2): the client's
 * stricter checks of the answer's shape, then lib/crypto's chain procedure
 * (sig_app over "<purpose>:<hex pubkey>", sig_kms over "dstack-kms-issued:"
 * || app_id || app key). Recovery alone proves nothing; only the final
 * comparison with the pinned root does. */
#include "agent/agent.h"
#include "crypto/getkey.h"
#include "util/err.h"

#include <errno.h>

static int check_signature(const struct dstack_key *key, size_t i, const char *name)
{
	const struct dstack_bytes *sig = i < key->signature_chain_len ? &key->signature_chain[i] : NULL;

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

static int verify(const struct dstack_key *key, const char *purpose, const char *algorithm,
		  const uint8_t app_id[DSTACK_APP_ID_LEN], const uint8_t kms_root[DSTACK_PUBKEY_LEN],
		  uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	uint8_t pub[DS_K256_PUB_LEN];
	enum ds_key_algo algo;
	size_t pub_len;
	int r;

	r = check_signature(key, 0, "app signature");
	if (r == 0)
		r = check_signature(key, 1, "KMS signature (as with keys not issued by a KMS)");
	if (r == 0)
		r = ds_key_algo_parse(algorithm ? algorithm : "", &algo);
	if (r == 0)
		r = ds_getkey_pubkey(algo, key->key, pub, &pub_len);
	if (r)
		return r;
	return ds_getkey_verify_chain(app_id, DSTACK_APP_ID_LEN, purpose ? purpose : "", pub, pub_len,
				      key->signature_chain[0].data, DSTACK_SIGNATURE_LEN,
				      key->signature_chain[1].data, DSTACK_SIGNATURE_LEN, kms_root,
				      app_pubkey_out);
}

int dstack_verify_key_chain(const struct dstack_key *key, const char *purpose,
			    const char *algorithm, const uint8_t app_id[DSTACK_APP_ID_LEN],
			    const uint8_t kms_root[DSTACK_PUBKEY_LEN],
			    uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	int r;

	if (!key || !app_id || !kms_root)
		return ds_err(-EINVAL, "verification needs the key, the app id and the pinned KMS root");
	r = verify(key, purpose, algorithm, app_id, kms_root, app_pubkey_out);
	return r ? ds_err_ctx(r, "GetKey signature chain rejected") : 0;
}
