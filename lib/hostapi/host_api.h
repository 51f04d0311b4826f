/* The VMM's host API (package host_api, service HostApi; spec
 * system-setup.md 6.3): Notify and GetSealingKey over prpc, normally at
 * sys-config's host_api_url vsock://2:<port>/api. */
#ifndef DS_HOSTAPI_HOST_API_H
#define DS_HOSTAPI_HOST_API_H

#include <stddef.h>
#include <stdint.h>

#include "rpc/prpc.h"
#include "util/buf.h"

#define DS_HOST_API_TIMEOUT_MS 30000L
/* Notify answers `null`; a sealing key reply carries an SGX quote in hex. */
#define DS_HOST_API_NOTIFY_MAX (64u << 10)
#define DS_HOST_API_SEALING_KEY_MAX (1u << 20)

struct ds_host_api {
	int enabled;                 /* 0 when there is no host_api_url */
	struct ds_prpc_endpoint ep;
};

/* url NULL: no host API ([HEAD] notifications become no-ops and
 * GetSealingKey fails). */
int ds_host_api_init(struct ds_host_api *api, const char *url);
void ds_host_api_free(struct ds_host_api *api);

/* Notify{event, payload}; the reply must be exactly status 200 and `null`
 * (or an empty body). */
int ds_host_api_notify(const struct ds_host_api *api, const char *event, const char *payload);
/* setup's progress notifications: a failure is only logged as a warning
 * "Failed to notify event E to host: ...". */
void ds_host_api_notify_quiet(const struct ds_host_api *api, const char *event,
			      const char *payload);

/* GetSealingKey{quote}: the sealed key and the provider's SGX quote, both
 * non-empty; verifying them is the caller's job. */
int ds_host_api_get_sealing_key(const struct ds_host_api *api, const uint8_t *quote,
				size_t quote_len, struct ds_buf *encrypted_key,
				struct ds_buf *provider_quote);

/* host_api_url of the guest's own sys-config copy (what notify-host uses
 * without --url): <host-shared dir>/.sys-config.json. *url is NULL when the
 * file has none; a missing or invalid file is an error. */
int ds_host_api_url_from_guest(char **url);

#endif
