/* The local guest agent (spec guest-agent-api.md 1.4-2.10): the state read
 * from setup's work dir, and the API as a pure function of a request (path,
 * method, content type, body or query) to a response (status, JSON), so the
 * HTTP server (src/dstack-guest-agent) stays thin and the handlers can be
 * fuzzed. The TDX side (quotes, event log, RTMR3) sits behind a backend. */
#ifndef DS_AGENTD_AGENTD_H
#define DS_AGENTD_AGENTD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/container.h"
#include "crypto/appkeys.h"
#include "agentd/host_files.h"
#include "crypto/cert.h"
#include "util/buf.h"

/* Largest request body accepted (upstream: 10 MiB; no method needs more
 * than a few hundred bytes). */
#define DS_AGENTD_BODY_MAX (64u << 10)

struct ds_agentd_backend {
	/* This guest's attestation binding report_data (quote, full event
	 * log, runtime events, vm_config from sys_config_path). */
	int (*attest)(const uint8_t report_data[DS_REPORT_DATA_LEN], const char *sys_config_path,
		      struct ds_attestation *out);
	/* Measures a runtime event into RTMR3 and the runtime log. */
	int (*emit)(const char *name, const uint8_t *payload, size_t len);
};

/* ds_attestation_local and ds_runtime_emit: TDX, or the simulator through
 * the DCAP_TDX_* overrides. */
extern const struct ds_agentd_backend ds_agentd_tdx_backend;

struct ds_agentd {
	const struct ds_agentd_backend *backend;
	struct ds_app_keys keys;          /* secret */
	struct ds_ca ca;                  /* local CA of GetTlsKey; cert NULL when none */
	struct ds_agentd_host host;
	struct ds_buf key_provider_info;  /* {"name":..,"id":..} */
	char *sys_config_path;
	const char *version, *rev;
};

/* Reads WORK/.host-shared/{.appkeys.json, app-compose.json, .instance_info,
 * .sys-config.json} once; the agent does not reload them. */
int ds_agentd_load(const char *work_dir, const struct ds_agentd_backend *backend,
		   struct ds_agentd *out);
void ds_agentd_free(struct ds_agentd *a);

struct ds_agentd_request {
	const char *http_method;          /* "GET", "POST", ... */
	const char *path;                 /* URL path, without the query */
	const char *content_type;         /* NULL when absent */
	int json_query;                   /* ?json, ?json=true or ?json=1 */
	const json_t *query;              /* GET: the query as an object of strings */
	const uint8_t *body;
	size_t body_len;
};

struct ds_agentd_response {
	unsigned status;
	const char *content_type;
	char *body;                       /* malloc'd; may hold a key: wipe */
	size_t len;
};

/* Always fills out: 200 with the compact JSON answer, 400 with a pretty
 * {"error": chain}, 404 for paths that name no method. */
void ds_agentd_handle(const struct ds_agentd *a, const struct ds_agentd_request *req,
		      struct ds_agentd_response *out);
void ds_agentd_response_free(struct ds_agentd_response *resp);

#endif
