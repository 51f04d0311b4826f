/* Routing and the response shapes (spec guest-agent-api.md 1.4-1.5): one
 * path segment names the method (upstream HEAD's GetTlsKey, GetKey,
 * GetQuote, Attest, Info, GpuInfo, Sign, Verify, Version, and EmitEvent of
 * the 0.5 releases); POST with a JSON body (Content-Type application/json
 * or ?json) or GET with a query; success is 200 with the compact answer, a
 * handler error 400 {"error": chain} pretty-printed, a path naming no
 * method 404. */
#include "agentd/agentd.h"
#include "agentd/request.h"
#include "util/err.h"
#include "util/json.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct method {
	const char *name;
	ds_agentd_method_fn fn;
	int empty_request;    /* google.protobuf.Empty: the body is ignored */
};

static const struct method methods[] = {
	{ "GetKey", ds_agentd_get_key, 0 },
	{ "GetQuote", ds_agentd_get_quote, 0 },
	{ "Attest", ds_agentd_attest, 0 },
	{ "Info", ds_agentd_info, 1 },
	{ "GpuInfo", ds_agentd_gpu_info, 1 },
	{ "GetTlsKey", ds_agentd_get_tls_key, 0 },
	{ "Sign", ds_agentd_sign, 0 },
	{ "Verify", ds_agentd_verify, 0 },
	{ "EmitEvent", ds_agentd_emit_event, 0 },
	{ "Version", ds_agentd_version, 1 },
};

static const char not_found[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>404 Not Found</title>\n</head>\n<body align=\"center\">\n"
	"<div role=\"main\" align=\"center\">\n<h1>404: Not Found</h1>\n"
	"<p>The requested resource could not be found.</p>\n<hr />\n</div>\n</body>\n</html>";

static void set_body(struct ds_agentd_response *out, unsigned status, const char *type, char *body)
{
	out->status = status;
	out->content_type = type;
	out->body = body;
	out->len = body ? strlen(body) : 0;
}

static void respond_404(struct ds_agentd_response *out)
{
	set_body(out, 404, "text/html; charset=utf-8", strdup(not_found));
}

/* 400 {"error": "<outer>: <inner>"} from the current error chain. */
static void respond_error(struct ds_agentd_response *out)
{
	char msg[DS_ERR_MSG_LEN * 2];
	json_t *obj;
	char *text = NULL;

	ds_err_format(msg, sizeof(msg));
	obj = json_pack("{s:s}", "error", msg);
	if (!obj || ds_json_dump(obj, DS_JSON_PRETTY, &text))
		text = NULL;
	json_decref(obj);
	set_body(out, 400, "application/json", text);
}

static int printable_name(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < n; i++)
		if (name[i] < 0x21 || name[i] > 0x7e)
			return 0;
	return n <= 64;
}

static const struct method *find_method(const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(methods[i].name, name))
			return &methods[i];
	return NULL;
}

/* application/json, parameters after ';' ignored, case-insensitive. */
static int is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	return !strncasecmp(ct, "application/json", n) &&
	       (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

/* The request object: the query for GET, {} for an empty body, else the
 * body, which must be one JSON object. */
static int request_object(const struct ds_agentd_request *req, const struct method *m,
			  json_t **out)
{
	if (!strcmp(req->http_method, "GET")) {
		*out = req->query ? json_deep_copy(req->query) : json_object();
		return *out ? 0 : ds_err(-ENOMEM, "out of memory");
	}
	if (!is_json_type(req->content_type) && !req->json_query)
		return ds_err(-EPROTONOSUPPORT, "protobuf requests are not supported: send "
			      "Content-Type: application/json");
	if (m->empty_request || req->body_len == 0) {
		*out = json_object();
		return *out ? 0 : ds_err(-ENOMEM, "out of memory");
	}
	return ds_json_parse_object(req->body, req->body_len, DS_AGENTD_BODY_MAX, "request", out);
}

static int dispatch(const struct ds_agentd *a, const struct ds_agentd_request *req,
		    const struct method *m, char **text)
{
	struct ds_agentd_req r = { .form = !strcmp(req->http_method, "GET") };
	json_t *obj = NULL, *answer = NULL;
	int rc;

	rc = request_object(req, m, &obj);
	if (rc == 0) {
		r.obj = obj;
		rc = m->fn(a, &r, &answer);
	}
	if (rc == 0)
		rc = ds_json_dump(answer, DS_JSON_COMPACT, text);
	json_decref(obj);
	json_decref(answer);
	return rc;
}

void ds_agentd_handle(const struct ds_agentd *a, const struct ds_agentd_request *req,
		      struct ds_agentd_response *out)
{
	const char *name = req->path && req->path[0] == '/' ? req->path + 1 : NULL;
	const struct method *m;
	char *text = NULL;

	memset(out, 0, sizeof(*out));
	/* Rocket routes GET and POST of one segment; anything else is 404. */
	if (!name || !*name || strchr(name, '/') ||
	    (strcmp(req->http_method, "GET") && strcmp(req->http_method, "POST"))) {
		respond_404(out);
		return;
	}
	m = find_method(name);
	if (!m) {
		/* The name is echoed only when it is short printable ASCII. */
		ds_err(-EOPNOTSUPP, "Service not found: %s", printable_name(name) ? name : "(invalid name)");
		respond_error(out);
		return;
	}
	if (dispatch(a, req, m, &text)) {
		respond_error(out);
		return;
	}
	set_body(out, 200, "application/json", text);
}

void ds_agentd_response_free(struct ds_agentd_response *resp)
{
	if (resp->body)
		OPENSSL_cleanse(resp->body, resp->len);
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}
