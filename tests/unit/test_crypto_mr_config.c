/* crypto: mr_config_id v1/v2/v3 and setup's verification (spec 5, 8.9). */
#include "crypto_test_util.h"

#include "crypto/mr_config.h"
#include "util/err.h"

static const char jcs_doc[] =
	"{\"app_id\":\"1111111111111111111111111111111111111111\",\"compose_hash\":"
	"\"2222222222222222222222222222222222222222222222222222222222222222\",\"gpu_policy_hash\":"
	"\"5555555555555555555555555555555555555555555555555555555555555555\",\"instance_id\":"
	"\"4444444444444444444444444444444444444444\",\"key_provider\":\"kms\",\"key_provider_id\":"
	"\"3333333333333333333333333333333333333333333333333333333333333333\",\"version\":3}";

#define H22 "\"2222222222222222222222222222222222222222222222222222222222222222\""
#define H55 "\"5555555555555555555555555555555555555555555555555555555555555555\""

static uint8_t compose[32], app_id[20], kp_id[32], instance[20], gpu[32];

static struct ds_mr_local local_values(enum ds_key_provider_kind kind, size_t kp_id_len)
{
	memset(compose, 0x22, 32);
	memset(app_id, 0x11, 20);
	memset(kp_id, 0x33, 32);
	memset(instance, 0x44, 20);
	memset(gpu, 0x55, 32);
	return (struct ds_mr_local){ .compose_hash = compose, .app_id = app_id,
				     .instance_id = instance, .instance_id_len = 20,
				     .key_provider = kind, .key_provider_id = kp_id,
				     .key_provider_id_len = kp_id_len, .gpu_policy_hash = gpu };
}

static void test_layouts(void **state)
{
	static const struct { enum ds_key_provider_kind kind; size_t id_len; const char *hash; } v2[] = {
		{ DS_KP_NONE, 0, "2b90c730130d4ba9f7669253e5a0fb289b5688914f8e1f81efdf97e6d1142a81" },
		{ DS_KP_LOCAL, 0, "ae583d6150aa0232efb5920e909fbb8e093e19b8ce9d15784f0d42a6db1a2f8f" },
		{ DS_KP_KMS, 32, "7f2ca741da9d356026ab20ca640abf06198829a128817b091bbc9aec1ed97b60" },
		{ DS_KP_TPM, 0, "d728d791f15fa14f415b0d71c524ec1b0816321ce9c5707e911d55f84eeb4d17" },
	};
	static const uint8_t zero15[15];
	struct ds_mr_local l = local_values(DS_KP_NONE, 0);
	uint8_t id[48], host_data[32];

	(void)state;
	ds_mr_config_v1(compose, id);
	assert_int_equal(id[0], 1);
	assert_memory_equal(id + 1, compose, 32);
	assert_memory_equal(id + 33, zero15, 15);
	for (size_t i = 0; i < sizeof(v2) / sizeof(v2[0]); i++) {
		l = local_values(v2[i].kind, v2[i].id_len);
		ds_mr_config_v2(&l, id);
		assert_int_equal(id[0], 2);
		assert_hex(id + 1, 32, v2[i].hash);
		assert_memory_equal(id + 33, zero15, 15);
	}
	assert_int_equal(ds_mr_config_v3_hash(jcs_doc, strlen(jcs_doc), host_data), 0);
	assert_hex(host_data, 32, "90e5cffa571b22c2ca846872d6fb7b071aa1346f1a1f87f72869c47b39d94099");
	assert_int_equal(ds_mr_config_v3(jcs_doc, strlen(jcs_doc), id), 0);
	assert_int_equal(id[0], 3);
	assert_memory_equal(id + 1, host_data, 32);
	assert_memory_equal(id + 33, zero15, 15);
}

static void test_document_check(void **state)
{
	static const char pretty[] =
		"{\n  \"version\": 3,\n  \"app_id\": \"1111111111111111111111111111111111111111\",\n"
		"  \"compose_hash\": \"2222222222222222222222222222222222222222222222222222222222222222\",\n"
		"  \"key_provider\": \"kms\"\n}";
	static const char minimal[] = "{\"compose_hash\":" H22 ",\"key_provider\":\"none\"}";
	struct ds_mr_local l = local_values(DS_KP_KMS, 32);
	uint8_t a[32], b[32];

	(void)state;
	assert_int_equal(ds_mr_config_check_document(jcs_doc, strlen(jcs_doc), &l), 0);
	/* Another rendering passes the check but hashes differently. */
	assert_int_equal(ds_mr_config_check_document(pretty, strlen(pretty), &l), 0);
	assert_int_equal(ds_mr_config_v3_hash(pretty, strlen(pretty), a), 0);
	assert_int_equal(ds_mr_config_v3_hash(jcs_doc, strlen(jcs_doc), b), 0);
	assert_memory_not_equal(a, b, 32);
	/* Only compose_hash and key_provider are required. */
	l = local_values(DS_KP_NONE, 0);
	assert_int_equal(ds_mr_config_check_document(minimal, strlen(minimal), &l), 0);
}

static void expect_doc_error(const struct ds_mr_local *l, const char *doc, const char *msg)
{
	assert_int_not_equal(ds_mr_config_check_document(doc, strlen(doc), l), 0);
	if (msg)
		assert_string_equal(ds_err_msg(ds_err_depth() - 1), msg);
}

static void test_document_mismatch_and_errors(void **state)
{
	struct ds_mr_local l = local_values(DS_KP_KMS, 32);
	uint8_t init[1][32];

	(void)state;
	expect_doc_error(&l, "{\"compose_hash\":\"2323\",\"key_provider\":\"kms\"}",
			 "Invalid mr_config compose_hash");
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"none\"}",
			 "Invalid mr_config key_provider");
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"version\":2}",
			 "mr_config version must be 3");
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"app_id\":\"12\"}",
			 "Invalid mr_config app_id");
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"instance_id\":\"\"}",
			 "Invalid mr_config instance_id");
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"key_provider_id\":\"33\"}",
			 "Invalid mr_config key_provider_id");
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"gpu_policy_hash\":" H22 "}",
			 "Invalid mr_config gpu_policy_hash");
	/* An empty pin list means no init scripts; the local app has one. */
	memset(init, 0x55, sizeof(init));
	l.init_script_hashes = init;
	l.init_script_hashes_len = 1;
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"init_script_hashes\":[]}",
			 "Invalid mr_config init_script_hashes");
	assert_int_equal(ds_mr_config_check_document(
		"{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"init_script_hashes\":[" H55 "]}",
		strlen("{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"init_script_hashes\":[" H55 "]}"),
		&l), 0);
	/* Parse errors. */
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"extra\":1}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":" H22 "}", NULL);
	expect_doc_error(&l, "{\"key_provider\":\"kms\"}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"sgx\"}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":\"0x22\",\"key_provider\":\"kms\"}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"version\":\"3\"}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"version\":300}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"compose_hash\":" H22 ",\"key_provider\":\"kms\"}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"init_script_hashes\":[\"22\"]}", NULL);
	expect_doc_error(&l, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\",\"init_script_hashes\":"
			     "[" H55 "," H55 "," H55 "," H55 "," H55 "," H55 "]}", NULL);
	expect_doc_error(&l, "[]", NULL);
	expect_doc_error(&l, "{", NULL);
}

static void test_verify_tdx(void **state)
{
	struct ds_mr_local l = local_values(DS_KP_KMS, 32);
	uint8_t id[48] = { 0 };

	(void)state;
	assert_int_equal(ds_mr_config_verify_tdx(id, NULL, 0, &l), 0);
	ds_mr_config_v1(compose, id);
	assert_int_equal(ds_mr_config_verify_tdx(id, NULL, 0, &l), 0);
	id[47] = 1;
	assert_int_not_equal(ds_mr_config_verify_tdx(id, NULL, 0, &l), 0);
	assert_string_equal(ds_err_msg(0), "Invalid mr_config_id");
	ds_mr_config_v2(&l, id);
	assert_int_equal(ds_mr_config_verify_tdx(id, NULL, 0, &l), 0);
	l.key_provider = DS_KP_LOCAL;
	assert_int_not_equal(ds_mr_config_verify_tdx(id, NULL, 0, &l), 0);
	l.key_provider = DS_KP_KMS;
	assert_int_equal(ds_mr_config_v3(jcs_doc, strlen(jcs_doc), id), 0);
	assert_int_equal(ds_mr_config_verify_tdx(id, jcs_doc, strlen(jcs_doc), &l), 0);
	assert_int_not_equal(ds_mr_config_verify_tdx(id, NULL, 0, &l), 0);
	assert_string_equal(ds_err_msg(0), "mr_config is required for TDX MR_CONFIG_ID v3");
	/* The right values in a document that is not the measured one. */
	assert_int_not_equal(ds_mr_config_verify_tdx(id, jcs_doc, strlen(jcs_doc) - 1, &l), 0);
	assert_int_not_equal(ds_mr_config_verify_tdx(id, "{\"compose_hash\":" H22 ",\"key_provider\":\"kms\"}",
						     strlen("{\"compose_hash\":" H22 ",\"key_provider\":\"kms\"}"), &l), 0);
	assert_string_equal(ds_err_msg(0), "Invalid mr_config_id");
	/* A measured document that contradicts the local values. */
	instance[0] ^= 1;
	assert_int_not_equal(ds_mr_config_verify_tdx(id, jcs_doc, strlen(jcs_doc), &l), 0);
	assert_string_equal(ds_err_msg(0), "Invalid mr_config instance_id");
	id[0] = 4;
	assert_int_not_equal(ds_mr_config_verify_tdx(id, NULL, 0, &l), 0);
	assert_string_equal(ds_err_msg(0), "Invalid mr_config_id version");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_document_check),
		cmocka_unit_test(test_document_mismatch_and_errors),
		cmocka_unit_test(test_verify_tdx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
