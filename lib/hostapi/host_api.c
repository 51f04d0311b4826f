#include "hostapi/host_api.h"
#include "attest/vm_config.h"
#include "setup/sys_config.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"
#include "util/log.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ds_host_api_init(struct ds_host_api *api, const char *url)
{
	int r;

	*api = (struct ds_host_api){ 0 };
	if (!url)
		return 0;
	r = ds_prpc_endpoint_parse(url, &api->ep);
	if (r)
		return ds_err_ctx(r, "invalid host API URL");
	api->enabled = 1;
	return 0;
}

void ds_host_api_free(struct ds_host_api *api)
{
	ds_prpc_endpoint_free(&api->ep);
	api->enabled = 0;
}

int ds_host_api_notify(const struct ds_host_api *api, const char *event, const char *payload)
{
	const struct ds_prpc_call_opts opts = {
		.timeout_ms = DS_HOST_API_TIMEOUT_MS, .max_response = DS_HOST_API_NOTIFY_MAX,
	};
	json_t *req, *resp = NULL;
	int r;

	if (!api->enabled) {
		ds_debug("host-api", "no host API, not sending %s", event);
		return 0;
	}
	req = json_pack("{s:s, s:s}", "event", event, "payload", payload);
	if (!req)
		return ds_err(-EINVAL, "event name and payload must be UTF-8 text");
	r = ds_prpc_call(&api->ep, "Notify", req, &opts, &resp);
	if (r == 0 && !json_is_null(resp))
		r = ds_err(-EPROTO, "unexpected reply to Notify: expected null");
	json_decref(req);
	json_decref(resp);
	return r;
}

void ds_host_api_notify_quiet(const struct ds_host_api *api, const char *event,
			      const char *payload)
{
	char chain[1024];

	if (ds_host_api_notify(api, event, payload) == 0)
		return;
	ds_err_format(chain, sizeof(chain));
	ds_warn("host-api", "Failed to notify event %s to host: %s", event, chain);
	ds_err_clear();
}

static int sealing_key_reply(const json_t *resp, struct ds_buf *key, struct ds_buf *quote)
{
	int r = ds_prpc_bytes(resp, "encrypted_key", key);

	if (!r)
		r = ds_prpc_bytes(resp, "provider_quote", quote);
	if (!r && (!key->len || !quote->len))
		r = ds_err(-EPROTO, "reply lacks encrypted_key or provider_quote");
	if (r) {
		ds_buf_wipe(key);
		ds_buf_free(quote);
	}
	return r;
}

int ds_host_api_get_sealing_key(const struct ds_host_api *api, const uint8_t *quote,
				size_t quote_len, struct ds_buf *encrypted_key,
				struct ds_buf *provider_quote)
{
	const struct ds_prpc_call_opts opts = {
		.timeout_ms = DS_HOST_API_TIMEOUT_MS, .max_response = DS_HOST_API_SEALING_KEY_MAX,
	};
	json_t *req = NULL, *resp = NULL;
	char *quote_hex;
	int r;

	*encrypted_key = *provider_quote = (struct ds_buf){ 0 };
	if (!api->enabled)
		return ds_err(-ENOTCONN, "Host API client not initialized");
	quote_hex = ds_hex_alloc(quote, quote_len);
	if (quote_hex)
		req = json_pack("{s:s}", "quote", quote_hex);
	free(quote_hex);
	if (!req)
		return ds_err(-ENOMEM, "out of memory");
	r = ds_prpc_call(&api->ep, "GetSealingKey", req, &opts, &resp);
	if (r == 0 && !json_is_object(resp))
		r = ds_err(-EPROTO, "unexpected reply to GetSealingKey: expected an object");
	if (r == 0)
		r = sealing_key_reply(resp, encrypted_key, provider_quote);
	json_decref(req);
	json_decref(resp);
	return r ? ds_err_ctx(r, "Failed to get sealing key") : 0;
}

int ds_host_api_url_from_guest(char **url)
{
	struct ds_sys_config cfg;
	struct ds_buf raw = { 0 };
	char path[PATH_MAX];
	int r;

	*url = NULL;
	r = ds_sys_config_path(path, sizeof(path));
	if (r)
		return r;
	r = ds_read_file(path, DS_SYS_CONFIG_MAX, &raw);
	if (r == 0)
		r = ds_sys_config_parse(raw.data, raw.len, &cfg);
	ds_buf_free(&raw);
	if (r)
		return ds_err_ctx(r, "Failed to load %s", path);
	*url = cfg.host_api_url;
	cfg.host_api_url = NULL;
	ds_sys_config_free(&cfg);
	return 0;
}
