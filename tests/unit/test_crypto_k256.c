/* crypto: secp256k1 keys and signatures, GetKey, the KMS signature chain and
 * the env-encryption public key signature (spec 1.5, 4.7, 6, 8.2, 8.5, 8.8). */
#include "crypto_test_util.h"

#include "crypto/getkey.h"
#include "crypto/k256.h"
#include "crypto/kdf.h"
#include "crypto/keccak.h"
#include "crypto/kms_sig.h"
#include "util/err.h"

/* The HEAD simulator app keys (fixture simulator-appkeys.json). */
static const char sim_k256_key[] = "d6e88992cdeeee35fe70b5db61ab66cdb191fb9b6ec9313757ef162dd7214d5d";
static const char sim_k256_sig[] =
	"9e618603e72d01fedb82deff6daf2d62a572becf0059eec3f89c1ab40e1f2e594d2a283f843f34e8f39e4cc4"
	"9a612496ce67223a12ac923f8efe330346dfc6c500";
static const char sim_app_id[] = "5bb4ff9a3837357f19dc176407a5709c62eb6c56";
static const char sim_kms_root[] = "0321529e458424ab1f710a3a57ec4dad2fb195ddca572f7469242ba6c7563085b6";

static void test_seed_k256_normalisation(void **state)
{
	static const struct { uint8_t fill; const char *hkdf, *key, *pub; } v[] = {
		{ 0xff, "091c9c36eb873f1aacde93e91631256e1610ce9940166b45f437d635d76ba95e",
		  "091c9c36eb873f1aacde93e91631256e1610ce9940166b45f437d635d76ba95e",
		  "02b665dbb2d913d92ed5411428124b152a31bbbdcd01b34adfe16fa141f6766918" },
		{ 0x01, "61663e7d32b5e46ee335344074870e40808c8ae571956b8f1e902191149c53f2",
		  "9e99c182cd4a1b911ccacbbf8b78f1be3a2252013db334aca1423cfbbb99ed4f",
		  "02636d00223592849a8f0f1619b190ace823c08c292c80ab00a9d44d1b4384b034" },
		{ 0x02, NULL, "7fa2470b2693bca0f4a25cdecccfbd6e29f303f7389a5cddb2b782e3ca9d599d", NULL },
		{ 0x03, NULL, "7a85690805bb94a6318ea1a04de987e53cfc84c726e19bc09ecdc72f92742a77", NULL },
	};
	struct ds_slice ctx[] = { DS_SLICE_STR("app-k256-key") };
	uint8_t seed[32], key[32], pub[33];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		/* fill 0xff stands for the seed 00 01 .. 1f */
		for (int j = 0; j < 32; j++)
			seed[j] = v[i].fill == 0xff ? (uint8_t)j : v[i].fill;
		assert_int_equal(ds_derive_key(seed, 32, ctx, 1, key, 32), 0);
		if (v[i].hkdf)
			assert_hex(key, 32, v[i].hkdf);
		assert_int_equal(ds_k256_normalize_even_y(key), 0);
		assert_hex(key, 32, v[i].key);
		assert_int_equal(ds_k256_pubkey(key, pub), 0);
		assert_int_equal(pub[0], 0x02);
		if (v[i].pub)
			assert_hex(pub, 33, v[i].pub);
	}
	memset(key, 0, 32);
	assert_int_not_equal(ds_k256_normalize_even_y(key), 0);
	assert_string_equal(ds_err_msg(0), "Failed to parse k256 key");
	for (int i = 0; i < 8; i++) {
		assert_int_equal(ds_k256_generate_even_y(key), 0);
		assert_int_equal(ds_k256_pubkey(key, pub), 0);
		assert_int_equal(pub[0], 0x02);
	}
}

static void test_getkey_simulator_vectors(void **state)
{
	static const struct { const char *path, *purpose, *key, *pub, *sig; } v[] = {
		{ "/test/path", "test-purpose",
		  "b9fbb7171185c421c58610a2acba8ceae93623ae47815618cbad1e98fc042cb7",
		  "02c1082e78670feed1c847db81dbd71be37e4d53200a746c0a89f0afa8173cf566",
		  "f50c51735a97072f0c98125ed61fc84e2fdb36e95990b9e57337dadc0e2a9712227f04e07209faec"
		  "b8891d59ec144a6c13e411dc90b3423f28071bd3fe11978d01" },
		{ "", "signing", "aa221ae548b5a8f52fcb8687cfd873712f6a1232b2717e5ee3d58ab74f21905b",
		  "027458ba47c31272b5076edebdc1ecdaedef806b10d76dd0a209cbd1fa14a3f9cf",
		  "f1fd9ff673c640be49d80d93acbf3e8c4ef97ac55fdcb5a98532bd1014f3655f3332888a3242ef62"
		  "e267f2cb183569c07b7d533112d51895f8f12e68e2166ea101" },
		{ "vms", "signing", "1091a4d6721f6a719ca57320e4975f7e237649131111ee1c5032f661dc1cfef2",
		  "036105f01d1fd781568f7c208b087b1c4f522601410ed7e9c7870d573de7c46d54",
		  "51ec279eb0da3fb45335c2fd6badaf701905bf35f229912976c4ae3c9d649cf97f964473f2dce711"
		  "8743bad84a6df707d11c9b5f0b38379204e14fd2c7baddba01" },
	};
	uint8_t k[32], app_id[20], root[33], kms_sig[65], app_pub[33];
	struct ds_getkey g;

	(void)state;
	unhex_into(sim_k256_key, k, 32);
	unhex_into(sim_app_id, app_id, 20);
	unhex_into(sim_kms_root, root, 33);
	unhex_into(sim_k256_sig, kms_sig, 65);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(ds_getkey_derive(k, v[i].path, v[i].purpose, DS_KEY_SECP256K1, &g), 0);
		assert_hex(g.key, 32, v[i].key);
		assert_int_equal(g.pub_len, 33);
		assert_hex(g.pub, 33, v[i].pub);
		assert_hex(g.sig_app, 65, v[i].sig);
		assert_int_equal(ds_getkey_recover_app_pub(v[i].purpose, g.pub, 33, g.sig_app, 65,
							   app_pub), 0);
		assert_hex(app_pub, 33,
			   "02818494263695e8839122dbd88e281d7380622999df4e60a14befa0f2d096fc7c");
		assert_int_equal(ds_getkey_verify_chain(app_id, 20, v[i].purpose, g.pub, 33,
							g.sig_app, 65, kms_sig, 65, root, NULL), 0);
		/* Any change breaks the chain. */
		assert_int_not_equal(ds_getkey_verify_chain(app_id, 20, "other", g.pub, 33,
							    g.sig_app, 65, kms_sig, 65, root, NULL), 0);
		app_id[0] ^= 1;
		assert_int_not_equal(ds_getkey_verify_chain(app_id, 20, v[i].purpose, g.pub, 33,
							    g.sig_app, 65, kms_sig, 65, root, NULL), 0);
		app_id[0] ^= 1;
		root[5] ^= 1;
		assert_int_not_equal(ds_getkey_verify_chain(app_id, 20, v[i].purpose, g.pub, 33,
							    g.sig_app, 65, kms_sig, 65, root, NULL), 0);
		assert_string_equal(ds_err_msg(0),
				    "signature chain does not lead to the trusted KMS root key");
		root[5] ^= 1;
		/* An empty KMS signature (non-KMS providers) verifies nothing. */
		assert_int_not_equal(ds_getkey_verify_chain(app_id, 20, v[i].purpose, g.pub, 33,
							    g.sig_app, 65, kms_sig, 0, root, NULL), 0);
	}
}

static void test_getkey_algorithms(void **state)
{
	struct ds_getkey a, b;
	enum ds_key_algo algo;
	uint8_t k[32];

	(void)state;
	unhex_into("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b", k, 32);
	assert_int_equal(ds_getkey_derive(k, "vms", "signing", DS_KEY_SECP256K1, &a), 0);
	assert_hex(a.key, 32, "9db79b3fefe69f2a7b7efbc908c854bf845a629023361f2c9cb3db09fb99010f");
	assert_hex(a.pub, 33, "03ab7f25d56455d300a1c1f77f57f6d16193e89cdd9edc5c5e2994b446b1f3373d");
	assert_int_equal(ds_getkey_derive(k, "vms", "signing", DS_KEY_ED25519, &b), 0);
	/* The same path gives the same bytes whatever the algorithm. */
	assert_memory_equal(a.key, b.key, 32);
	assert_int_equal(b.pub_len, 32);
	assert_hex(b.pub, 32, "e4f6eb7b50267f586ba765766db7ca9487f1a506f6a49026ae09a1c605681bdb");
	unhex_into(sim_k256_key, k, 32);
	assert_int_equal(ds_getkey_derive(k, "/test/path", "p", DS_KEY_ED25519, &b), 0);
	assert_hex(b.pub, 32, "2149e71e37ed8568f5a240e6966b5d6f6017428069ddf06ed4c04151de4b2304");

	assert_int_equal(ds_key_algo_parse("", &algo), 0);
	assert_int_equal(algo, DS_KEY_SECP256K1);
	assert_int_equal(ds_key_algo_parse("k256", &algo), 0);
	assert_int_equal(algo, DS_KEY_SECP256K1);
	assert_int_equal(ds_key_algo_parse("ed25519", &algo), 0);
	assert_int_equal(algo, DS_KEY_ED25519);
	assert_int_not_equal(ds_key_algo_parse("rsa", &algo), 0);
	assert_string_equal(ds_err_msg(0), "Unsupported algorithm");
	memset(k, 0, 32);
	assert_int_not_equal(ds_getkey_derive(k, "vms", "signing", DS_KEY_SECP256K1, &a), 0);
}

static void test_v054_chain(void **state)
{
	uint8_t k[32], pub[33], sig[65], app_id[20], kms[33];

	(void)state;
	unhex_into("e0e5d254fb944dcc370a2e5288b336a1e809871545a73ee645368957fefa31f9", k, 32);
	assert_int_equal(ds_k256_pubkey(k, pub), 0);
	assert_hex(pub, 33, "02b85cceca0c02d878f0ebcda72a97469a472416eb6faf3c4807642132f9786810");
	unhex_into("2f431c7956869a4fe3e028c5f9518a935e2d01e81a3628f8b1d178fc2fac7b6d2405ace433624e55"
		   "68e23c4ed291dbaf60dac79b756837c0fe745154ebfdc0a601", sig, 65);
	unhex_into("ea549f02e1a25fabd1cb788380e033ec5461b2ff", app_id, 20);
	assert_int_equal(ds_kms_app_key_signer(app_id, 20, pub, sig, 65, kms), 0);
	assert_hex(kms, 33, "02cad3a8bb11c5c0858fb3e402048b5137457039d577986daade678ed4b4ab1b9b");
}

static void test_env_pubkey_signature(void **state)
{
	uint8_t pk[32], app_id[20] = { 0 }, sig[65], kms[33], sk[32], signer[33], digest[32];
	const uint64_t now = 1705320000; /* 2024-01-15T12:00:00Z */
	uint64_t ts;

	(void)state;
	unhex_into("e33a1832c6562067ff8f844a61e51ad051f1180b66ec2551fb0251735f3ee90a", pk, 32);
	unhex_into("8542c49081fbf4e03f62034f13fbf70630bdf256a53032e38465a27c36fd6bed7a5e7111652004ae"
		   "f37f7fd92fbfc1285212c4ae6a6154203a48f5e16cad2cef00", sig, 65);
	assert_int_equal(ds_kms_env_pubkey_signer(app_id, 20, pk, NULL, sig, 65, kms), 0);
	assert_hex(kms, 33, "0217610d74cbd39b6143842c6d8bc310d79da1d82cc9d17f8876376221eda0c38f");
	assert_int_equal(ds_kms_env_pubkey_verify(app_id, 20, pk, NULL, sig, 65, now, 300, kms), 0);
	assert_int_not_equal(ds_kms_env_pubkey_signer(app_id, 20, pk, NULL, sig, 64, signer), 0);
	memset(sig, 0, sizeof(sig));
	assert_int_not_equal(ds_kms_env_pubkey_signer(app_id, 20, pk, NULL, sig, 65, signer), 0);

	/* v1: sign with 01..01 as the KMS key, then the freshness rules. */
	memset(sk, 1, 32);
	assert_int_equal(ds_k256_pubkey(sk, kms), 0);
	for (int i = 0; i < 3; i++) {
		static const int64_t offsets[] = { -600, 120, 30 };
		struct ds_keccak k;
		uint8_t be[8];

		ts = now + (uint64_t)offsets[i];
		for (int j = 0; j < 8; j++)
			be[j] = (uint8_t)(ts >> (56 - 8 * j));
		ds_keccak_init(&k, 32);
		ds_keccak_update(&k, "dstack-env-encrypt-pubkey:", 26);
		ds_keccak_update(&k, app_id, 20);
		ds_keccak_update(&k, be, 8);
		ds_keccak_update(&k, pk, 32);
		ds_keccak_final(&k, digest);
		assert_int_equal(ds_k256_sign_recoverable(sk, digest, sig), 0);
		assert_int_equal(ds_kms_env_pubkey_verify(app_id, 20, pk, &ts, sig, 65, now,
							  DS_ENV_PUBKEY_MAX_AGE, kms) == 0,
				 offsets[i] == 30);
	}
	/* The v1 signature does not verify as legacy, nor with another key. */
	assert_int_not_equal(ds_kms_env_pubkey_verify(app_id, 20, pk, NULL, sig, 65, now, 300, kms), 0);
	kms[1] ^= 1;
	assert_int_not_equal(ds_kms_env_pubkey_verify(app_id, 20, pk, &ts, sig, 65, now, 300, kms), 0);
}

static void test_signatures_low_s_and_malformed(void **state)
{
	static const char order[] = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
	uint8_t sk[32], digest[32], sig[64], rsig[65], pub[33], back[33], n[32];

	(void)state;
	memset(sk, 7, 32);
	ds_keccak256("message", 7, digest);
	assert_int_equal(ds_k256_pubkey(sk, pub), 0);
	assert_int_equal(ds_k256_sign(sk, digest, sig), 0);
	assert_int_equal(ds_k256_verify(pub, 33, digest, sig), 0);
	assert_int_equal(ds_k256_sign_recoverable(sk, digest, rsig), 0);
	assert_memory_equal(rsig, sig, 64); /* both RFC 6979, low-S */
	assert_int_equal(ds_k256_recover(digest, rsig, 65, back), 0);
	assert_memory_equal(back, pub, 33);
	/* High-S (s' = n - s, parity flipped) is the same point but rejected. */
	unhex_into(order, n, 32);
	for (int i = 31, borrow = 0; i >= 0; i--) {
		int d = n[i] - sig[32 + i] - borrow;
		borrow = d < 0;
		sig[32 + i] = (uint8_t)(d + 256 * borrow);
	}
	assert_int_not_equal(ds_k256_verify(pub, 33, digest, sig), 0);
	memcpy(rsig + 32, sig + 32, 32);
	rsig[64] ^= 1;
	assert_int_not_equal(ds_k256_recover(digest, rsig, 65, back), 0);
	/* Bad recovery ids, zero r, and lengths. */
	assert_int_equal(ds_k256_sign_recoverable(sk, digest, rsig), 0);
	rsig[64] = 27;
	assert_int_not_equal(ds_k256_recover(digest, rsig, 65, back), 0);
	rsig[64] = 0;
	memset(rsig, 0, 32);
	assert_int_not_equal(ds_k256_recover(digest, rsig, 65, back), 0);
	assert_int_not_equal(ds_k256_recover(digest, rsig, 66, back), 0);
	assert_int_not_equal(ds_k256_verify(pub, 32, digest, sig), 0);
	memset(sk, 0, 32);
	assert_int_not_equal(ds_k256_pubkey(sk, pub), 0);
	assert_int_not_equal(ds_k256_sign(sk, digest, sig), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_k256_normalisation),
		cmocka_unit_test(test_getkey_simulator_vectors),
		cmocka_unit_test(test_getkey_algorithms),
		cmocka_unit_test(test_v054_chain),
		cmocka_unit_test(test_env_pubkey_signature),
		cmocka_unit_test(test_signatures_low_s_and_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
