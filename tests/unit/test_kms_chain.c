/* The SignCertResponse check (ds_kms_cert_chain): a bounded array of
 * strings whose first is a certificate for the key the CSR was made for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"
#include "crypto/p256.h"
#include "kms/kms_client.h"

struct fixture {
	EVP_PKEY *key, *other;
	uint8_t spki[DS_P256_SPKI_LEN];
	struct ds_buf leaf_pem;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ds_cert_req req = { .subject = "leaf", .ca_level = DS_CERT_NOT_CA };
	X509 *cert = NULL;

	assert_non_null(f);
	assert_int_equal(ds_p256_generate(&f->key), 0);
	assert_int_equal(ds_p256_generate(&f->other), 0);
	assert_int_equal(ds_p256_spki_der(f->key, f->spki), 0);
	req.key = f->key;
	assert_int_equal(ds_cert_build(&req, NULL, NULL, &cert), 0);
	assert_int_equal(ds_cert_pem(cert, &f->leaf_pem), 0);
	X509_free(cert);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	EVP_PKEY_free(f->key);
	EVP_PKEY_free(f->other);
	ds_buf_free(&f->leaf_pem);
	free(f);
	return 0;
}

static int check(const struct fixture *f, json_t *resp, json_t **chain)
{
	int r = ds_kms_cert_chain(resp, f->spki, sizeof(f->spki), chain);

	json_decref(resp);
	return r;
}

static void accepts_chain_for_the_key(void **state)
{
	struct fixture *f = *state;
	json_t *chain = NULL;

	assert_int_equal(check(f, json_pack("{s:[s,s,s]}", "certificate_chain",
					    (const char *)f->leaf_pem.data, "ca", "root"),
			       &chain),
			 0);
	assert_int_equal(json_array_size(chain), 3);
	assert_string_equal(json_string_value(json_array_get(chain, 0)),
			    (const char *)f->leaf_pem.data);
	assert_string_equal(json_string_value(json_array_get(chain, 2)), "root");
	json_decref(chain);
}

static void refuses_bad_answers(void **state)
{
	struct fixture *f = *state;
	const char *leaf = (const char *)f->leaf_pem.data;
	json_t *chain = NULL;

	assert_fails_with(check(f, json_pack("{}"), &chain), "no certificate_chain");
	assert_fails_with(check(f, json_pack("[]"), &chain), "no certificate_chain");
	assert_fails_with(check(f, json_pack("{s:[]}", "certificate_chain"), &chain),
			  "no certificate_chain");
	assert_fails_with(check(f, json_pack("{s:s}", "certificate_chain", leaf), &chain),
			  "no certificate_chain");
	assert_fails_with(check(f, json_pack("{s:[s,i]}", "certificate_chain", leaf, 1), &chain),
			  "certificate_chain[1] is not a string");
	assert_fails_with(check(f, json_pack("{s:[s,s,s,s,s,s,s,s,s]}", "certificate_chain", leaf,
					     "", "", "", "", "", "", "", ""),
				&chain),
			  "answered 9 certificates");
	assert_fails_with(check(f, json_pack("{s:[s]}", "certificate_chain", "not a pem"), &chain),
			  "unparsable leaf certificate");
	assert_null(chain);
}

static void refuses_a_leaf_for_another_key(void **state)
{
	struct fixture *f = *state;
	uint8_t other_spki[DS_P256_SPKI_LEN];
	json_t *chain = NULL, *resp;

	assert_int_equal(ds_p256_spki_der(f->other, other_spki), 0);
	resp = json_pack("{s:[s]}", "certificate_chain", (const char *)f->leaf_pem.data);
	assert_fails_with(ds_kms_cert_chain(resp, other_spki, sizeof(other_spki), &chain),
			  "a certificate for another key");
	assert_null(chain);
	json_decref(resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_chain_for_the_key),
		cmocka_unit_test(refuses_bad_answers),
		cmocka_unit_test(refuses_a_leaf_for_another_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
