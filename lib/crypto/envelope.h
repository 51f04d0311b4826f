/* The encrypted-env envelope (spec crypto-and-certs.md 4.1-4.2): ephemeral
 * X25519 public key (32) || AES-GCM IV (12) || ciphertext || tag (16). The
 * raw X25519 shared secret is the AES-256 key; there is no AAD. */
#ifndef DS_CRYPTO_ENVELOPE_H
#define DS_CRYPTO_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define DS_X25519_KEY_LEN 32
#define DS_ENV_IV_LEN 12
#define DS_ENV_TAG_LEN 16
#define DS_ENV_HEADER_LEN (DS_X25519_KEY_LEN + DS_ENV_IV_LEN)
#define DS_ENV_MIN_LEN (DS_ENV_HEADER_LEN + DS_ENV_TAG_LEN)
/* Largest .encrypted-env accepted (both upstream revisions). */
#define DS_ENCRYPTED_ENV_MAX (256u * 1024u)

/* X25519(sk, 9): the public key of an env_crypt_key. */
int ds_x25519_public(const uint8_t sk[DS_X25519_KEY_LEN], uint8_t pk[DS_X25519_KEY_LEN]);
/* Opens an envelope with the app's env_crypt_key. Fails on short input, an
 * all-zero shared secret (low-order ephemeral key) or a bad tag; plain is a
 * secret (release with ds_buf_wipe). */
int ds_env_decrypt(const uint8_t sk[DS_X25519_KEY_LEN], const uint8_t *envelope, size_t len,
		   struct ds_buf *plain);
/* The sender's side, with caller-chosen ephemeral secret and IV (both must be
 * fresh random bytes for real use). */
int ds_env_encrypt(const uint8_t recipient_pk[DS_X25519_KEY_LEN],
		   const uint8_t eph_sk[DS_X25519_KEY_LEN], const uint8_t iv[DS_ENV_IV_LEN],
		   const uint8_t *plain, size_t len, struct ds_buf *envelope);

#endif
