#include "attest/runtime_emit.h"
#include "cli.h"
#include "util/err.h"
#include "util/hex.h"

#include <string.h>

static const char *event, *payload;

static const struct cli_opt opts[] = {
	{ 'e', "event", &event, NULL },
	{ 'p', "payload", &payload, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util extend --event <EVENT> --payload <PAYLOAD>\n\n"
		 "Extend RTMRs\n\n"
		 "Measures the event into RTMR3 and appends it to the runtime event log, with\n"
		 "the digest version this boot's setup configured.\n\n"
		 "Options:\n"
		 "  -e, --event <EVENT>      event name\n"
		 "  -p, --payload <PAYLOAD>  hex encoded payload of the event\n"
		 "  -h, --help               Print help\n",
	.opts = opts,
};

int cmd_extend(int argc, char **argv)
{
	struct ds_buf bytes = { 0 };
	const char *hex;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!event || !payload)
		return cli_usage_error(&spec, "the following required arguments were not provided:%s%s",
				       event ? "" : "\n  --event <EVENT>",
				       payload ? "" : "\n  --payload <PAYLOAD>");
	hex = ds_hex_strip_0x(payload);
	r = ds_hex_decode(hex, strlen(hex), &bytes);
	if (r) {
		ds_err_ctx(r, "Invalid hex string");
		return cli_fail_ctx("Failed to decode payload");
	}
	r = ds_runtime_emit(event, bytes.data, bytes.len);
	ds_buf_free(&bytes);
	return r ? cli_fail_ctx("Failed to extend RTMR") : CLI_EXIT_OK;
}
