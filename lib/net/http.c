#include "net/http.h"
#include "net/curl_lib.h"
#include "util/err.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/vm_sockets.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_MAX_RESPONSE (1u << 20)
/* upstream ra-rpc: 5 s to connect */
#define CONNECT_TIMEOUT_MS 5000L
#define DEFAULT_TIMEOUT_MS 30000L

struct transfer {
	const struct ds_curl *cu;
	const struct ds_http_request *req;
	struct ds_buf body;
	size_t max;
	int too_large;
	int peer_rc;            /* result of verify_peer, 1 = not called */
	char detail[CURL_ERROR_SIZE]; /* libcurl's own words on a failure */
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;

	if (len > t->max - t->body.len) {
		t->too_large = 1;
		return 0;   /* aborts the transfer */
	}
	if (ds_buf_append(&t->body, data, len, t->max))
		return 0;
	return len;
}

static curl_socket_t open_vsock(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	const struct ds_http_request *req = arg;
	struct sockaddr_vm vm = {
		.svm_family = AF_VSOCK, .svm_cid = req->vsock_cid, .svm_port = req->vsock_port,
	};
	int fd;

	(void)purpose;
	(void)addr;
	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return CURL_SOCKET_BAD;
	if (connect(fd, (struct sockaddr *)&vm, sizeof(vm)) < 0) {
		close(fd);
		return CURL_SOCKET_BAD;
	}
	return fd;
}

static int vsock_already_connected(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	(void)arg;
	(void)fd;
	(void)purpose;
	return CURL_SOCKOPT_ALREADY_CONNECTED;
}

/* Runs inside the TLS handshake: the chain check (unless the caller does its
 * own), then the caller's check of the leaf certificate. */
static int verify_chain(X509_STORE_CTX *store, void *arg)
{
	struct transfer *t = arg;
	X509 *leaf = X509_STORE_CTX_get0_cert(store);
	unsigned char *der = NULL;
	int len;

	if (!t->req->tls_insecure_skip_verify && X509_verify_cert(store) != 1)
		return 0;
	if (!t->req->verify_peer)
		return 1;
	len = i2d_X509(leaf, &der);
	if (len <= 0)
		return 0;
	t->peer_rc = t->req->verify_peer(der, (size_t)len, t->req->verify_ctx);
	OPENSSL_free(der);
	return t->peer_rc == 0;
}

static CURLcode on_ssl_ctx(CURL *curl, void *ssl_ctx, void *arg)
{
	(void)curl;
	SSL_CTX_set_cert_verify_callback(ssl_ctx, verify_chain, arg);
	return CURLE_OK;
}

/* Sets a PEM blob option; a NULL pem leaves the option unset. */
static CURLcode set_blob(const struct transfer *t, CURL *c, CURLoption opt, const char *pem)
{
	struct curl_blob blob = { .data = (void *)pem, .flags = CURL_BLOB_COPY };

	if (!pem)
		return CURLE_OK;
	blob.len = strlen(pem);
	return t->cu->easy_setopt(c, opt, &blob);
}

/* Every TLS option must take: an identity, trust anchor or peer check that
 * libcurl silently ignored would weaken the connection. */
static int configure_tls(CURL *c, const struct ds_http_request *req, struct transfer *t)
{
	CURLcode e = set_blob(t, c, CURLOPT_SSLCERT_BLOB, req->tls_cert_pem);

	e = e ?: set_blob(t, c, CURLOPT_SSLKEY_BLOB, req->tls_key_pem);
	e = e ?: set_blob(t, c, CURLOPT_CAINFO_BLOB, req->tls_ca_pem);
	if (req->tls_ca_pem || req->tls_insecure_skip_verify) {
		/* The given anchors only (or none): no system CA file or directory. */
		e = e ?: t->cu->easy_setopt(c, CURLOPT_CAINFO, NULL);
		e = e ?: t->cu->easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	e = e ?: t->cu->easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
	e = e ?: t->cu->easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
	e = e ?: t->cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	e = e ?: t->cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, req->tls_insecure_skip_verify ? 0L : 2L);
	e = e ?: t->cu->easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	e = e ?: t->cu->easy_setopt(c, CURLOPT_SSL_CTX_DATA, t);
	if (e != CURLE_OK)
		return ds_err(-ENOTSUP, "libcurl refused a TLS option: %s", t->cu->easy_strerror(e));
	return 0;
}

static int configure(CURL *c, const struct ds_http_request *req, struct transfer *t,
		     struct curl_slist **headers)
{
	const char *method = req->method ? req->method : (req->body ? "POST" : "GET");

	t->cu->easy_setopt(c, CURLOPT_URL, req->url);
	t->cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	t->cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	t->cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	if (req->no_proxy)
		t->cu->easy_setopt(c, CURLOPT_PROXY, "");
	t->cu->easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms ? req->timeout_ms : DEFAULT_TIMEOUT_MS);
	t->cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
	t->cu->easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	t->cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	t->cu->easy_setopt(c, CURLOPT_WRITEDATA, t);
	t->cu->easy_setopt(c, CURLOPT_ERRORBUFFER, t->detail);
	t->cu->easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "HEAD"))
		t->cu->easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (req->unix_socket)
		t->cu->easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
	if (req->vsock) {
		t->cu->easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_vsock);
		t->cu->easy_setopt(c, CURLOPT_OPENSOCKETDATA, (void *)req);
		t->cu->easy_setopt(c, CURLOPT_SOCKOPTFUNCTION, vsock_already_connected);
	}
	if (req->body) {
		char ct[256];

		snprintf(ct, sizeof(ct), "Content-Type: %s",
			 req->content_type ? req->content_type : "application/json");
		*headers = t->cu->slist_append(*headers, ct);
		t->cu->easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		t->cu->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	/* No "Expect: 100-continue" round trip. */
	*headers = t->cu->slist_append(*headers, "Expect:");
	if (!*headers)
		return ds_err(-ENOMEM, "out of memory");
	t->cu->easy_setopt(c, CURLOPT_HTTPHEADER, *headers);
	if (!strncmp(req->url, "https://", 8))
		return configure_tls(c, req, t);
	if (req->verify_peer)
		return ds_err(-EINVAL, "a peer certificate check needs an https:// URL: %s", req->url);
	return 0;
}

int ds_http_request(const struct ds_http_request *req, struct ds_http_response *resp)
{
	struct transfer t = { .req = req, .peer_rc = 1 };
	struct curl_slist *headers = NULL;
	CURLcode rc;
	CURL *c;
	int r;

	*resp = (struct ds_http_response){ 0 };
	t.max = req->max_response ? req->max_response : DEFAULT_MAX_RESPONSE;
	t.cu = ds_curl();
	if (!t.cu)
		return ds_err_ctx(-ENOSYS, "HTTP is unavailable");
	c = t.cu->easy_init();
	if (!c)
		return ds_err(-ENOMEM, "failed to initialise libcurl");
	r = ds_buf_alloc(&t.body, 0);
	if (r)
		goto out;
	r = configure(c, req, &t, &headers);
	if (r)
		goto out;
	rc = t.cu->easy_perform(c);
	if (t.too_large) {
		r = ds_err(-EFBIG, "response from %s larger than %zu bytes", req->url, t.max);
		goto out;
	}
	if (t.peer_rc < 0) {
		r = ds_err_ctx(t.peer_rc, "server certificate of %s rejected", req->url);
		goto out;
	}
	/* A check the caller asked for must have run: never succeed without it. */
	if (req->verify_peer && t.peer_rc != 0 && rc == CURLE_OK) {
		r = ds_err(-EPROTO, "server certificate of %s was not checked", req->url);
		goto out;
	}
	if (rc != CURLE_OK) {
		r = ds_err(rc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT : -ECONNREFUSED,
			   "request to %s failed: %s%s%s%s", req->url, t.cu->easy_strerror(rc),
			   t.detail[0] ? " (" : "", t.detail, t.detail[0] ? ")" : "");
		goto out;
	}
	t.cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->body = t.body;
	t.body = (struct ds_buf){ 0 };
out:
	ds_buf_wipe(&t.body);
	t.cu->slist_free_all(headers);
	t.cu->easy_cleanup(c);
	return r;
}

void ds_http_response_free(struct ds_http_response *resp)
{
	ds_buf_wipe(&resp->body);
	resp->status = 0;
}

int ds_vsock_url_parse(const char *url, uint32_t *cid, uint32_t *port, const char **path)
{
	const char *p = url + strlen("vsock://");
	char *end;
	unsigned long v;

	if (strncmp(url, "vsock://", 8))
		return ds_err(-EINVAL, "not a vsock URL: %s", url);
	/* strtoul alone would also take blanks and a sign. */
	errno = 0;
	v = strtoul(p, &end, 0);
	if (!isdigit((unsigned char)*p) || errno || end == p || *end != ':' || v > UINT32_MAX)
		return ds_err(-EINVAL, "invalid vsock CID in %s", url);
	*cid = (uint32_t)v;
	p = end + 1;
	v = strtoul(p, &end, 10);
	if (!isdigit((unsigned char)*p) || errno || end == p || (*end && *end != '/') || v > UINT32_MAX)
		return ds_err(-EINVAL, "invalid vsock port in %s", url);
	*port = (uint32_t)v;
	*path = *end ? end : "/";
	return 0;
}
