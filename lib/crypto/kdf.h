/* The one KDF of dstack (spec crypto-and-certs.md 1.1): HKDF-SHA256 with the
 * salt "RATLS" and, as info, the context strings concatenated with no
 * separator and no length prefix. */
#ifndef DS_CRYPTO_KDF_H
#define DS_CRYPTO_KDF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A borrowed byte string; data NULL with len 0 is the empty string (or, where
 * a field says so, "absent"). */
struct ds_slice {
	const void *data;
	size_t len;
};

#define DS_SLICE(p, n) ((struct ds_slice){ (p), (n) })
#define DS_SLICE_STR(s) ((struct ds_slice){ (s), strlen(s) })

/* Longest output HKDF-SHA256 can produce. */
#define DS_KDF_MAX_OUT (255u * 32u)

/* derive_key(ikm, context[0..n], out_len) into out. */
int ds_derive_key(const uint8_t *ikm, size_t ikm_len, const struct ds_slice *context, size_t n,
		  uint8_t *out, size_t out_len);

#endif
