/* libsodium sealed boxes (crypto_box_seal), used by the local key provider
 * to deliver the sealing key (spec crypto-and-certs.md 1.7). */
#ifndef DS_CRYPTO_SEALBOX_H
#define DS_CRYPTO_SEALBOX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define DS_SEALBOX_KEY_LEN 32

/* Opens sealed[0..len] for the recipient key pair; out is a secret (release
 * with ds_buf_wipe). Any tampering or the wrong key fails. */
int ds_sealbox_open(const uint8_t pk[DS_SEALBOX_KEY_LEN], const uint8_t sk[DS_SEALBOX_KEY_LEN],
		    const uint8_t *sealed, size_t len, struct ds_buf *out);

#endif
