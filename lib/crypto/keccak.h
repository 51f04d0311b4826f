/* Keccak with the original padding (byte 0x01), as used by Ethereum and by
 * dstack's signature chains and mr_config_id v2. This is NOT FIPS SHA3
 * (padding 0x06); OpenSSL 3.0 has no Keccak, hence this hand-written one. */
#ifndef DS_CRYPTO_KECCAK_H
#define DS_CRYPTO_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define DS_KECCAK256_LEN 32

struct ds_keccak {
	uint64_t state[25];
	size_t rate;     /* bytes absorbed per permutation: 200 - 2 * out_len */
	size_t pos;      /* bytes absorbed into the current block */
	size_t out_len;
	uint8_t pad;     /* domain padding byte: 0x01 for Keccak */
};

/* Starts a Keccak hash with a 32, 48 or 64-byte output (Keccak-256/384/512);
 * any other out_len is a programming error and yields Keccak-256. */
void ds_keccak_init(struct ds_keccak *k, size_t out_len);
void ds_keccak_update(struct ds_keccak *k, const void *data, size_t len);
/* Writes out_len bytes and wipes the state. */
void ds_keccak_final(struct ds_keccak *k, uint8_t *out);
/* One-shot Keccak-256. */
void ds_keccak256(const void *data, size_t len, uint8_t out[DS_KECCAK256_LEN]);

#endif
