/* CertSigningRequestV2 SCALE encoding against spec crypto-and-certs.md 8.4,
 * and its signature. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "attest/container.h"
#include "crypto/csr.h"
#include "crypto/p256.h"
#include "util/hex.h"

static const char *const head_hex =
	"44706c65617365207369676e20636572743a0c0102030040746573742e6578616d706c652e636f6d00";

/* The V0 dstack-tdx container of the vector, with the given quote. */
static void empty_attestation(const uint8_t *quote, size_t quote_len, struct ds_buf *out)
{
	struct ds_attestation att = { 0 };

	assert_int_equal(ds_buf_set(&att.quote, quote, quote_len), 0);
	att.config = strdup("");
	assert_int_equal(ds_attestation_encode(&att, out), 0);
	ds_attestation_free(&att);
}

static void assert_csr(const struct ds_csr_config *cfg, const uint8_t *quote, size_t quote_len,
		       const char *expected_hex)
{
	static const uint8_t pubkey[3] = { 1, 2, 3 };
	struct ds_buf att = { 0 }, csr = { 0 };
	char hex[512];

	empty_attestation(quote, quote_len, &att);
	assert_int_equal(ds_csr_v2_encode(pubkey, sizeof(pubkey), cfg, att.data, att.len, &csr), 0);
	assert_true(2 * csr.len < sizeof(hex));
	ds_hex_encode(csr.data, csr.len, hex);
	assert_string_equal(hex, expected_hex);
	ds_buf_free(&att);
	ds_buf_free(&csr);
}

static void test_vectors(void **state)
{
	struct ds_csr_config cfg = { .subject = "test.example.com", .usage_server_auth = 1 };
	const uint8_t quote[1] = { 9 };
	char want[512];

	(void)state;
	snprintf(want, sizeof(want), "%s%s%s%0128d%s", head_hex, "010000000000", "0000000000", 0, "00");
	assert_int_equal(strlen(want), 2 * 117);
	assert_csr(&cfg, NULL, 0, want);

	cfg.ext_quote = 1;
	snprintf(want, sizeof(want), "%s%s%s%0128d%s", head_hex, "010001000000", "000004090000", 0, "00");
	assert_int_equal(strlen(want), 2 * 118);
	assert_csr(&cfg, quote, sizeof(quote), want);
}

static void test_options_and_sans(void **state)
{
	const char *const sans[] = { "a", "bc" };
	const uint64_t nb = 1, na = 0x0102030405060708ull;
	struct ds_csr_config cfg = { .org_name = "O", .subject = "s", .sans = sans, .n_sans = 2,
				     .usage_client_auth = 1, .ext_app_info = 1,
				     .not_before = &nb, .not_after = &na };
	struct ds_buf csr = { 0 };
	char hex[256];

	(void)state;
	assert_int_equal(ds_csr_v2_encode((const uint8_t *)"", 0, &cfg, NULL, 0, &csr), 0);
	ds_hex_encode(csr.data, csr.len, hex);
	/* confirm, empty pubkey, Some("O"), "s", ["a","bc"], flags, Some(1), Some(na) */
	assert_string_equal(hex, "44706c65617365207369676e20636572743a00"
				 "01044f" "0473" "08" "0461" "086263" "00010001"
				 "010100000000000000" "010807060504030201");
	ds_buf_free(&csr);
}

static void test_signature_verifies(void **state)
{
	struct ds_csr_config cfg = { .subject = "dstack-guest-agent", .usage_client_auth = 1 };
	uint8_t spki[DS_P256_SPKI_LEN];
	struct ds_buf csr = { 0 }, sig = { 0 };
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	(void)state;
	assert_int_equal(ds_p256_generate(&key), 0);
	assert_int_equal(ds_p256_spki_der(key, spki), 0);
	assert_int_equal(ds_csr_v2_encode(spki, sizeof(spki), &cfg, NULL, 0, &csr), 0);
	assert_int_equal(ds_csr_sign(key, &csr, &sig), 0);
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestVerify(ctx, sig.data, sig.len, csr.data, csr.len), 1);
	csr.data[csr.len - 1] ^= 1;
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_not_equal(EVP_DigestVerify(ctx, sig.data, sig.len, csr.data, csr.len), 1);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	ds_buf_free(&csr);
	ds_buf_free(&sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_options_and_sans),
		cmocka_unit_test(test_signature_verifies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
