#include "agent_cli.h"

static struct agent_cli_opts agent;
static const char *output;

static const struct cli_opt opts[] = {
	{ 'o', "output", &output, NULL },
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-info [OPTIONS]\n\n"
		 "Get the application's identity and TCB from the dstack guest agent (Info) and\n"
		 "print it as JSON with the agent's member names (tcb_info, vm_config and\n"
		 "key_provider_info stay JSON text, as the agent sends them).\n\n"
		 "Options:\n"
		 "  -o, --output <FILE>        Write the JSON to FILE instead of stdout\n"
		 AGENT_CLI_HELP
		 "  -h, --help                 Print help\n",
	.opts = opts,
};

static json_t *info_json(const struct dstack_info *i)
{
	return json_pack("{s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:s, s:s, s:s}",
			 "app_id", agent_cli_hex(&i->app_id), "instance_id", agent_cli_hex(&i->instance_id),
			 "app_cert", i->app_cert, "tcb_info", i->tcb_info, "app_name", i->app_name,
			 "device_id", agent_cli_hex(&i->device_id),
			 "mr_aggregated", agent_cli_hex(&i->mr_aggregated),
			 "os_image_hash", agent_cli_hex(&i->os_image_hash),
			 "key_provider_info", i->key_provider_info,
			 "compose_hash", agent_cli_hex(&i->compose_hash), "vm_config", i->vm_config,
			 "cloud_vendor", i->cloud_vendor, "cloud_product", i->cloud_product);
}

int cmd_agent_info(int argc, char **argv)
{
	struct dstack_info info = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = agent_cli_connect(&spec, &agent, &client);
	if (r == 0)
		r = dstack_get_info(client, &info);
	if (r == 0)
		r = agent_cli_emit(info_json(&info), output);
	dstack_info_free(&info);
	dstack_client_free(client);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to get the app info from the guest agent") : CLI_EXIT_OK;
}
