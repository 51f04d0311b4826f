/* Client set-up: endpoint resolution (spec guest-agent-api.md 1.2) and the
 * checks made before anything is sent. The exchanges themselves are tested
 * against mock agents in tests/integration/test_agent_*.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "util/err.h"

static void assert_error(const char *want)
{
	if (!strstr(dstack_last_error(), want))
		fail_msg("error '%s' lacks '%s'", dstack_last_error(), want);
}

static void test_resolve_order(void **state)
{
	char dir[] = "/tmp/ds-agent-XXXXXX", a[64], b[64], c[64];
	const char *cands[] = { a, b, c, NULL }, *out;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.sock", dir);
	snprintf(b, sizeof(b), "%s/b.sock", dir);
	snprintf(c, sizeof(c), "%s/c.sock", dir);
	/* Nothing exists: the first candidate, for the connect to report. */
	assert_int_equal(ds_agent_endpoint_resolve(NULL, NULL, cands, &out), 0);
	assert_ptr_equal(out, a);
	/* Existence is enough, as in the SDKs. */
	f = fopen(c, "w");
	fclose(f);
	assert_int_equal(ds_agent_endpoint_resolve(NULL, NULL, cands, &out), 0);
	assert_ptr_equal(out, c);
	f = fopen(b, "w");
	fclose(f);
	assert_int_equal(ds_agent_endpoint_resolve(NULL, NULL, cands, &out), 0);
	assert_ptr_equal(out, b);
	/* The environment beats probing; an explicit endpoint beats both. */
	assert_int_equal(ds_agent_endpoint_resolve(NULL, "/env.sock", cands, &out), 0);
	assert_string_equal(out, "/env.sock");
	assert_int_equal(ds_agent_endpoint_resolve("/x.sock", "/env.sock", cands, &out), 0);
	assert_string_equal(out, "/x.sock");
	/* Empty is an error, not a reason to look elsewhere. */
	assert_int_equal(ds_agent_endpoint_resolve(NULL, "", cands, &out), -EINVAL);
	assert_error("DSTACK_SIMULATOR_ENDPOINT is set but empty");
	assert_int_equal(ds_agent_endpoint_resolve("", "/env.sock", cands, &out), -EINVAL);
	unlink(b);
	unlink(c);
	rmdir(dir);
	assert_string_equal(ds_agent_socket_candidates[0], "/var/run/dstack.sock");
	assert_string_equal(ds_agent_socket_candidates[3], "/run/dstack/dstack.sock");
}

static void test_client_new(void **state)
{
	dstack_client *c = (dstack_client *)1;

	(void)state;
	assert_int_equal(dstack_client_new("/nonexistent/dstack.sock", &c), -ENOENT);
	assert_null(c);
	assert_error("Unix socket file /nonexistent/dstack.sock does not exist");
	assert_int_equal(dstack_client_new("http://127.0.0.1:1//", &c), 0);
	assert_string_equal(dstack_client_endpoint(c), "http://127.0.0.1:1//");
	assert_string_equal(c->base_url, "http://127.0.0.1:1");
	assert_false(c->unix_socket);
	assert_int_equal(dstack_client_set_timeout(c, 0), -EINVAL);
	assert_int_equal(dstack_client_set_timeout(c, 1500), 0);
	assert_int_equal(c->timeout_ms, 1500);
	dstack_client_free(c);
	assert_int_equal(setenv("DSTACK_SIMULATOR_ENDPOINT", "", 1), 0);
	assert_int_equal(dstack_client_new(NULL, &c), -EINVAL);
	assert_int_equal(setenv("DSTACK_SIMULATOR_ENDPOINT", "https://agent.example:8090", 1), 0);
	assert_int_equal(dstack_client_new(NULL, &c), 0);
	assert_string_equal(dstack_client_endpoint(c), "https://agent.example:8090");
	dstack_client_free(c);
	unsetenv("DSTACK_SIMULATOR_ENDPOINT");
}

/* Bad arguments fail before any request: port 1 would refuse otherwise. */
static void test_argument_checks(void **state)
{
	struct dstack_tls_key_options bad_validity = { .has_not_before = 1, .not_before = 11,
						       .has_not_after = 1, .not_after = 11 };
	uint8_t report_data[65] = { 0 };
	struct dstack_quote q;
	struct dstack_key k;
	struct dstack_tls_key t;
	struct dstack_attestation a;
	struct dstack_signature s;
	dstack_client *c;
	int valid = 1;

	(void)state;
	assert_int_equal(dstack_client_new("http://127.0.0.1:1", &c), 0);
	assert_int_equal(dstack_get_quote(c, report_data, 65, &q), -EINVAL);
	assert_error("at most 64");
	assert_int_equal(dstack_emit_event(c, "", NULL, 0), -EINVAL);
	assert_error("event name cannot be empty");
	assert_int_equal(dstack_get_key(c, NULL, "", "", &k), -EINVAL);
	assert_error("a key path");
	assert_int_equal(dstack_get_key(c, "\xff\xfe", "", "", &k), -EINVAL);
	assert_error("valid UTF-8");
	assert_int_equal(dstack_get_tls_key(c, &bad_validity, &t), -EINVAL);
	assert_error("not_before must be earlier than not_after");
	assert_int_equal(dstack_attest(c, report_data, 65, &a), -EINVAL);
	assert_error("at most 64");
	/* Sign and Verify ask only for what can be checked here. */
	assert_int_equal(dstack_sign(c, "rsa", report_data, 1, &s), -EINVAL);
	assert_error("Unsupported algorithm");
	assert_int_equal(dstack_sign(c, "", report_data, 1, &s), -EINVAL);
	assert_error("Unsupported algorithm");
	assert_int_equal(dstack_sign(c, "secp256k1_prehashed", report_data, 31, &s), -EINVAL);
	assert_error("Pre-hashed signing requires a 32-byte digest, but received 31 bytes");
	assert_int_equal(dstack_verify(c, "ed25519", report_data, 1, report_data, 64, report_data, 31,
				       &valid), -EINVAL);
	assert_error("invalid public key");
	assert_int_equal(dstack_verify(c, "secp256k1", report_data, 1, report_data, 63, report_data, 33,
				       &valid), -EINVAL);
	assert_error("invalid signature");
	assert_int_equal(valid, 0);
	/* A transport failure names the method and the endpoint. */
	assert_int_equal(dstack_get_key(c, "p", "", "", &k), -ECONNREFUSED);
	assert_error("dstack guest-agent request POST /GetKey to http://127.0.0.1:1 failed: ");
	/* The Version probe runs before a non-default algorithm is sent. */
	assert_int_not_equal(dstack_get_key(c, "p", "", "ed25519", &k), 0);
	assert_error("algorithm \"ed25519\" is not supported: OS version too old (Version RPC unavailable): "
		     "dstack guest-agent request POST /Version");
	dstack_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_order),
		cmocka_unit_test(test_client_new),
		cmocka_unit_test(test_argument_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
