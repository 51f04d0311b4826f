#include "agent_cli.h"

static struct agent_cli_opts agent;
static struct agent_cli_chain_opts chain_opts;
static const char *output;

static const struct cli_opt opts[] = {
	{ 'o', "output", &output, NULL },
	AGENT_CLI_CHAIN_OPTS(chain_opts),
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-sign [OPTIONS] <ALGORITHM> <DATA>\n\n"
		 "Sign DATA with the app's signing key through the dstack guest agent (Sign) and\n"
		 "print {\"signature\":<hex>,\"signature_chain\":[<hex>,<hex>,<hex>],\"public_key\":<hex>}.\n"
		 "The signature is checked against the returned public key before it is printed.\n"
		 "The key is GetKey's key for path \"vms\": whoever may call GetKey holds it too.\n\n"
		 "Arguments:\n"
		 "  <ALGORITHM>  ed25519; secp256k1 (also k256): ECDSA over SHA-256 of DATA;\n"
		 "               secp256k1_prehashed: DATA is the 32-byte digest\n"
		 "  <DATA>       Data to sign as hex\n\n"
		 "Options:\n"
		 "  -o, --output <FILE>          Write the JSON to FILE instead of stdout\n"
		 AGENT_CLI_CHAIN_HELP
		 AGENT_CLI_HELP
		 "  -h, --help                   Print help\n",
	.opts = opts,
	.min_args = 2,
	.max_args = 2,
};

static json_t *signature_json(const struct dstack_signature *s)
{
	struct dstack_bytes sig = { (uint8_t *)s->signature, sizeof(s->signature) };
	struct dstack_bytes pub = { (uint8_t *)s->public_key, s->public_key_len };
	json_t *chain = json_array();

	for (size_t i = 0; chain && i < s->signature_chain_len; i++)
		json_array_append_new(chain, agent_cli_hex(&s->signature_chain[i]));
	return json_pack("{s:o, s:o, s:o}", "signature", agent_cli_hex(&sig), "signature_chain", chain,
			 "public_key", agent_cli_hex(&pub));
}

static int verify_chain(dstack_client *client, const struct dstack_signature *s,
			const struct agent_cli_chain *chain)
{
	uint8_t app_id[DSTACK_APP_ID_LEN];
	int r;

	r = agent_cli_chain_app_id(client, chain, app_id);
	return r ?: dstack_verify_sign_chain(s, app_id, chain->kms_root.data, NULL);
}

int cmd_agent_sign(int argc, char **argv)
{
	struct dstack_signature signature = { 0 };
	struct agent_cli_chain chain = { 0 };
	struct ds_buf data = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = agent_cli_hex_arg(&spec, "<DATA>", args[1], &data);
	r = r ?: agent_cli_chain_parse(&spec, &chain_opts, &chain);
	r = r ?: agent_cli_connect(&spec, &agent, &client);
	r = r ?: dstack_sign(client, args[0], data.data, data.len, &signature);
	if (r == 0 && chain.kms_root.len)
		r = verify_chain(client, &signature, &chain);
	r = r ?: agent_cli_emit(signature_json(&signature), output);
	dstack_signature_free(&signature);
	dstack_client_free(client);
	agent_cli_chain_free(&chain);
	ds_buf_free(&data);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to sign with the guest agent") : CLI_EXIT_OK;
}
