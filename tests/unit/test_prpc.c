/* rpc: prpc endpoints, request construction and the response parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/prpc.h"
#include "util/err.h"

static void test_endpoint_vsock(void **state)
{
	struct ds_prpc_endpoint ep;
	struct ds_http_request req;
	char *url;

	(void)state;
	assert_int_equal(ds_prpc_endpoint_parse("vsock://2:12000/api", &ep), 0);
	assert_int_equal(ep.transport, DS_PRPC_VSOCK);
	assert_int_equal(ep.vsock_cid, 2);
	assert_int_equal(ep.vsock_port, 12000);
	assert_int_equal(ds_prpc_request_init(&ep, "Notify", "{}", &req, &url), 0);
	/* libcurl sends "Host: 2:12000" and "POST /api/Notify?json" over the
	 * AF_VSOCK socket its callbacks open. */
	assert_string_equal(url, "http://2:12000/api/Notify?json");
	assert_ptr_equal(req.url, url);
	assert_string_equal(req.method, "POST");
	assert_int_equal(req.vsock, 1);
	assert_int_equal(req.vsock_cid, 2);
	assert_int_equal(req.vsock_port, 12000);
	assert_null(req.unix_socket);
	assert_string_equal(req.body, "{}");
	assert_int_equal(req.body_len, 2);
	free(url);
	ds_prpc_endpoint_free(&ep);

	assert_int_equal(ds_prpc_endpoint_parse("vsock://0xffffffff:8000/", &ep), 0);
	assert_int_equal(ep.vsock_cid, 0xffffffffu);
	assert_int_equal(ds_prpc_request_init(&ep, "Info", "null", &req, &url), 0);
	assert_string_equal(url, "http://4294967295:8000/Info?json");
	free(url);
	ds_prpc_endpoint_free(&ep);
	assert_int_equal(ds_prpc_endpoint_parse("vsock://3:10000", &ep), 0);
	assert_string_equal(ep.base, "http://3:10000");
	ds_prpc_endpoint_free(&ep);

	assert_int_not_equal(ds_prpc_endpoint_parse("vsock://2/api", &ep), 0);
	assert_int_not_equal(ds_prpc_endpoint_parse("vsock://:1/api", &ep), 0);
	assert_int_not_equal(ds_prpc_endpoint_parse("vsock:// 2:1/api", &ep), 0);
	assert_int_not_equal(ds_prpc_endpoint_parse("vsock://-1:1/api", &ep), 0);
	assert_int_not_equal(ds_prpc_endpoint_parse("vsock://2:-1/api", &ep), 0);
	assert_int_not_equal(ds_prpc_endpoint_parse("vsock://2:99999999999/api", &ep), 0);
	assert_int_not_equal(ds_prpc_endpoint_parse("vsock://2:1x/api", &ep), 0);
	assert_null(ep.base);
}

static void test_endpoint_unix_and_tcp(void **state)
{
	struct ds_prpc_endpoint ep;
	struct ds_http_request req;
	char *url;

	(void)state;
	assert_int_equal(ds_prpc_endpoint_parse("unix:/run/dstack/host.sock", &ep), 0);
	assert_int_equal(ep.transport, DS_PRPC_UNIX);
	assert_int_equal(ds_prpc_request_init(&ep, "Notify", "{}", &req, &url), 0);
	assert_string_equal(req.unix_socket, "/run/dstack/host.sock");
	assert_string_equal(url, "http://localhost/Notify?json");
	assert_int_equal(req.vsock, 0);
	free(url);
	ds_prpc_endpoint_free(&ep);
	assert_int_not_equal(ds_prpc_endpoint_parse("unix:", &ep), 0);

	assert_int_equal(ds_prpc_endpoint_parse("https://kms.example:12001/prpc//", &ep), 0);
	assert_int_equal(ep.transport, DS_PRPC_TCP);
	assert_int_equal(ds_prpc_request_init(&ep, "GetAppKey", "{}", &req, &url), 0);
	assert_string_equal(url, "https://kms.example:12001/prpc/GetAppKey?json");
	assert_null(req.unix_socket);
	assert_int_equal(req.vsock, 0);
	free(url);
	/* Method names are plain identifiers: nothing can be smuggled into the URL. */
	assert_int_not_equal(ds_prpc_request_init(&ep, "Get?x=1", "{}", &req, &url), 0);
	assert_int_not_equal(ds_prpc_request_init(&ep, "", "{}", &req, &url), 0);
	assert_int_equal(ds_prpc_request_init(&ep, "KMS.GetMeta", "null", &req, &url), 0);
	free(url);
	ds_prpc_endpoint_free(&ep);

	assert_int_equal(ds_prpc_endpoint_parse("http://127.0.0.1:8000", &ep), 0);
	assert_string_equal(ep.base, "http://127.0.0.1:8000");
	ds_prpc_endpoint_free(&ep);
	assert_int_not_equal(ds_prpc_endpoint_parse("ftp://host/api", &ep), 0);
	assert_non_null(strstr(ds_err_msg(0), "unsupported URL"));
	assert_int_not_equal(ds_prpc_endpoint_parse("", &ep), 0);
}

static int parse(long status, const char *body, json_t **out)
{
	return ds_prpc_parse_response("Notify?json", status, (const uint8_t *)body, strlen(body), out);
}

static void test_response_success(void **state)
{
	json_t *v;

	(void)state;
	assert_int_equal(parse(200, "null", &v), 0);
	assert_true(json_is_null(v));
	json_decref(v);
	assert_int_equal(parse(200, "", &v), 0);
	assert_true(json_is_null(v));
	assert_int_equal(parse(200, " {\"a\":1} \n", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
	json_decref(v);
	assert_int_not_equal(parse(200, "{\"a\":1,\"a\":2}", &v), 0);
	assert_null(v);
	assert_int_not_equal(parse(200, "{", &v), 0);
	assert_string_equal(ds_err_msg(0), "Failed to deserialize response of Notify?json");
	assert_int_not_equal(parse(200, "null null", &v), 0);
	/* A malformed reply that carries a key must not put it in the error. */
	assert_int_not_equal(parse(200, "{\"disk_crypt_key\":\"5ec2e7\\q\"}", &v), 0);
	for (int i = 0; i < ds_err_depth(); i++)
		assert_null(strstr(ds_err_msg(i), "5ec2e7"));
}

static void test_response_errors(void **state)
{
	char body[1000];
	json_t *v;

	(void)state;
	assert_int_equal(parse(400, "{\n  \"error\": \"App not allowed\\n\\nCaused by:\\n    x\"\n}", &v),
			 -EPROTO);
	assert_null(v);
	assert_string_equal(ds_err_msg(0), "Invalid status code: 400, path=Notify?json");
	assert_string_equal(ds_err_msg(1), "server said: App not allowed  Caused by:     x");
	/* Only exactly 200 is success. */
	assert_int_equal(parse(204, "null", &v), -EPROTO);
	assert_string_equal(ds_err_msg(0), "Invalid status code: 204, path=Notify?json");
	assert_string_equal(ds_err_msg(1), "server said: null");
	assert_int_equal(parse(404, "", &v), -EPROTO);
	assert_string_equal(ds_err_msg(1), "server said: (empty body)");
	/* A non-JSON body is shown raw, control bytes blanked, and cut short. */
	assert_int_equal(parse(502, "bad\x1b[31mgateway\r\n", &v), -EPROTO);
	assert_string_equal(ds_err_msg(1), "server said: bad [31mgateway  ");
	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	assert_int_equal(parse(500, body, &v), -EPROTO);
	assert_true(strlen(ds_err_msg(1)) < 320);
	assert_non_null(strstr(ds_err_msg(1), "xxx..."));
	/* {"error": <not a string>} falls back to the raw body. */
	assert_int_equal(parse(400, "{\"error\":1}", &v), -EPROTO);
	assert_string_equal(ds_err_msg(1), "server said: {\"error\":1}");
}

static void test_fields(void **state)
{
	const char *json = "{\"key\":\"0xABcd\",\"plain\":\"0102\",\"empty\":\"\",\"s\":\"text\","
			   "\"n\":1,\"bad\":\"xyz\"}";
	struct ds_buf b;
	const char *s;
	json_t *msg = json_loads(json, 0, NULL);

	(void)state;
	assert_int_equal(ds_prpc_bytes(msg, "key", &b), 0);
	assert_int_equal(b.len, 2);
	assert_memory_equal(b.data, "\xab\xcd", 2);
	ds_buf_free(&b);
	assert_int_equal(ds_prpc_bytes(msg, "plain", &b), 0);
	assert_memory_equal(b.data, "\x01\x02", 2);
	ds_buf_free(&b);
	assert_int_equal(ds_prpc_bytes(msg, "absent", &b), 0);
	assert_int_equal(b.len, 0);
	ds_buf_free(&b);
	assert_int_equal(ds_prpc_bytes(msg, "empty", &b), 0);
	assert_int_equal(b.len, 0);
	ds_buf_free(&b);
	assert_int_not_equal(ds_prpc_bytes(msg, "n", &b), 0);
	assert_int_not_equal(ds_prpc_bytes(msg, "bad", &b), 0);
	assert_string_equal(ds_err_msg(0), "invalid hex in field `bad`");
	assert_int_equal(ds_prpc_string(msg, "s", &s), 0);
	assert_string_equal(s, "text");
	assert_int_equal(ds_prpc_string(msg, "absent", &s), 0);
	assert_string_equal(s, "");
	assert_int_not_equal(ds_prpc_string(msg, "n", &s), 0);
	json_decref(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoint_vsock),
		cmocka_unit_test(test_endpoint_unix_and_tcp),
		cmocka_unit_test(test_response_success),
		cmocka_unit_test(test_response_errors),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
