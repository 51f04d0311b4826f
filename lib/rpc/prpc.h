/* prpc over HTTP, the RPC style of every dstack service (spec
 * system-setup.md 6.1-6.2): POST <base>/<Method>?json with the request message
 * as JSON; the reply is JSON on exactly status 200, anything else is an error
 * whose text the server may give as {"error": "..."}. Bytes fields are hex.
 * Endpoints are vsock://CID:PORT/path (host API), unix:/socket/path, or
 * http(s)://host[:port]/path. */
#ifndef DS_RPC_PRPC_H
#define DS_RPC_PRPC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "net/http.h"
#include "util/buf.h"

enum ds_prpc_transport {
	DS_PRPC_TCP,              /* http:// or https:// */
	DS_PRPC_UNIX,
	DS_PRPC_VSOCK,
};

struct ds_prpc_endpoint {
	enum ds_prpc_transport transport;
	char *base;               /* the method is appended as "/<Method>?json" */
	char *unix_socket;        /* DS_PRPC_UNIX */
	uint32_t vsock_cid, vsock_port;
};

int ds_prpc_endpoint_parse(const char *url, struct ds_prpc_endpoint *ep);
void ds_prpc_endpoint_free(struct ds_prpc_endpoint *ep);

/* Fills the transport fields, the URL (*url, malloc'd, owned by the caller)
 * and the body of a POST for method; the caller may then add TLS settings,
 * a timeout and a response bound before ds_http_request(). */
int ds_prpc_request_init(const struct ds_prpc_endpoint *ep, const char *method,
			 const char *body, struct ds_http_request *req, char **url);

/* Judges a reply (pure; no I/O). Status 200: the body parsed as JSON into
 * *out (an empty body or `null` give a JSON null, the Empty message).
 * Otherwise an error "Invalid status code: S, path=P" caused by the
 * server's error text, sanitised and shortened. */
int ds_prpc_parse_response(const char *path, long status, const uint8_t *body, size_t len,
			   json_t **out);

/* One call: request is the message (NULL sends `null`, for Empty). */
struct ds_prpc_call_opts {
	long timeout_ms;          /* 0 = the HTTP client's default */
	size_t max_response;      /* 0 = the HTTP client's default */
	/* https only: client identity, trust and peer check (see net/http.h) */
	const char *tls_cert_pem, *tls_key_pem, *tls_ca_pem;
	int tls_insecure_skip_verify;
	int (*verify_peer)(const uint8_t *der, size_t len, void *ctx);
	void *verify_ctx;
};
int ds_prpc_call(const struct ds_prpc_endpoint *ep, const char *method, const json_t *request,
		 const struct ds_prpc_call_opts *opts, json_t **out);

/* Fields of a reply message: absent means the default (empty); a wrong type
 * is an error. Bytes are hex with an optional 0x prefix. */
int ds_prpc_bytes(const json_t *msg, const char *field, struct ds_buf *out);
int ds_prpc_string(const json_t *msg, const char *field, const char **out);

#endif
