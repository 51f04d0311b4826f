#include "agent_cli.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TIMEOUT_SECONDS 3600

int agent_cli_connect(const struct cli_spec *spec, const struct agent_cli_opts *o,
		      dstack_client **out)
{
	size_t seconds = DSTACK_DEFAULT_TIMEOUT_MS / 1000;
	int r;

	if (o->timeout && (cli_parse_size(o->timeout, MAX_TIMEOUT_SECONDS, &seconds) || !seconds))
		return cli_usage_error(spec, "invalid value '%s' for '--timeout <SECONDS>': "
				       "expected 1 to %d", o->timeout, MAX_TIMEOUT_SECONDS);
	r = dstack_client_new(o->endpoint, out);
	if (r == 0)
		r = dstack_client_set_timeout(*out, (long)seconds * 1000);
	return r;
}

int agent_cli_hex_arg(const struct cli_spec *spec, const char *name, const char *arg,
		      struct ds_buf *out)
{
	const char *hex = arg ? ds_hex_strip_0x(arg) : "";

	if (ds_hex_decode(hex, strlen(hex), out))
		return cli_usage_error(spec, "invalid value '%s' for '%s': %s", arg, name, ds_err_msg(0));
	return 0;
}

int agent_cli_chain_parse(const struct cli_spec *spec, const struct agent_cli_chain_opts *o,
			  struct agent_cli_chain *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if (o->app_id && !o->kms_root)
		return cli_usage_error(spec, "'--app-id <HEX>' needs --kms-root");
	r = agent_cli_hex_arg(spec, "--kms-root", o->kms_root, &out->kms_root);
	if (r == 0)
		r = agent_cli_hex_arg(spec, "--app-id", o->app_id, &out->app_id);
	if (r)
		return r;
	if (o->kms_root && out->kms_root.len != DSTACK_PUBKEY_LEN)
		return cli_usage_error(spec, "'--kms-root <HEX>' must be %d bytes, got %zu",
				       DSTACK_PUBKEY_LEN, out->kms_root.len);
	if (o->app_id && out->app_id.len != DSTACK_APP_ID_LEN)
		return cli_usage_error(spec, "'--app-id <HEX>' must be %d bytes, got %zu",
				       DSTACK_APP_ID_LEN, out->app_id.len);
	return 0;
}

int agent_cli_chain_app_id(dstack_client *client, const struct agent_cli_chain *c,
			   uint8_t app_id[DSTACK_APP_ID_LEN])
{
	struct dstack_info info = { 0 };
	int r;

	if (c->app_id.len) {
		memcpy(app_id, c->app_id.data, DSTACK_APP_ID_LEN);
		return 0;
	}
	r = dstack_get_info(client, &info);
	if (r == 0)
		memcpy(app_id, info.app_id.data, DSTACK_APP_ID_LEN);
	dstack_info_free(&info);
	return r;
}

void agent_cli_chain_free(struct agent_cli_chain *c)
{
	ds_buf_free(&c->kms_root);
	ds_buf_free(&c->app_id);
}

json_t *agent_cli_hex(const struct dstack_bytes *b)
{
	char *hex = ds_hex_alloc(b->data, b->len);
	json_t *s = hex ? json_string(hex) : NULL;

	if (hex)
		OPENSSL_cleanse(hex, strlen(hex));
	free(hex);
	return s;
}

int agent_cli_emit(json_t *obj, const char *output)
{
	size_t len = obj ? json_dumpb(obj, NULL, 0, JSON_COMPACT) : 0;
	char *line = len ? malloc(len + 1) : NULL;
	int r;

	if (!line || json_dumpb(obj, line, len, JSON_COMPACT) != len) {
		r = ds_err(-ENOMEM, "cannot encode the answer as JSON");
		goto out;
	}
	line[len++] = '\n';
	r = output ? ds_write_file_atomic(output, line, len, 0600) : cli_write_stdout(line, len);
out:
	if (line)
		OPENSSL_cleanse(line, len);
	free(line);
	json_decref(obj);
	return r;
}
