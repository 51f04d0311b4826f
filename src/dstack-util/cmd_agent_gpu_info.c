#include "agent_cli.h"

static struct agent_cli_opts agent;
static const char *output;

static const struct cli_opt opts[] = {
	AGENT_CLI_OPTS(agent),
	{ 'o', "output", &output, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-gpu-info [OPTIONS]\n\n"
		 "Print the NVIDIA GPU attestation saved at boot as {\"attestation\": STRING} (\"\" when\n"
		 "there is none). It is authenticated only through the gpu-attestation runtime\n"
		 "event: compare its evidence_sha256 with SHA-256 of the exact string.\n\n"
		 "Options:\n"
		 "  -o, --output <FILE>        write the JSON to FILE (0600, atomic) instead of stdout\n"
		 AGENT_CLI_HELP
		 "  -h, --help                 Print help\n",
	.opts = opts,
};

int cmd_agent_gpu_info(int argc, char **argv)
{
	struct dstack_gpu_info info = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = agent_cli_connect(&spec, &agent, &client);
	if (r == 0)
		r = dstack_get_gpu_info(client, &info);
	if (r == 0)
		r = agent_cli_emit(json_pack("{s:s}", "attestation", info.attestation), output);
	dstack_gpu_info_free(&info);
	dstack_client_free(client);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to get the GPU attestation from the guest agent") : CLI_EXIT_OK;
}
