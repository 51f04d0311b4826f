#include "agent_cli.h"

static struct agent_cli_opts agent;

static const struct cli_opt opts[] = {
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-version [OPTIONS]\n\n"
		 "Print the dstack guest agent's version as {\"version\",\"rev\"} (agents >= 0.5.7).\n\n"
		 "Options:\n"
		 AGENT_CLI_HELP
		 "  -h, --help                 Print help\n",
	.opts = opts,
};

int cmd_agent_version(int argc, char **argv)
{
	struct dstack_version version = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = agent_cli_connect(&spec, &agent, &client);
	if (r == 0)
		r = dstack_get_version(client, &version);
	if (r == 0)
		r = agent_cli_emit(json_pack("{s:s, s:s}", "version", version.version, "rev", version.rev),
				   NULL);
	dstack_version_free(&version);
	dstack_client_free(client);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to get the guest agent's version") : CLI_EXIT_OK;
}
