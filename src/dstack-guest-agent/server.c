/* The HTTP side: libmicrohttpd parses HTTP/1.1 on the Unix socket (worker
 * threads with internal epoll, connection limit, idle timeout, bounded
 * header memory); this file bounds the body before buffering it, builds the
 * lib/agentd request and sends its answer. */
#include "agent.h"
#include "util/err.h"
#include "util/log.h"

#include <errno.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SERVER_NAME "dstack guest agent"
#define HEADER_MEMORY (32u << 10)

struct agent_server {
	const struct ds_agentd *agentd;
	struct MHD_Daemon *mhd;
	unsigned drain_s;
	atomic_uint in_flight;
};

struct request {
	struct ds_buf body;
	json_t *query;
	int json_query;
	int bad_query;
};

static const char too_large[] = "{\n  \"error\": \"failed to read data: payload too large\"\n}";
static const char bad_query[] = "{\n  \"error\": \"invalid query string\"\n}";
static const char internal[] = "{\n  \"error\": \"internal error\"\n}";

/* Bodies may hold keys: wiped before they are freed. */
static void free_body(void *p)
{
	OPENSSL_cleanse(p, strlen(p));
	free(p);
}

static enum MHD_Result send_owned(struct MHD_Connection *c, unsigned status, const char *type,
				  char *body, size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer_with_free_callback(len, body, free_body);
	if (!resp) {
		free_body(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SERVER, SERVER_NAME);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_static(struct MHD_Connection *c, unsigned status, const char *text)
{
	char *copy = strdup(text);

	return copy ? send_owned(c, status, "application/json", copy, strlen(copy)) : MHD_NO;
}

static enum MHD_Result query_member(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	struct request *rq = cls;
	json_t *v;

	(void)kind;
	if (!strcmp(key, "json"))
		rq->json_query = !value || !*value || !strcmp(value, "true") || !strcmp(value, "1");
	v = json_string(value ? value : "");
	if (!v || json_object_set_new(rq->query, key, v)) {
		rq->bad_query = 1;   /* not UTF-8 */
		return MHD_NO;
	}
	return MHD_YES;
}

/* A declared body larger than the limit is refused before any of it is read. */
static int declared_too_large(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long long n;

	if (!cl)
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno || end == cl || n > DS_AGENTD_BODY_MAX;
}

static struct request *request_new(struct MHD_Connection *c)
{
	struct request *rq = calloc(1, sizeof(*rq));

	if (!rq)
		return NULL;
	rq->query = json_object();
	if (!rq->query) {
		free(rq);
		return NULL;
	}
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_member, rq);
	return rq;
}

static enum MHD_Result answer(struct agent_server *s, struct MHD_Connection *c, const char *url,
			      const char *method, struct request *rq)
{
	struct ds_agentd_request req = {
		.http_method = method,
		.path = url,
		.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_CONTENT_TYPE),
		.json_query = rq->json_query,
		.query = rq->query,
		.body = rq->body.data,
		.body_len = rq->body.len,
	};
	struct ds_agentd_response resp;

	if (rq->bad_query)
		return send_static(c, 400, bad_query);
	ds_agentd_handle(s->agentd, &req, &resp);
	ds_debug("agent", "%s %s -> %u", method, url, resp.status);
	if (!resp.body)
		return send_static(c, 500, internal);
	return send_owned(c, resp.status, resp.content_type, resp.body, resp.len);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct agent_server *s = cls;
	struct request *rq = *con_cls;

	(void)version;
	if (!rq) {
		rq = request_new(c);
		if (!rq)
			return MHD_NO;
		*con_cls = rq;
		atomic_fetch_add(&s->in_flight, 1);
		if (declared_too_large(c))
			return send_static(c, 400, too_large);
		return MHD_YES;
	}
	if (*upload_size) {
		/* Chunked bodies have no declared size: cut them off here. */
		if (ds_buf_append(&rq->body, upload, *upload_size, DS_AGENTD_BODY_MAX)) {
			ds_err_clear();
			return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(s, c, url, method, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct agent_server *s = cls;
	struct request *rq = *con_cls;

	(void)c;
	(void)toe;
	if (!rq)
		return;
	ds_buf_wipe(&rq->body);
	json_decref(rq->query);
	free(rq);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

int agent_server_start(const struct ds_agentd *a, int fd, const struct agent_server_opts *o,
		       struct agent_server **out)
{
	struct agent_server *s = calloc(1, sizeof(*s));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;

	if (!s) {
		close(fd);
		return ds_err(-ENOMEM, "out of memory");
	}
	s->agentd = a;
	s->drain_s = o->drain_s;
	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_THREAD_POOL_SIZE, o->threads,
				  MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
				  MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				  MHD_OPTION_END);
	if (!s->mhd) {
		close(fd);
		free(s);
		return ds_err(-EIO, "cannot start the HTTP server");
	}
	*out = s;
	return 0;
}

void agent_server_stop(struct agent_server *s)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	MHD_socket fd = MHD_quiesce_daemon(s->mhd);
	unsigned waited_ms = 0;

	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&s->in_flight) && waited_ms < s->drain_s * 1000) {
		nanosleep(&tick, NULL);
		waited_ms += 20;
	}
	if (atomic_load(&s->in_flight))
		ds_warn("agent", "%u request(s) still in flight at shutdown",
			atomic_load(&s->in_flight));
	MHD_stop_daemon(s->mhd);
	free(s);
}
