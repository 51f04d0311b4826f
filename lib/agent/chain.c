/* GetKey signature chain (spec guest-agent-api.md 3.1-3.2): sig_app by the
 * app root key over "<purpose>:<hex pubkey>", sig_kms by the KMS root over
 * "dstack-kms-issued:" || app_id || app root key. Recovery alone proves
 * nothing; only the final comparison with the pinned root does. */
#include "agent/agent.h"
#include "agent/chain.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <secp256k1.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define KMS_PREFIX "dstack-kms-issued:"

static int k256_pubkey(const uint8_t key[DSTACK_KEY_LEN], uint8_t pub[DSTACK_PUBKEY_LEN])
{
	secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
	uint8_t blind[32];
	secp256k1_pubkey pk;
	size_t len = DSTACK_PUBKEY_LEN;
	int ok;

	if (!ctx)
		return ds_err(-ENOMEM, "cannot create a secp256k1 context");
	/* Blinding against side channels while the secret is in use. */
	ok = getrandom(blind, sizeof(blind), 0) == sizeof(blind) &&
	     secp256k1_context_randomize(ctx, blind) &&
	     secp256k1_ec_pubkey_create(ctx, &pk, key) &&
	     secp256k1_ec_pubkey_serialize(ctx, pub, &len, &pk, SECP256K1_EC_COMPRESSED);
	secp256k1_context_destroy(ctx);
	return ok ? 0 : ds_err(-EINVAL, "the key is not a valid secp256k1 secret");
}

static int ed25519_pubkey(const uint8_t key[DSTACK_KEY_LEN], uint8_t pub[32])
{
	EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key, DSTACK_KEY_LEN);
	size_t len = 32;
	int ok = pk && EVP_PKEY_get_raw_public_key(pk, pub, &len) == 1 && len == 32;

	EVP_PKEY_free(pk);
	return ok ? 0 : ds_err(-EINVAL, "cannot derive the Ed25519 public key");
}

int ds_chain_derived_pubkey(const char *algorithm, const uint8_t key[DSTACK_KEY_LEN],
			    uint8_t pub[DSTACK_PUBKEY_LEN], size_t *len)
{
	const char *alg = algorithm ? algorithm : "";

	if (ds_agent_is_k256_algorithm(alg)) {
		*len = DSTACK_PUBKEY_LEN;
		return k256_pubkey(key, pub);
	}
	if (!strcmp(alg, "ed25519")) {
		*len = 32;
		return ed25519_pubkey(key, pub);
	}
	return ds_err(-EINVAL, "unsupported algorithm \"%s\"", alg);
}

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

/* Recovers the signer of Keccak-256(msg). */
static int recover(const struct ds_chain_backend *be, const uint8_t *msg, size_t len,
		   const uint8_t *sig, uint8_t signer[DSTACK_PUBKEY_LEN])
{
	uint8_t digest[DS_KECCAK256_LEN];
	int r;

	r = be->keccak256(msg, len, digest);
	if (r == 0)
		r = be->recover(digest, sig, signer);
	return r;
}

static int app_key(const struct ds_chain_backend *be, const struct dstack_key *key,
		   const char *purpose, const char *algorithm, uint8_t app_pub[DSTACK_PUBKEY_LEN])
{
	uint8_t pub[DSTACK_PUBKEY_LEN];
	size_t plen = strlen(purpose), pub_len;
	char *msg;
	int r;

	r = ds_chain_derived_pubkey(algorithm, key->key, pub, &pub_len);
	if (r)
		return r;
	msg = malloc(plen + 1 + 2 * DSTACK_PUBKEY_LEN + 1);
	if (!msg)
		return ds_err(-ENOMEM, "out of memory");
	memcpy(msg, purpose, plen);
	msg[plen] = ':';
	ds_hex_encode(pub, pub_len, msg + plen + 1);
	r = recover(be, (const uint8_t *)msg, plen + 1 + 2 * pub_len, key->signature_chain[0].data,
		    app_pub);
	free(msg);
	return r ? ds_err_ctx(r, "cannot recover the app key from the app signature") : 0;
}

static int kms_key(const struct ds_chain_backend *be, const struct dstack_key *key,
		   const uint8_t app_id[DSTACK_APP_ID_LEN], const uint8_t app_pub[DSTACK_PUBKEY_LEN],
		   uint8_t kms_pub[DSTACK_PUBKEY_LEN])
{
	uint8_t msg[sizeof(KMS_PREFIX) - 1 + DSTACK_APP_ID_LEN + DSTACK_PUBKEY_LEN];
	size_t n = sizeof(KMS_PREFIX) - 1;
	int r;

	memcpy(msg, KMS_PREFIX, n);
	memcpy(msg + n, app_id, DSTACK_APP_ID_LEN);
	memcpy(msg + n + DSTACK_APP_ID_LEN, app_pub, DSTACK_PUBKEY_LEN);
	r = recover(be, msg, sizeof(msg), key->signature_chain[1].data, kms_pub);
	return r ? ds_err_ctx(r, "cannot recover the KMS key from the KMS signature") : 0;
}

int ds_chain_verify(const struct ds_chain_backend *be, const struct dstack_key *key,
		    const char *purpose, const char *algorithm,
		    const uint8_t app_id[DSTACK_APP_ID_LEN], const uint8_t kms_root[DSTACK_PUBKEY_LEN],
		    uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	uint8_t app_pub[DSTACK_PUBKEY_LEN], kms_pub[DSTACK_PUBKEY_LEN];
	int r;

	if (!key || !app_id || !kms_root)
		return ds_err(-EINVAL, "verification needs the key, the app id and the pinned KMS root");
	if (!be->keccak256 || !be->recover)
		return ds_err(-ENOSYS, "signature-chain verification is not available in this build "
			      "(no Keccak-256/secp256k1 recovery backend)");
	r = check_signature(key, 0, "app signature");
	if (r == 0)
		r = check_signature(key, 1, "KMS signature (as with keys not issued by a KMS)");
	if (r == 0)
		r = app_key(be, key, purpose ? purpose : "", algorithm, app_pub);
	if (r == 0)
		r = kms_key(be, key, app_id, app_pub, kms_pub);
	if (r == 0 && CRYPTO_memcmp(kms_pub, kms_root, DSTACK_PUBKEY_LEN))
		r = ds_err(-EKEYREJECTED, "the key chain ends in a KMS key other than the pinned root");
	if (r)
		return ds_err_ctx(r, "GetKey signature chain rejected");
	if (app_pubkey_out)
		memcpy(app_pubkey_out, app_pub, DSTACK_PUBKEY_LEN);
	return 0;
}

int dstack_verify_key_chain(const struct dstack_key *key, const char *purpose,
			    const char *algorithm, const uint8_t app_id[DSTACK_APP_ID_LEN],
			    const uint8_t kms_root[DSTACK_PUBKEY_LEN],
			    uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN])
{
	return ds_chain_verify(&ds_chain_backend_default, key, purpose, algorithm, app_id, kms_root,
			       app_pubkey_out);
}
