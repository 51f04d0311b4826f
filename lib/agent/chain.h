/* The GetKey signature-chain check (spec guest-agent-api.md 3.2) over two
 * primitives it does not implement itself: Keccak-256 and secp256k1
 * public-key recovery. They come from lib/crypto; until that is wired into
 * ds_chain_backend_default, dstack_verify_key_chain() returns -ENOSYS. */
#ifndef DS_AGENT_CHAIN_H
#define DS_AGENT_CHAIN_H

#include <dstack/dstack.h>
#include <stddef.h>
#include <stdint.h>

#define DS_KECCAK256_LEN 32

struct ds_chain_backend {
	/* Original Keccak-256 (Ethereum padding), not SHA3-256. */
	int (*keccak256)(const uint8_t *data, size_t len, uint8_t out[DS_KECCAK256_LEN]);
	/* The compressed key that made sig (r || s || v, v in {0, 1}) over digest. */
	int (*recover)(const uint8_t digest[DS_KECCAK256_LEN], const uint8_t sig[DSTACK_SIGNATURE_LEN],
		       uint8_t pubkey[DSTACK_PUBKEY_LEN]);
};

extern const struct ds_chain_backend ds_chain_backend_default;

/* The derived public key GetKey signs: 33-byte compressed secp256k1, or the
 * 32-byte Ed25519 key of the secret as RFC 8032 seed. *len is set. */
int ds_chain_derived_pubkey(const char *algorithm, const uint8_t key[DSTACK_KEY_LEN],
			    uint8_t pub[DSTACK_PUBKEY_LEN], size_t *len);

/* dstack_verify_key_chain() with an explicit backend. */
int ds_chain_verify(const struct ds_chain_backend *backend, const struct dstack_key *key,
		    const char *purpose, const char *algorithm,
		    const uint8_t app_id[DSTACK_APP_ID_LEN], const uint8_t kms_root[DSTACK_PUBKEY_LEN],
		    uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN]);

#endif
