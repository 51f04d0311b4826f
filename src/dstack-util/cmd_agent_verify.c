#include "agent_cli.h"
#include "util/err.h"

#include <errno.h>

static struct agent_cli_opts agent;

static const struct cli_opt opts[] = {
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-verify [OPTIONS] <ALGORITHM> <DATA> <SIGNATURE> <PUBLIC_KEY>\n\n"
		 "Have the dstack guest agent check a signature (Verify) and print\n"
		 "{\"valid\":true|false}. The same check is made locally, and an agent that\n"
		 "disagrees is an error. Exit status 0 only for a valid signature; a malformed\n"
		 "key or signature is an error without asking the agent.\n\n"
		 "Arguments:\n"
		 "  <ALGORITHM>   ed25519; secp256k1 (also k256): ECDSA over SHA-256 of DATA;\n"
		 "                secp256k1_prehashed: DATA is the 32-byte digest\n"
		 "  <DATA>        Signed data as hex\n"
		 "  <SIGNATURE>   Signature as hex (64 bytes; secp256k1: r || s, low-S)\n"
		 "  <PUBLIC_KEY>  Public key as hex (Ed25519: 32 bytes; secp256k1: SEC1)\n\n"
		 "Options:\n"
		 AGENT_CLI_HELP
		 "  -h, --help                 Print help\n",
	.opts = opts,
	.min_args = 4,
	.max_args = 4,
};

int cmd_agent_verify(int argc, char **argv)
{
	struct ds_buf data = { 0 }, sig = { 0 }, pub = { 0 };
	dstack_client *client = NULL;
	char **args;
	int nargs, r, valid = 0;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = agent_cli_hex_arg(&spec, "<DATA>", args[1], &data);
	r = r ?: agent_cli_hex_arg(&spec, "<SIGNATURE>", args[2], &sig);
	r = r ?: agent_cli_hex_arg(&spec, "<PUBLIC_KEY>", args[3], &pub);
	r = r ?: agent_cli_connect(&spec, &agent, &client);
	r = r ?: dstack_verify(client, args[0], data.data, data.len, sig.data, sig.len, pub.data,
			       pub.len, &valid);
	r = r ?: agent_cli_emit(json_pack("{s:b}", "valid", valid), NULL);
	if (r == 0 && !valid)
		r = ds_err(-EKEYREJECTED, "the signature is not valid");
	dstack_client_free(client);
	ds_buf_free(&data);
	ds_buf_free(&sig);
	ds_buf_free(&pub);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to verify with the guest agent") : CLI_EXIT_OK;
}
