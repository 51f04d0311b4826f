/* crypto: Keccak, the RATLS HKDF, P-256 keys from bytes, derive_dh_secret. */
#include "crypto_test_util.h"

#include <openssl/evp.h>

#include "crypto/kdf.h"
#include "crypto/keccak.h"
#include "crypto/p256.h"
#include "util/err.h"

static void keccak_hex(size_t out_len, const char *msg, const char *want)
{
	struct ds_keccak k;
	uint8_t out[64];

	ds_keccak_init(&k, out_len);
	ds_keccak_update(&k, msg, strlen(msg));
	ds_keccak_final(&k, out);
	assert_hex(out, out_len, want);
}

static void test_keccak_known_answers(void **state)
{
	const char *msg;
	uint8_t out[32];

	(void)state;
	keccak_hex(32, "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
	keccak_hex(32, "abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
	keccak_hex(32, "The quick brown fox jumps over the lazy dog",
		   "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
	keccak_hex(48, "", "2c23146a63a29acf99e73b88f8c24eaa7dc60aa771780ccc006afbfa8fe2479b"
			   "2dd2b21362337441ac12b515911957ff");
	keccak_hex(64, "", "0eab42de4c3ceb9235fc91acffe746b29c29a8c366b7c60e4e67c466f36a4304"
			   "c00fa9caf9d87976ba469bcbe06713b435f091ef2769fb160cdab33d3670680e");
	/* Spec 8.5: the GetKey message of /test/path. */
	msg = "test-purpose:02c1082e78670feed1c847db81dbd71be37e4d53200a746c0a89f0afa8173cf566";
	ds_keccak256(msg, strlen(msg), out);
	assert_hex(out, 32, "4603d281e7a23e79c1291881909fad310d0a86c87756fb98f1d6a3f3cc18dccc");
}

/* The sponge and permutation across block boundaries: with the FIPS 202
 * domain byte 0x06 the same code must equal OpenSSL's SHA3, for every length
 * around one and two blocks and for input fed in odd pieces. */
static void test_keccak_sponge_matches_sha3(void **state)
{
	static const struct { size_t out; const char *md; } algs[] = {
		{ 32, "SHA3-256" }, { 48, "SHA3-384" }, { 64, "SHA3-512" } };
	uint8_t msg[400], mine[64], ref[64];
	unsigned ref_len;

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (size_t a = 0; a < 3; a++) {
		for (size_t len = 0; len <= sizeof(msg); len++) {
			struct ds_keccak k;

			ds_keccak_init(&k, algs[a].out);
			k.pad = 0x06;
			for (size_t off = 0; off < len; off += 13)
				ds_keccak_update(&k, msg + off, len - off < 13 ? len - off : 13);
			ds_keccak_final(&k, mine);
			assert_true(EVP_Digest(msg, len, ref, &ref_len,
					       EVP_get_digestbyname(algs[a].md), NULL));
			assert_int_equal(ref_len, algs[a].out);
			assert_memory_equal(mine, ref, ref_len);
		}
	}
}

static void test_hkdf(void **state)
{
	struct ds_slice two[] = { DS_SLICE_STR("context one"), DS_SLICE_STR("context two") };
	struct ds_slice one[] = { DS_SLICE_STR("context onecontext two") };
	uint8_t ikm[32], a[32], b[32], big[DS_KDF_MAX_OUT + 1];

	(void)state;
	unhex_into("f57527cea4ab7ffb49af99b158cdc0e3ec06398f528349ea236b7d2afe19cec1", ikm, 32);
	assert_int_equal(ds_derive_key(ikm, 32, two, 2, a, 32), 0);
	assert_hex(a, 32, "b60ac47b8fcfbdf96031b9e94f0b60cfe9de05eccb5a1dca41a26f757833c0e7");
	/* Context strings are concatenated without separators. */
	assert_int_equal(ds_derive_key(ikm, 32, one, 1, b, 32), 0);
	assert_memory_equal(a, b, 32);
	/* An empty list and a single empty string are the same empty info. */
	assert_int_equal(ds_derive_key(ikm, 32, NULL, 0, a, 32), 0);
	assert_int_not_equal(ds_derive_key(ikm, 0, NULL, 0, a, 32), 0);
	assert_int_not_equal(ds_derive_key(NULL, 0, NULL, 0, a, 32), 0);
	one[0] = DS_SLICE_STR("");
	assert_int_equal(ds_derive_key(ikm, 32, one, 1, b, 32), 0);
	assert_memory_equal(a, b, 32);
	assert_int_equal(ds_derive_key(ikm, 32, NULL, 0, big, DS_KDF_MAX_OUT), 0);
	assert_int_not_equal(ds_derive_key(ikm, 32, NULL, 0, big, DS_KDF_MAX_OUT + 1), 0);
	assert_int_not_equal(ds_derive_key(ikm, 32, NULL, 0, big, 0), 0);
}

static const char root_pkcs8[] =
	"308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420f57527cea4ab7ffb"
	"49af99b158cdc0e3ec06398f528349ea236b7d2afe19cec1a1440342000491f50522407ce29dce3ed7d31a15"
	"d80c1c42f13a23552d2b33a0ce09ee11e47bce95936f3e7f80d195f879e28e1b144ef37ac9ab8e36a690cbf9"
	"30b775897b27";

static void test_derive_dh_secret(void **state)
{
	struct ds_slice ctx[] = { DS_SLICE_STR("context one"), DS_SLICE_STR("context two") };
	struct ds_buf want = unhex(root_pkcs8), der = { 0 };
	uint8_t d[32], secret[32];
	EVP_PKEY *root, *derived;

	(void)state;
	unhex_into("f57527cea4ab7ffb49af99b158cdc0e3ec06398f528349ea236b7d2afe19cec1", d, 32);
	assert_int_equal(ds_p256_from_scalar(d, &root), 0);
	/* OpenSSL's PKCS#8 re-encoding of the root key is the upstream DER. */
	assert_int_equal(ds_p256_pkcs8_der(root, &der), 0);
	assert_int_equal(der.len, want.len);
	assert_memory_equal(der.data, want.data, want.len);
	ds_buf_wipe(&der);
	assert_int_equal(ds_p256_dh_secret(root, ctx, 2, secret), 0);
	assert_hex(secret, 32, "663afd58820be8ad645f9c035e93199d114ab16f738db62393bc1d7d623e8813");
	assert_int_equal(ds_p256_derive_from_key(root, ctx, 2, &derived), 0);
	assert_int_equal(ds_p256_pkcs8_der(derived, &der), 0);
	assert_int_equal(der.len, DS_P256_PKCS8_LEN);
	assert_hex(der.data + 36, 32, "b60ac47b8fcfbdf96031b9e94f0b60cfe9de05eccb5a1dca41a26f757833c0e7");
	assert_hex(der.data + 74, 64,
		   "da30d49a17cdcbd8be942b1370eb19b3cd8764adecf326aa3379a0e7af96fb19b635ad07cd66080d"
		   "61e6f3d15e735aaf2fddd717531d2da8aee57f40b4651ca5");
	ds_buf_wipe(&der);
	ds_buf_free(&want);
	EVP_PKEY_free(root);
	EVP_PKEY_free(derived);
}

static const char seed_key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCmrnVCWZO4KKzkkA\n"
	"IYCdzaRp1bUxsBiif90ozW2BEV6hRANCAAQgIph1PpHoM0VxDaBm9w8iY+JhCU8n\n"
	"HPLwL6UZpT2ld9m2SDVoGG2W5CwjC9CjQNdXsEAZtI+Durj+HtVK6n//\n"
	"-----END PRIVATE KEY-----\n";

static void test_p256_from_bytes_and_pem(void **state)
{
	struct ds_slice ctx[] = { DS_SLICE_STR("app-key") };
	uint8_t seed[32], d[32], point[65], spki[91];
	struct ds_buf pem = { 0 };
	EVP_PKEY *key, *back;

	(void)state;
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	assert_int_equal(ds_p256_derive_from_bytes(seed, 32, ctx, 1, &key), 0);
	assert_int_equal(ds_p256_scalar(key, d), 0);
	assert_hex(d, 32, "0a6ae75425993b828ace490021809dcda469d5b531b018a27fdd28cd6d81115e");
	assert_int_equal(ds_p256_public_point(key, point), 0);
	assert_hex(point, 65, "04202298753e91e83345710da066f70f2263e261094f271cf2f02fa519a53da577"
			      "d9b6483568186d96e42c230bd0a340d757b04019b48f83bab8fe1ed54aea7fff");
	assert_int_equal(ds_p256_spki_der(key, spki), 0);
	assert_hex(spki, 26, "3059301306072a8648ce3d020106082a8648ce3d030107034200");
	assert_int_equal(ds_p256_pkcs8_pem(key, &pem), 0);
	assert_string_equal((char *)pem.data, seed_key_pem);
	assert_int_equal(pem.len, strlen(seed_key_pem));
	assert_int_equal(ds_p256_from_pem((char *)pem.data, pem.len, &back), 0);
	assert_int_equal(EVP_PKEY_eq(key, back), 1);
	ds_buf_wipe(&pem);
	EVP_PKEY_free(key);
	EVP_PKEY_free(back);
}

static void test_p256_range_and_bad_input(void **state)
{
	static const char order[] =
		"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
	uint8_t d[32] = { 0 };
	EVP_PKEY *key = (EVP_PKEY *)1;

	(void)state;
	assert_int_not_equal(ds_p256_from_scalar(d, &key), 0);
	assert_null(key);
	unhex_into(order, d, 32);
	assert_int_not_equal(ds_p256_from_scalar(d, &key), 0);
	assert_string_equal(ds_err_msg(0), "P-256 secret key out of range");
	d[31] -= 1;
	assert_int_equal(ds_p256_from_scalar(d, &key), 0);
	EVP_PKEY_free(key);
	assert_int_not_equal(ds_p256_from_pem("garbage", 7, &key), 0);
	assert_null(key);
	/* A secp256k1 key is refused where a P-256 key is required. */
	assert_int_not_equal(ds_p256_from_pem(
		"-----BEGIN PRIVATE KEY-----\n"
		"MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQguK51qJwosTul7ZWvEfbh\n"
		"oX25WeRgALM61iKobTbCQvqhRANCAASuZ4NTSy0YnrbBn345rot5d0c9L2GGCOjt\n"
		"rV65yo54z31UXmdeEj6g0wYlaXfw23XL9Fwrb4pnru8bcT8s04sN\n"
		"-----END PRIVATE KEY-----\n", 237, &key), 0);
	assert_null(key);
}

static void test_p256_generate(void **state)
{
	struct ds_buf der = { 0 };
	EVP_PKEY *a, *b;

	(void)state;
	assert_int_equal(ds_p256_generate(&a), 0);
	assert_int_equal(ds_p256_generate(&b), 0);
	assert_int_not_equal(EVP_PKEY_eq(a, b), 1);
	/* Generated keys have the same canonical 138-byte PKCS#8 form. */
	assert_int_equal(ds_p256_pkcs8_der(a, &der), 0);
	assert_int_equal(der.len, DS_P256_PKCS8_LEN);
	assert_hex(der.data, 36, "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420");
	ds_buf_wipe(&der);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keccak_known_answers),
		cmocka_unit_test(test_keccak_sponge_matches_sha3),
		cmocka_unit_test(test_hkdf),
		cmocka_unit_test(test_derive_dh_secret),
		cmocka_unit_test(test_p256_from_bytes_and_pem),
		cmocka_unit_test(test_p256_range_and_bad_input),
		cmocka_unit_test(test_p256_generate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
