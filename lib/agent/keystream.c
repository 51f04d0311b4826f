/* Key expansion: SHAKE256(label || secret) as a deterministic stream
 * (spec guest-agent-api.md 9.4, known answer 11.9). The secret is exactly
 * 32 bytes, so label || secret is an unambiguous encoding of the pair. */
#include "agent/agent.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_MAX (64u << 10)
#define SCALAR_LEN 32

struct dstack_keystream {
	EVP_MD_CTX *absorbed;   /* SHAKE256 with label || secret absorbed */
	size_t pos;             /* bytes handed out so far */
};

/* Group orders, big-endian: equal-length big-endian strings compare as
 * numbers with memcmp. */
static const uint8_t p256_order[SCALAR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};
static const uint8_t secp256k1_order[SCALAR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
	0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
};

int dstack_keystream_new(const uint8_t secret[DSTACK_KEY_LEN], const char *label,
			 dstack_keystream **out)
{
	struct dstack_keystream *s;
	int ok;

	if (!out)
		return ds_err(-EINVAL, "no place for the key stream");
	*out = NULL;
	if (!secret || !label || !*label)
		return ds_err(-EINVAL, "key expansion needs a secret and a non-empty label");
	s = calloc(1, sizeof(*s));
	if (!s)
		return ds_err(-ENOMEM, "out of memory");
	s->absorbed = EVP_MD_CTX_new();
	ok = s->absorbed && EVP_DigestInit_ex(s->absorbed, EVP_shake256(), NULL) == 1 &&
	     EVP_DigestUpdate(s->absorbed, label, strlen(label)) == 1 &&
	     EVP_DigestUpdate(s->absorbed, secret, DSTACK_KEY_LEN) == 1;
	if (!ok) {
		dstack_keystream_free(s);
		return ds_err(-EIO, "SHAKE256 is not available");
	}
	*out = s;
	return 0;
}

/* OpenSSL 3.0 squeezes a XOF only once per context, so each read squeezes
 * pos + len bytes from a copy and keeps the tail: SHAKE output of a shorter
 * length is a prefix of a longer one. */
int dstack_keystream_read(dstack_keystream *s, uint8_t *out, size_t len)
{
	EVP_MD_CTX *ctx;
	uint8_t *all;
	size_t total;
	int ok;

	if (!s || (len && !out))
		return ds_err(-EINVAL, "key stream read needs a stream and a buffer");
	if (len > STREAM_MAX - s->pos)
		return ds_err(-ERANGE, "key stream exhausted (%u bytes at most)", STREAM_MAX);
	if (!len)
		return 0;
	total = s->pos + len;
	all = malloc(total);
	ctx = EVP_MD_CTX_new();
	ok = all && ctx && EVP_MD_CTX_copy_ex(ctx, s->absorbed) == 1 &&
	     EVP_DigestFinalXOF(ctx, all, total) == 1;
	if (ok) {
		memcpy(out, all + s->pos, len);
		s->pos = total;
	}
	EVP_MD_CTX_free(ctx);
	if (all)
		OPENSSL_cleanse(all, total);
	free(all);
	return ok ? 0 : ds_err(-EIO, "SHAKE256 failed");
}

static const uint8_t *curve_order(enum dstack_curve curve)
{
	switch (curve) {
	case DSTACK_CURVE_P256:
		return p256_order;
	case DSTACK_CURVE_SECP256K1:
		return secp256k1_order;
	}
	return NULL;
}

int ds_scalar_valid(const uint8_t scalar[32], enum dstack_curve curve)
{
	static const uint8_t zero[SCALAR_LEN];
	const uint8_t *order = curve_order(curve);

	return order && memcmp(scalar, zero, SCALAR_LEN) && memcmp(scalar, order, SCALAR_LEN) < 0;
}

int dstack_keystream_scalar(dstack_keystream *s, enum dstack_curve curve, uint8_t out[32])
{
	int r;

	if (!curve_order(curve))
		return ds_err(-EINVAL, "unknown curve %d", (int)curve);
	do {
		r = dstack_keystream_read(s, out, SCALAR_LEN);
		if (r) {
			OPENSSL_cleanse(out, SCALAR_LEN);
			return r;
		}
	} while (!ds_scalar_valid(out, curve));
	return 0;
}

void dstack_keystream_free(dstack_keystream *s)
{
	if (!s)
		return;
	EVP_MD_CTX_free(s->absorbed);
	free(s);
}

int dstack_key_expand(const uint8_t secret[DSTACK_KEY_LEN], const char *label, uint8_t *out,
		      size_t len)
{
	dstack_keystream *s;
	int r;

	r = dstack_keystream_new(secret, label, &s);
	if (r == 0)
		r = dstack_keystream_read(s, out, len);
	dstack_keystream_free(s);
	return r;
}
