#include "agent_cli.h"

static struct agent_cli_opts agent;
static const char *output;

static const struct cli_opt opts[] = {
	{ 'o', "output", &output, NULL },
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-quote [OPTIONS] [REPORT_DATA]\n\n"
		 "Get a TDX quote from the dstack guest agent (GetQuote) and print\n"
		 "{\"quote\",\"event_log\",\"report_data\",\"vm_config\"[,\"attestation\"]} as JSON.\n"
		 "The answer must carry exactly the report data that was sent.\n\n"
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

static json_t *quote_json(const struct dstack_quote *q)
{
	struct dstack_bytes report_data = { (uint8_t *)q->report_data, sizeof(q->report_data) };
	json_t *obj = json_pack("{s:o, s:s, s:o, s:s}", "quote", agent_cli_hex(&q->quote),
				"event_log", q->event_log, "report_data", agent_cli_hex(&report_data),
				"vm_config", q->vm_config);

	if (obj && q->attestation.len &&
	    json_object_set_new(obj, "attestation", agent_cli_hex(&q->attestation))) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int cmd_agent_quote(int argc, char **argv)
{
	struct dstack_quote quote = { 0 };
	struct ds_buf report_data = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (agent_cli_hex_arg(&spec, "[REPORT_DATA]", nargs ? args[0] : NULL, &report_data))
		return CLI_EXIT_USAGE;
	r = agent_cli_connect(&spec, &agent, &client);
	if (r == 0)
		r = dstack_get_quote(client, report_data.data, report_data.len, &quote);
	if (r == 0)
		r = agent_cli_emit(quote_json(&quote), output);
	ds_buf_free(&report_data);
	dstack_quote_free(&quote);
	dstack_client_free(client);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to get a quote from the guest agent") : CLI_EXIT_OK;
}
