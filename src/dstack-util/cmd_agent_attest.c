#include "agent_cli.h"

static struct agent_cli_opts agent;
static const char *output;

static const struct cli_opt opts[] = {
	{ 'o', "output", &output, NULL },
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-attest [OPTIONS] [REPORT_DATA]\n\n"
		 "Get a versioned attestation from the dstack guest agent (Attest) and print\n"
		 "{\"attestation\":<hex>}, for a dstack verifier (attest-info and attest-json read\n"
		 "its bytes). It must decode and carry exactly the report data that was sent.\n\n"
		 "Arguments:\n"
		 "  [REPORT_DATA]  Report data as hex, at most 64 bytes, right-padded with zeros\n"
		 "                 (not hashed: use a fixed-length, domain-separated value)\n"
		 "                 [default: 64 zero bytes]\n\n"
		 "Options:\n"
		 "  -o, --output <FILE>        Write the JSON to FILE instead of stdout\n"
		 AGENT_CLI_HELP
		 "  -h, --help                 Print help\n",
	.opts = opts,
	.max_args = 1,
};

int cmd_agent_attest(int argc, char **argv)
{
	struct dstack_attestation att = { 0 };
	struct ds_buf report_data = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = agent_cli_hex_arg(&spec, "[REPORT_DATA]", nargs ? args[0] : NULL, &report_data);
	r = r ?: agent_cli_connect(&spec, &agent, &client);
	r = r ?: dstack_attest(client, report_data.data, report_data.len, &att);
	r = r ?: agent_cli_emit(json_pack("{s:o}", "attestation", agent_cli_hex(&att.attestation)),
				output);
	ds_buf_free(&report_data);
	dstack_attestation_free(&att);
	dstack_client_free(client);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to get an attestation from the guest agent") : CLI_EXIT_OK;
}
