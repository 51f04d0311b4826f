/* HTTP client over TCP, Unix sockets and vsock, through libcurl. Responses
 * are bounded: a body larger than max_response is an error, never truncated. */
#ifndef DS_NET_HTTP_H
#define DS_NET_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct ds_http_request {
	const char *method;        /* "GET", "POST", "DELETE", ...; NULL = GET, or POST with a body */
	const char *url;           /* http(s)://host[:port]/path; host is nominal for unix/vsock */
	const char *unix_socket;   /* connect to this Unix socket instead of TCP */
	int vsock;                 /* connect to vsock_cid:vsock_port instead of TCP */
	uint32_t vsock_cid, vsock_port;
	const char *content_type;  /* with body; default application/json */
	const void *body;
	size_t body_len;
	long timeout_ms;           /* whole transfer; 0 = 30 s */
	int no_proxy;              /* ignore http_proxy & co. (local services) */
	size_t max_response;       /* 0 = 1 MiB */
	/* TLS client identity and server trust, PEM (optional, for RA-TLS). */
	const char *tls_cert_pem, *tls_key_pem, *tls_ca_pem;
	int tls_insecure_skip_verify; /* the caller verifies the peer itself */
	/* Called with the peer's leaf certificate (DER) before the body is used. */
	int (*verify_peer)(const uint8_t *der, size_t len, void *ctx);
	void *verify_ctx;
};

struct ds_http_response {
	long status;               /* parsed by libcurl from the status line */
	struct ds_buf body;
};

/* Performs one request. Transport failures and oversized bodies are errors;
 * any HTTP status is returned for the caller to judge. */
int ds_http_request(const struct ds_http_request *req, struct ds_http_response *resp);
void ds_http_response_free(struct ds_http_response *resp);

/* Parses "vsock://CID:PORT/path" into cid, port and the path part. */
int ds_vsock_url_parse(const char *url, uint32_t *cid, uint32_t *port, const char **path);

#endif
