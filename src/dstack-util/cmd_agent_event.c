#include "agent_cli.h"

static struct agent_cli_opts agent;

static const struct cli_opt opts[] = {
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-event [OPTIONS] <EVENT> [PAYLOAD]\n\n"
		 "Have the dstack guest agent measure a runtime event into RTMR3 (EmitEvent).\n"
		 "Only agents 0.5.0 to 0.5.11 offer this; newer ones answer that the call does\n"
		 "not exist, which is reported as an error. Prints nothing on success.\n\n"
		 "Arguments:\n"
		 "  <EVENT>    Event name\n"
		 "  [PAYLOAD]  Event payload as hex [default: empty]\n\n"
		 "Options:\n"
		 AGENT_CLI_HELP
		 "  -h, --help                 Print help\n",
	.opts = opts,
	.min_args = 1,
	.max_args = 2,
};

int cmd_agent_event(int argc, char **argv)
{
	struct ds_buf payload = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (agent_cli_hex_arg(&spec, "[PAYLOAD]", nargs > 1 ? args[1] : NULL, &payload))
		return CLI_EXIT_USAGE;
	r = agent_cli_connect(&spec, &agent, &client);
	if (r == 0)
		r = dstack_emit_event(client, args[0], payload.data, payload.len);
	ds_buf_free(&payload);
	dstack_client_free(client);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to emit the event '%s'", args[0]) : CLI_EXIT_OK;
}
