/* Key expansion (SHAKE256 stream, spec guest-agent-api.md 9.4 and known
 * answer 11.9) and the GetKey signature-chain procedure (3.2). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "fixtures.h"

#define TESSERA_LABEL "tessera/dstack-kms/arc-server-key/v1"

static void unhex(const char *hex, uint8_t *out, size_t len)
{
	assert_int_equal(ds_hex_decode_exact(hex, out, len), 0);
}

/* 11.9: TESSERA's KAT_KEY_0X5A, and the simulator secret of its key id. */
static void test_expand_known_answers(void **state)
{
	uint8_t secret[32], out[128];

	(void)state;
	memset(secret, 0x5a, sizeof(secret));
	assert_int_equal(dstack_key_expand(secret, TESSERA_LABEL, out, sizeof(out)), 0);
	assert_hex(out, sizeof(out),
		   "8cd07abfe95e34abc8d78b240b1050206edd439888b0276ec1f86b6eb56e592cb65ddd4b6a66734dffad55f1826956fa"
		   "51fc30e7f1dd6667c29911a323fbc59605fb6f1f8177100d04fc45a4295266593ccf3b66d69daea5245b81695c641b26"
		   "906ee5a0f1d6f05abc011bcf3a717acb7457c2563b8df6b5d313ea28ecedaf01");
	unhex("e45a4657deb6c4fcf57f59d5ebb5b7c2fc6904c0ecbc6c17ace4a2d2c59b8077", secret, 32);
	assert_int_equal(dstack_key_expand(secret, TESSERA_LABEL, out, sizeof(out)), 0);
	assert_hex(out, sizeof(out),
		   "d643e46b79ee86b19d0bb148389aab096b765e9d2decb3bc768b812f19336d48c9c6863ae7dd5d387761cb80a27a99db"
		   "ff3b177cea5ec92b31c6889a89296a696a107c19d221c9f87b1a7e11e80ab000cb3d6dcdafb45a7505bce2e7f94fb559"
		   "fc8dde1aa3f59989559bbad4ce7bbe4c06ab9085b11e3976da3330fdf64f46fd");
}

/* Reading in pieces gives the one-shot bytes; four P-256 scalars of the
 * simulator secret are its first 128 bytes (all below the order, 11.9). */
static void test_stream(void **state)
{
	uint8_t secret[32], whole[128], pieces[128];
	dstack_keystream *s;

	(void)state;
	unhex("e45a4657deb6c4fcf57f59d5ebb5b7c2fc6904c0ecbc6c17ace4a2d2c59b8077", secret, 32);
	assert_int_equal(dstack_key_expand(secret, TESSERA_LABEL, whole, sizeof(whole)), 0);
	assert_int_equal(dstack_keystream_new(secret, TESSERA_LABEL, &s), 0);
	assert_int_equal(dstack_keystream_read(s, pieces, 1), 0);
	assert_int_equal(dstack_keystream_read(s, pieces + 1, 0), 0);
	assert_int_equal(dstack_keystream_read(s, pieces + 1, 40), 0);
	assert_int_equal(dstack_keystream_read(s, pieces + 41, 87), 0);
	dstack_keystream_free(s);
	assert_memory_equal(whole, pieces, sizeof(whole));

	assert_int_equal(dstack_keystream_new(secret, TESSERA_LABEL, &s), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(dstack_keystream_scalar(s, DSTACK_CURVE_P256, pieces + 32 * i), 0);
	assert_memory_equal(whole, pieces, sizeof(whole));
	assert_int_equal(dstack_keystream_scalar(s, (enum dstack_curve)9, pieces), -EINVAL);
	dstack_keystream_free(s);
}

static void test_stream_separation_and_limits(void **state)
{
	uint8_t secret[32] = { 1 }, a[32], b[32], big[1024];
	dstack_keystream *s;

	(void)state;
	assert_int_equal(dstack_key_expand(secret, "app/a/v1", a, sizeof(a)), 0);
	assert_int_equal(dstack_key_expand(secret, "app/b/v1", b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	secret[31] = 1;
	assert_int_equal(dstack_key_expand(secret, "app/a/v1", b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(dstack_keystream_new(secret, "", &s), -EINVAL);
	assert_null(s);
	assert_int_equal(dstack_keystream_new(secret, NULL, &s), -EINVAL);
	assert_int_equal(dstack_keystream_new(secret, "x", &s), 0);
	for (int i = 0; i < 64; i++)
		assert_int_equal(dstack_keystream_read(s, big, sizeof(big)), 0);
	assert_int_equal(dstack_keystream_read(s, big, 1), -ERANGE);
	dstack_keystream_free(s);
}

static void test_scalar_range(void **state)
{
	uint8_t s[32];

	(void)state;
	unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", s, 32);
	assert_false(ds_scalar_valid(s, DSTACK_CURVE_P256));
	s[31]--;
	assert_true(ds_scalar_valid(s, DSTACK_CURVE_P256));
	unhex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", s, 32);
	assert_false(ds_scalar_valid(s, DSTACK_CURVE_SECP256K1));
	s[31]--;
	assert_true(ds_scalar_valid(s, DSTACK_CURVE_SECP256K1));
	assert_false(ds_scalar_valid(s, DSTACK_CURVE_P256));
	memset(s, 0, 32);
	assert_false(ds_scalar_valid(s, DSTACK_CURVE_SECP256K1));
	s[31] = 1;
	assert_true(ds_scalar_valid(s, DSTACK_CURVE_P256));
	memset(s, 0xff, 32);
	assert_false(ds_scalar_valid(s, DSTACK_CURVE_SECP256K1));
}

#define APP_PUB "02818494263695e8839122dbd88e281d7380622999df4e60a14befa0f2d096fc7c"
#define KMS_PUB "0321529e458424ab1f710a3a57ec4dad2fb195ddca572f7469242ba6c7563085b6"
#define APP_ID "5bb4ff9a3837357f19dc176407a5709c62eb6c56"
#define KMS_SIG "9e618603e72d01fedb82deff6daf2d62a572becf0059eec3f89c1ab40e1f2e59" \
		"4d2a283f843f34e8f39e4cc49a612496ce67223a12ac923f8efe330346dfc6c500"

static void set_sig(struct dstack_bytes *sig, const char *hex)
{
	sig->len = strlen(hex) / 2;
	sig->data = malloc(sig->len ? sig->len : 1);
	unhex(hex, sig->data, sig->len);
}

/* A GetKey answer of the simulator (spec 11.3), with the KMS signature of
 * its app keys (11.2). */
static void make_key(struct dstack_key *k, const char *key_hex, const char *sig0_hex)
{
	memset(k, 0, sizeof(*k));
	unhex(key_hex, k->key, 32);
	k->signature_chain = calloc(2, sizeof(*k->signature_chain));
	k->signature_chain_len = 2;
	set_sig(&k->signature_chain[0], sig0_hex);
	set_sig(&k->signature_chain[1], KMS_SIG);
}

static void make_chain(struct dstack_key *k)
{
	make_key(k, "b9fbb7171185c421c58610a2acba8ceae93623ae47815618cbad1e98fc042cb7",
		 "f50c51735a97072f0c98125ed61fc84e2fdb36e95990b9e57337dadc0e2a9712"
		 "227f04e07209faecb8891d59ec144a6c13e411dc90b3423f28071bd3fe11978d01");
}

static int verify_alg(const struct dstack_key *k, const char *purpose, const char *alg,
		      const char *kms_hex, uint8_t app_pub[33])
{
	uint8_t app_id[20], kms[33];

	unhex(APP_ID, app_id, 20);
	unhex(kms_hex, kms, 33);
	return dstack_verify_key_chain(k, purpose, alg, app_id, kms, app_pub);
}

static int verify(const struct dstack_key *k, const char *purpose, const char *kms_hex,
		  uint8_t app_pub[33])
{
	return verify_alg(k, purpose, "secp256k1", kms_hex, app_pub);
}

/* The 11.2/11.3 vectors verify to the simulator's KMS root. */
static void test_chain_vectors(void **state)
{
	struct dstack_key k;
	uint8_t app_pub[33];

	(void)state;
	make_chain(&k);
	assert_int_equal(verify(&k, "test-purpose", KMS_PUB, app_pub), 0);
	assert_hex(app_pub, 33, APP_PUB);
	assert_int_equal(verify_alg(&k, "test-purpose", NULL, KMS_PUB, NULL), 0);
	assert_int_equal(verify_alg(&k, "test-purpose", "k256", KMS_PUB, NULL), 0);
	dstack_key_free(&k);
	make_key(&k, "5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d",
		 "b7f234a4d6bec159a386f29b72fa1699ce51ee89f26eaf9d6121875f89721759"
		 "5ace606b044c75b3f5a33debaf7c3fa289c59b5c260726cfbd6dd3e91139f5f401");
	assert_int_equal(verify_alg(&k, "purpose", "ed25519", KMS_PUB, app_pub), 0);
	assert_hex(app_pub, 33, APP_PUB);
	/* The same bytes read as secp256k1 sign another public key. */
	assert_int_not_equal(verify_alg(&k, "purpose", "secp256k1", KMS_PUB, NULL), 0);
	dstack_key_free(&k);
}

/* Every tampering fails, and nothing is written on failure. */
static void test_chain_tampering(void **state)
{
	struct dstack_key k;
	uint8_t app_pub[33] = { 0 }, zero[33] = { 0 };

	(void)state;
	make_chain(&k);
	assert_int_equal(verify(&k, "test-purpose", APP_PUB, app_pub), -EKEYREJECTED);
	assert_memory_equal(app_pub, zero, 33);
	assert_non_null(strstr(dstack_last_error(), "trusted KMS root"));
	assert_int_not_equal(verify(&k, "other-purpose", KMS_PUB, NULL), 0);
	assert_int_not_equal(verify(&k, "test-purpose:", KMS_PUB, NULL), 0);
	assert_int_not_equal(verify_alg(&k, "test-purpose", "rsa", KMS_PUB, NULL), 0);
	k.key[0] ^= 1;
	assert_int_not_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	k.key[0] ^= 1;
	k.signature_chain[0].data[10] ^= 1;
	assert_int_not_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	k.signature_chain[0].data[10] ^= 1;
	k.signature_chain[1].data[40] ^= 1;
	assert_int_not_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	k.signature_chain[1].data[40] ^= 1;
	assert_int_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	k.signature_chain[1].data[64] = 27;
	assert_int_not_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	assert_non_null(strstr(dstack_last_error(), "recovery id 27"));
	k.signature_chain[1].len = 64;
	assert_int_not_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	k.signature_chain[1].len = 0;
	assert_int_not_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	assert_non_null(strstr(dstack_last_error(), "no KMS signature"));
	k.signature_chain_len = 1;
	assert_int_not_equal(verify(&k, "test-purpose", KMS_PUB, NULL), 0);
	k.signature_chain_len = 2;
	k.signature_chain[1].len = 65;
	dstack_key_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_known_answers),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_separation_and_limits),
		cmocka_unit_test(test_scalar_range),
		cmocka_unit_test(test_chain_vectors),
		cmocka_unit_test(test_chain_tampering),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
