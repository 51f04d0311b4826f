/* The guest agent's request handling (lib/agentd): routing, content-type
 * rules and every method's request decoding. Byte 0 picks the path, byte 1
 * the HTTP method, content type and ?json; the rest is the body (for GET,
 * the query, when it is a JSON object). The state holds a fixed app key;
 * the TDX backend always fails, so quotes and events never leave the
 * process. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "agentd/agentd.h"
#include "util/err.h"

static const char *const paths[] = {
	"/GetKey", "/GetQuote", "/Info", "/GetTlsKey", "/EmitEvent", "/Version",
	"/Foo", "/prpc/GetKey", "/", "/GetKey/x", "/DstackGuest.GetKey", "",
	"/Sign", "/Verify", "/Attest", "/GpuInfo",
};

static int no_attest(const uint8_t rd[DS_REPORT_DATA_LEN], const char *path,
		     struct ds_attestation *out)
{
	(void)rd;
	(void)path;
	(void)out;
	return ds_err(-ENOTSUP, "no TDX in the fuzzer");
}

static int no_emit(const char *name, const uint8_t *payload, size_t len)
{
	(void)name;
	(void)payload;
	(void)len;
	return ds_err(-ENOTSUP, "no TDX in the fuzzer");
}

static const struct ds_agentd_backend backend = { no_attest, no_emit };
static struct ds_agentd agentd;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t key[32], sig[65];

	(void)argc;
	(void)argv;
	memset(key, 0x5a, sizeof(key));
	memset(sig, 0x11, sizeof(sig));
	agentd.backend = &backend;
	agentd.version = "0.0.0";
	agentd.rev = "fuzz";
	if (ds_buf_set(&agentd.keys.k256_key, key, sizeof(key)) ||
	    ds_buf_set(&agentd.keys.k256_signature, sig, sizeof(sig)))
		return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_agentd_request req = { 0 };
	struct ds_agentd_response resp;
	json_t *query = NULL;

	if (size < 2)
		return 0;
	req.path = paths[data[0] % (sizeof(paths) / sizeof(paths[0]))];
	req.http_method = data[1] & 1 ? "GET" : (data[1] & 8 ? "PUT" : "POST");
	req.content_type = data[1] & 2 ? "application/json; charset=utf-8" : NULL;
	req.json_query = (data[1] & 4) != 0;
	req.body = data + 2;
	req.body_len = size - 2;
	if (data[1] & 1) {
		query = json_loadb((const char *)data + 2, size - 2, 0, NULL);
		req.query = json_is_object(query) ? query : NULL;
	}
	ds_agentd_handle(&agentd, &req, &resp);
	if ((resp.status != 200 && resp.status != 400 && resp.status != 404) ||
	    (resp.status == 200 && (!resp.body || resp.body[0] != '{')))
		__builtin_trap();
	ds_agentd_response_free(&resp);
	json_decref(query);
	ds_err_clear();
	return 0;
}
