#include "crypto/k256.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <string.h>

/* n/2, the largest s a low-S signature may carry. */
static const uint8_t half_order[32] = {
	0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
};

static secp256k1_context *shared_ctx;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

/* One context for the process, randomized against side channels. */
static void ctx_create(void)
{
	uint8_t seed[32];

	shared_ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
	if (shared_ctx && RAND_priv_bytes(seed, sizeof(seed)) == 1 &&
	    !secp256k1_context_randomize(shared_ctx, seed)) {
		secp256k1_context_destroy(shared_ctx);
		shared_ctx = NULL;
	}
	OPENSSL_cleanse(seed, sizeof(seed));
}

static const secp256k1_context *ctx(void)
{
	pthread_once(&ctx_once, ctx_create);
	return shared_ctx;
}

static int compressed(const secp256k1_context *c, const secp256k1_pubkey *pk,
		      uint8_t pub[DS_K256_PUB_LEN])
{
	size_t len = DS_K256_PUB_LEN;

	if (!secp256k1_ec_pubkey_serialize(c, pub, &len, pk, SECP256K1_EC_COMPRESSED))
		return ds_err(-EIO, "failed to serialize a secp256k1 public key");
	return 0;
}

int ds_k256_pubkey(const uint8_t sk[DS_K256_SECRET_LEN], uint8_t pub[DS_K256_PUB_LEN])
{
	const secp256k1_context *c = ctx();
	secp256k1_pubkey pk;

	if (!c)
		return ds_err(-ENOMEM, "failed to create a secp256k1 context");
	if (!secp256k1_ec_pubkey_create(c, &pk, sk))
		return ds_err(-EINVAL, "invalid secp256k1 secret key");
	return compressed(c, &pk, pub);
}

int ds_k256_normalize_even_y(uint8_t sk[DS_K256_SECRET_LEN])
{
	uint8_t pub[DS_K256_PUB_LEN];
	int r = ds_k256_pubkey(sk, pub);

	if (r)
		return ds_err_ctx(r, "Failed to parse k256 key");
	if (pub[0] == 0x03 && !secp256k1_ec_seckey_negate(ctx(), sk))
		return ds_err(-EIO, "failed to negate a secp256k1 key");
	return 0;
}

int ds_k256_generate_even_y(uint8_t sk[DS_K256_SECRET_LEN])
{
	/* A draw of 0 or >= n has probability below 2^-127; draw again. */
	do {
		if (RAND_priv_bytes(sk, DS_K256_SECRET_LEN) != 1)
			return ds_err(-EIO, "the random generator failed");
	} while (!ctx() || !secp256k1_ec_seckey_verify(ctx(), sk));
	return ds_k256_normalize_even_y(sk);
}

int ds_k256_sign_recoverable(const uint8_t sk[DS_K256_SECRET_LEN], const uint8_t digest[32],
			     uint8_t sig[DS_K256_RSIG_LEN])
{
	const secp256k1_context *c = ctx();
	secp256k1_ecdsa_recoverable_signature rs;
	int recid;

	if (!c || !secp256k1_ecdsa_sign_recoverable(c, &rs, digest, sk, NULL, NULL))
		return ds_err(-EINVAL, "secp256k1 signing failed (invalid secret key)");
	secp256k1_ecdsa_recoverable_signature_serialize_compact(c, sig, &recid, &rs);
	sig[64] = (uint8_t)recid;
	return 0;
}

int ds_k256_recover(const uint8_t digest[32], const uint8_t *sig, size_t sig_len,
		    uint8_t pub[DS_K256_PUB_LEN])
{
	const secp256k1_context *c = ctx();
	secp256k1_ecdsa_recoverable_signature rs;
	secp256k1_pubkey pk;

	if (!c)
		return ds_err(-ENOMEM, "failed to create a secp256k1 context");
	if (sig_len != DS_K256_RSIG_LEN)
		return ds_err(-EINVAL, "recoverable signature must be 65 bytes, got %zu", sig_len);
	if (sig[64] > 3)
		return ds_err(-EINVAL, "invalid recovery id %u", sig[64]);
	if (memcmp(sig + 32, half_order, 32) > 0)
		return ds_err(-EINVAL, "signature s is not low (malleable signature)");
	if (!secp256k1_ecdsa_recoverable_signature_parse_compact(c, &rs, sig, sig[64]) ||
	    !secp256k1_ecdsa_recover(c, &pk, &rs, digest))
		return ds_err(-EINVAL, "failed to recover a public key from the signature");
	return compressed(c, &pk, pub);
}

int ds_k256_sign(const uint8_t sk[DS_K256_SECRET_LEN], const uint8_t digest[32],
		 uint8_t sig[DS_K256_SIG_LEN])
{
	const secp256k1_context *c = ctx();
	secp256k1_ecdsa_signature s;

	if (!c || !secp256k1_ecdsa_sign(c, &s, digest, sk, NULL, NULL))
		return ds_err(-EINVAL, "secp256k1 signing failed (invalid secret key)");
	secp256k1_ecdsa_signature_serialize_compact(c, sig, &s);
	return 0;
}

/* SEC1 forms k256 accepts: compressed (02/03) or uncompressed (04); not
 * libsecp256k1's extra "hybrid" form (06/07). */
static int sec1_form(const uint8_t *pub, size_t len)
{
	return (len == DS_K256_PUB_LEN && (pub[0] == 0x02 || pub[0] == 0x03)) ||
	       (len == 65 && pub[0] == 0x04);
}

static int is_zero(const uint8_t *p, size_t len)
{
	uint8_t any = 0;

	for (size_t i = 0; i < len; i++)
		any |= p[i];
	return !any;
}

int ds_k256_verify(const uint8_t *pub, size_t pub_len, const uint8_t digest[32],
		   const uint8_t sig[DS_K256_SIG_LEN])
{
	const secp256k1_context *c = ctx();
	secp256k1_ecdsa_signature s;
	secp256k1_pubkey pk;

	if (!c)
		return ds_err(-ENOMEM, "failed to create a secp256k1 context");
	if (!sec1_form(pub, pub_len) || !secp256k1_ec_pubkey_parse(c, &pk, pub, pub_len))
		return ds_err(-EINVAL, "invalid public key: not a secp256k1 point in SEC1 form");
	/* parse_compact rejects r or s >= n; zero is rejected here. */
	if (!secp256k1_ecdsa_signature_parse_compact(c, &s, sig) || is_zero(sig, 32) ||
	    is_zero(sig + 32, 32))
		return ds_err(-EINVAL, "invalid signature: r or s is zero or not below the group order");
	/* verify rejects high-S, as k256 does. */
	if (!secp256k1_ecdsa_verify(c, &s, digest, &pk))
		return ds_err(-EACCES, "secp256k1 signature verification failed");
	return 0;
}
