/* Keccak-f[1600] sponge (FIPS 202 section 3 permutation), written from the
 * specification: theta, rho+pi, chi, iota over 24 rounds, little-endian
 * lanes. */
#include "crypto/keccak.h"

#include <openssl/crypto.h>
#include <string.h>

static const uint64_t round_constants[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* Rotation offsets and destination lanes of the combined rho and pi steps,
 * following the lane at index 1 around its 24-step cycle. */
static const unsigned rho[24] = { 1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
				  27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44 };
static const unsigned pi_lane[24] = { 10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
				      15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1 };

static uint64_t rotl(uint64_t x, unsigned n)
{
	return (x << n) | (x >> (64 - n));
}

static void keccak_f1600(uint64_t a[25])
{
	for (int round = 0; round < 24; round++) {
		uint64_t c[5], t;

		for (int x = 0; x < 5; x++)
			c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
		for (int x = 0; x < 5; x++) {
			t = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
			for (int y = 0; y < 25; y += 5)
				a[y + x] ^= t;
		}
		t = a[1];
		for (int i = 0; i < 24; i++) {
			uint64_t next = a[pi_lane[i]];
			a[pi_lane[i]] = rotl(t, rho[i]);
			t = next;
		}
		for (int y = 0; y < 25; y += 5) {
			for (int x = 0; x < 5; x++)
				c[x] = a[y + x];
			for (int x = 0; x < 5; x++)
				a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
		}
		a[0] ^= round_constants[round];
	}
}

static void xor_byte(struct ds_keccak *k, size_t offset, uint8_t byte)
{
	k->state[offset / 8] ^= (uint64_t)byte << (8 * (offset % 8));
}

void ds_keccak_init(struct ds_keccak *k, size_t out_len)
{
	if (out_len != 32 && out_len != 48 && out_len != 64)
		out_len = 32;
	memset(k, 0, sizeof(*k));
	k->out_len = out_len;
	k->rate = 200 - 2 * out_len;
	k->pad = 0x01;
}

void ds_keccak_update(struct ds_keccak *k, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++) {
		xor_byte(k, k->pos++, p[i]);
		if (k->pos == k->rate) {
			keccak_f1600(k->state);
			k->pos = 0;
		}
	}
}

void ds_keccak_final(struct ds_keccak *k, uint8_t *out)
{
	xor_byte(k, k->pos, k->pad);
	xor_byte(k, k->rate - 1, 0x80);
	keccak_f1600(k->state);
	for (size_t i = 0; i < k->out_len; i++)
		out[i] = (uint8_t)(k->state[i / 8] >> (8 * (i % 8)));
	OPENSSL_cleanse(k, sizeof(*k));
}

void ds_keccak256(const void *data, size_t len, uint8_t out[DS_KECCAK256_LEN])
{
	struct ds_keccak k;

	ds_keccak_init(&k, DS_KECCAK256_LEN);
	ds_keccak_update(&k, data, len);
	ds_keccak_final(&k, out);
}
