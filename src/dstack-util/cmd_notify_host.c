#include "cli.h"
#include "hostapi/host_api.h"
#include "util/err.h"

#include <stdlib.h>

static const char *url, *event, *payload;

static const struct cli_opt opts[] = {
	{ 'u', "url", &url, NULL },
	{ 'e', "event", &event, NULL },
	{ 'd', "payload", &payload, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util notify-host [OPTIONS] --event <EVENT> --payload <PAYLOAD>\n\n"
		 "Notify the host about the dstack app\n\n"
		 "Options:\n"
		 "  -u, --url <URL>          Host API URL (default: host_api_url of\n"
		 "                           /dstack/.host-shared/.sys-config.json)\n"
		 "  -e, --event <EVENT>      event name\n"
		 "  -d, --payload <PAYLOAD>  event payload\n"
		 "  -h, --help               Print help\n",
	.opts = opts,
};

int cmd_notify_host(int argc, char **argv)
{
	struct ds_host_api api = { 0 };
	char *guest_url = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!event || !payload)
		return cli_usage_error(&spec, "the following required arguments were not provided:\n"
				       "  %s", !event ? "--event <EVENT>" : "--payload <PAYLOAD>");
	r = url ? 0 : ds_host_api_url_from_guest(&guest_url);
	if (r == 0)
		r = ds_host_api_init(&api, url ? url : guest_url);
	if (r == 0)
		r = ds_host_api_notify(&api, event, payload);
	ds_host_api_free(&api);
	free(guest_url);
	return r ? cli_fail_ctx("Failed to notify the host of %s", event) : CLI_EXIT_OK;
}
