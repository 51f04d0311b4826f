#include "rpc/prpc.h"
#include "util/err.h"
#include "util/json.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies s without its trailing slashes, as upstream joins base and path. */
static char *strdup_trimmed(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '/')
		n--;
	return strndup(s, n);
}

static int parse_vsock(const char *url, struct ds_prpc_endpoint *ep)
{
	const char *path;
	char *base;
	int r = ds_vsock_url_parse(url, &ep->vsock_cid, &ep->vsock_port, &path);

	if (r)
		return r;
	if (asprintf(&base, "http://%u:%u%s", ep->vsock_cid, ep->vsock_port, path) < 0)
		return ds_err(-ENOMEM, "out of memory");
	ep->base = strdup_trimmed(base);
	free(base);
	ep->transport = DS_PRPC_VSOCK;
	return 0;
}

static int parse_unix(const char *url, struct ds_prpc_endpoint *ep)
{
	const char *path = url + strlen("unix:");

	if (!*path)
		return ds_err(-EINVAL, "no socket path in %s", url);
	ep->transport = DS_PRPC_UNIX;
	ep->unix_socket = strdup(path);
	ep->base = strdup("http://localhost");
	return 0;
}

int ds_prpc_endpoint_parse(const char *url, struct ds_prpc_endpoint *ep)
{
	int r;

	*ep = (struct ds_prpc_endpoint){ 0 };
	if (!strncmp(url, "vsock://", 8)) {
		r = parse_vsock(url, ep);
	} else if (!strncmp(url, "unix:", 5)) {
		r = parse_unix(url, ep);
	} else if (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8)) {
		ep->transport = DS_PRPC_TCP;
		ep->base = strdup_trimmed(url);
		r = 0;
	} else {
		return ds_err(-EINVAL, "unsupported URL %s (expected vsock://, unix:, http:// or https://)",
			      url);
	}
	if (r == 0 && (!ep->base || (ep->transport == DS_PRPC_UNIX && !ep->unix_socket)))
		r = ds_err(-ENOMEM, "out of memory");
	if (r)
		ds_prpc_endpoint_free(ep);
	return r;
}

void ds_prpc_endpoint_free(struct ds_prpc_endpoint *ep)
{
	free(ep->base);
	free(ep->unix_socket);
	*ep = (struct ds_prpc_endpoint){ 0 };
}

static int valid_method(const char *method)
{
	if (!*method)
		return 0;
	for (const char *p = method; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			return 0;
	return 1;
}

int ds_prpc_request_init(const struct ds_prpc_endpoint *ep, const char *method,
			 const char *body, struct ds_http_request *req, char **url)
{
	if (!valid_method(method))
		return ds_err(-EINVAL, "invalid prpc method name \"%s\"", method);
	if (asprintf(url, "%s/%s?json", ep->base, method) < 0) {
		*url = NULL;
		return ds_err(-ENOMEM, "out of memory");
	}
	*req = (struct ds_http_request){
		.method = "POST",
		.url = *url,
		.unix_socket = ep->transport == DS_PRPC_UNIX ? ep->unix_socket : NULL,
		.vsock = ep->transport == DS_PRPC_VSOCK,
		.vsock_cid = ep->vsock_cid,
		.vsock_port = ep->vsock_port,
		.body = body,
		.body_len = strlen(body),
	};
	return 0;
}

int ds_prpc_call(const struct ds_prpc_endpoint *ep, const char *method, const json_t *request,
		 const struct ds_prpc_call_opts *opts, json_t **out)
{
	struct ds_http_response resp = { 0 };
	struct ds_http_request req;
	char *body, *url = NULL;
	int r;

	*out = NULL;
	if (request)
		r = ds_json_dump(request, DS_JSON_COMPACT, &body);
	else
		r = (body = strdup("null")) ? 0 : ds_err(-ENOMEM, "out of memory");
	if (r)
		return ds_err_ctx(r, "failed to encode the %s request", method);
	r = ds_prpc_request_init(ep, method, body, &req, &url);
	if (r)
		goto out;
	if (opts) {
		req.timeout_ms = opts->timeout_ms;
		req.max_response = opts->max_response;
		req.tls_cert_pem = opts->tls_cert_pem;
		req.tls_key_pem = opts->tls_key_pem;
		req.tls_ca_pem = opts->tls_ca_pem;
		req.tls_insecure_skip_verify = opts->tls_insecure_skip_verify;
		req.verify_peer = opts->verify_peer;
		req.verify_ctx = opts->verify_ctx;
	}
	r = ds_http_request(&req, &resp);
	if (r && ep->transport == DS_PRPC_UNIX)
		ds_err_ctx(r, "no answer on Unix socket %s", ep->unix_socket);
	if (r && ep->transport == DS_PRPC_VSOCK)
		ds_err_ctx(r, "no answer on vsock CID %u port %u", ep->vsock_cid, ep->vsock_port);
	if (r)
		goto out;
	r = ds_prpc_parse_response(url + strlen(ep->base) + 1, resp.status, resp.body.data,
				   resp.body.len, out);
out:
	ds_http_response_free(&resp);
	free(url);
	free(body);
	return r;
}
