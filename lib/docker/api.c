#include "docker/api.h"
#include "net/http.h"
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* As upstream's client: a removal may wait for a container to stop. */
#define DOCKER_TIMEOUT_MS 120000L

int ds_docker_socket(const char **path)
{
	const char *host = getenv("DOCKER_HOST");

	*path = DS_DOCKER_DEFAULT_SOCKET;
	if (!host || !*host)
		return 0;
	if (strncmp(host, "unix://", 7) != 0 || host[7] != '/')
		return ds_err(-EINVAL, "unsupported DOCKER_HOST '%s': only unix:///absolute/path "
			      "is supported", host);
	*path = host + 7;
	return 0;
}

static int request(const char *socket, const char *method, const char *path, size_t max,
		   struct ds_http_response *resp)
{
	char url[256];
	struct ds_http_request req = {
		.method = method, .url = url, .unix_socket = socket,
		.timeout_ms = DOCKER_TIMEOUT_MS, .max_response = max,
	};
	int r;

	snprintf(url, sizeof(url), "http://docker%s", path);
	r = ds_http_request(&req, resp);
	return r ? ds_err_ctx(r, "Docker daemon at unix://%s", socket) : 0;
}

/* The daemon's error: status and its {"message": ...} when there is one. */
static int api_error(const struct ds_http_response *resp)
{
	json_t *body = json_loadb((const char *)resp->body.data, resp->body.len, 0, NULL);
	const char *message = json_string_value(json_object_get(body, "message"));
	int r;

	r = ds_err(resp->status == 404 ? -ENOENT : -EIO, "Docker API returned HTTP %ld: %.300s",
		   resp->status, message ? message : "(no message)");
	json_decref(body);
	return r;
}

static int add_if_orphan(json_t *entry, const struct ds_compose_info *info,
			 struct ds_orphan_list *out)
{
	const char *id = json_string_value(json_object_get(entry, "Id")), *service;
	int r;

	if (!json_is_object(entry))
		return ds_err(-EINVAL, "a container list entry is not an object");
	r = ds_orphan_check(json_object_get(entry, "Labels"), info, &service);
	if (r)
		return ds_err_ctx(r, "container %.80s", id ? id : "(no Id)");
	if (!service || !id)
		return 0;
	if (!ds_container_id_valid(id))
		return ds_err(-EINVAL, "orphaned container of service %.80s has an invalid Id "
			      "'%.80s'", service, id);
	return ds_orphan_add(out, id, service, 0, 0);
}

static int parse_list(const struct ds_http_response *resp, json_t **list)
{
	json_error_t jerr;

	*list = json_loadb((const char *)resp->body.data, resp->body.len, JSON_REJECT_DUPLICATES,
			   &jerr);
	if (!*list)
		return ds_err(-EINVAL, "invalid JSON: %s at line %d column %d", jerr.text, jerr.line,
			      jerr.column);
	if (!json_is_array(*list))
		return ds_err(-EINVAL, "the container list is not a JSON array");
	return 0;
}

int ds_docker_find_orphans(const char *socket, const struct ds_compose_info *info,
			   struct ds_orphan_list *out)
{
	struct ds_http_response resp;
	json_t *list = NULL;
	int r;

	r = request(socket, "GET", "/containers/json?all=true", DS_DOCKER_MAX_LIST, &resp);
	if (r == 0 && resp.status != 200)
		r = api_error(&resp);
	if (r == 0)
		r = parse_list(&resp, &list);
	for (size_t i = 0; r == 0 && i < json_array_size(list); i++)
		r = add_if_orphan(json_array_get(list, i), info, out);
	json_decref(list);
	ds_http_response_free(&resp);
	return r ? ds_err_ctx(r, "Failed to list containers") : 0;
}

int ds_docker_remove(const char *socket, const char *id)
{
	struct ds_http_response resp;
	char path[128];
	int r;

	if (!ds_container_id_valid(id))
		return ds_err(-EINVAL, "invalid container id '%.80s'", id);
	snprintf(path, sizeof(path), "/containers/%s?v=true&force=true&link=false", id);
	r = request(socket, "DELETE", path, 0, &resp);
	if (r == 0 && resp.status != 204 && resp.status != 200)
		r = api_error(&resp);
	ds_http_response_free(&resp);
	return r;
}
