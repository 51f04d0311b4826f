/* The client handle and the one request path every call goes through:
 * POST /<Method> with a JSON body, exact status 200, bounded answer. */
#include "agent/agent.h"
#include "net/http.h"
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_url(const char *endpoint)
{
	return !strncmp(endpoint, "http://", 7) || !strncmp(endpoint, "https://", 8);
}

static int client_init(struct dstack_client *c, const char *endpoint)
{
	struct stat st;

	c->timeout_ms = DSTACK_DEFAULT_TIMEOUT_MS;
	c->unix_socket = !is_url(endpoint);
	if (c->unix_socket && stat(endpoint, &st) < 0) {
		if (errno == ENOENT)
			return ds_err(-ENOENT, "Unix socket file %s does not exist", endpoint);
		return ds_err(-errno, "cannot use Unix socket %s: %s", endpoint, strerror(errno));
	}
	c->endpoint = strdup(endpoint);
	c->base_url = strdup(c->unix_socket ? "http://localhost" : endpoint);
	if (!c->endpoint || !c->base_url)
		return ds_err(-ENOMEM, "out of memory");
	/* "http://host/" + "/GetKey" would name another route. */
	for (size_t n = strlen(c->base_url); n && c->base_url[n - 1] == '/'; n--)
		c->base_url[n - 1] = '\0';
	return 0;
}

int dstack_client_new(const char *endpoint, dstack_client **out)
{
	struct dstack_client *c;
	int r;

	if (!out)
		return ds_err(-EINVAL, "no place for the client");
	*out = NULL;
	r = ds_agent_endpoint_resolve(endpoint, getenv("DSTACK_SIMULATOR_ENDPOINT"),
				      ds_agent_socket_candidates, &endpoint);
	if (r)
		return r;
	c = calloc(1, sizeof(*c));
	if (!c)
		return ds_err(-ENOMEM, "out of memory");
	r = client_init(c, endpoint);
	if (r) {
		dstack_client_free(c);
		return r;
	}
	*out = c;
	return 0;
}

void dstack_client_free(dstack_client *client)
{
	if (!client)
		return;
	free(client->endpoint);
	free(client->base_url);
	free(client);
}

const char *dstack_client_endpoint(const dstack_client *client)
{
	return client->endpoint;
}

int dstack_client_set_timeout(dstack_client *client, long timeout_ms)
{
	if (timeout_ms <= 0)
		return ds_err(-EINVAL, "timeout must be positive, got %ld ms", timeout_ms);
	client->timeout_ms = timeout_ms;
	return 0;
}

/* Non-200: the agent's own message when the body is its {"error": ...}
 * shape; nothing else of the body is used. */
static int status_error(long status, const struct ds_buf *body)
{
	char msg[256];

	if (ds_agent_error_message(body->data, body->len, msg, sizeof(msg)))
		return ds_err(-EREMOTEIO, "guest agent answered HTTP status %ld", status);
	return ds_err(strncmp(msg, "Service not found:", 18) ? -EREMOTEIO : -EOPNOTSUPP,
		      "guest agent answered HTTP status %ld: %s", status, msg);
}

static int post(struct dstack_client *c, const char *method, const char *json, size_t max,
		struct ds_http_response *resp)
{
	char url[4096];
	struct ds_http_request req = {
		.method = "POST",
		.url = url,
		.unix_socket = c->unix_socket ? c->endpoint : NULL,
		.content_type = "application/json",
		.body = json,
		.body_len = strlen(json),
		.timeout_ms = c->timeout_ms,
		.max_response = max,
		.no_proxy = 1,
	};

	if ((size_t)snprintf(url, sizeof(url), "%s/%s", c->base_url, method) >= sizeof(url))
		return ds_err(-ENAMETOOLONG, "guest-agent URL too long");
	return ds_http_request(&req, resp);
}

int ds_agent_call(struct dstack_client *c, const char *method, json_t *request, size_t max,
		  struct ds_buf *body)
{
	struct ds_http_response resp = { 0 };
	char *json;
	int r;

	json = request ? json_dumps(request, JSON_COMPACT) : NULL;
	json_decref(request);
	if (!json)
		return ds_err(-ENOMEM, "cannot encode the %s request", method);
	r = post(c, method, json, max, &resp);
	free(json);
	if (r == 0 && resp.status != 200)
		r = status_error(resp.status, &resp.body);
	if (r) {
		ds_http_response_free(&resp);
		return ds_err_ctx(r, "dstack guest-agent request POST /%s to %s failed", method,
				  c->endpoint);
	}
	*body = resp.body;
	return 0;
}

int ds_agent_parsed(const struct dstack_client *c, const char *method, struct ds_buf *body, int r)
{
	ds_buf_wipe(body);
	return r ? ds_err_ctx(r, "invalid %s answer from the guest agent at %s", method, c->endpoint) : 0;
}

int ds_agent_require_version(struct dstack_client *c)
{
	struct dstack_version v;
	int r;

	if (c->has_version)
		return 0;
	r = dstack_get_version(c, &v);
	if (r)
		return r;
	dstack_version_free(&v);
	c->has_version = 1;
	return 0;
}
