#include "agent_cli.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <string.h>

#define MAX_EXPAND_BYTES 1024

static struct agent_cli_opts agent;
static struct agent_cli_chain_opts chain_opts;
static const char *purpose, *algorithm, *output, *expand, *bytes_arg;

static const struct cli_opt opts[] = {
	{ 'p', "purpose", &purpose, NULL },
	{ 'a', "algorithm", &algorithm, NULL },
	{ 'x', "expand", &expand, NULL },
	{ 'n', "bytes", &bytes_arg, NULL },
	{ 'o', "output", &output, NULL },
	AGENT_CLI_CHAIN_OPTS(chain_opts),
	AGENT_CLI_OPTS(agent),
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util agent-key [OPTIONS] <PATH>\n\n"
		 "Get the app's deterministic key for PATH from the dstack guest agent (GetKey)\n"
		 "and print {\"key\":<hex>,\"signature_chain\":[<hex>,...]}. The key is a secret.\n\n"
		 "Arguments:\n"
		 "  <PATH>  Key path: the only input that changes the key\n\n"
		 "Options:\n"
		 "  -p, --purpose <PURPOSE>      Purpose signed into the chain [default: \"\"]\n"
		 "  -a, --algorithm <ALGORITHM>  secp256k1 (also k256) or ed25519 [default: secp256k1]\n"
		 "  -x, --expand <LABEL>         Print {\"derived\":<hex>,\"label\":LABEL} instead: bytes\n"
		 "                               of SHAKE256(LABEL || key), never the key itself\n"
		 "  -n, --bytes <BYTES>          Bytes to derive with --expand [default: 32]\n"
		 "  -o, --output <FILE>          Write the JSON to FILE (mode 0600, replaced\n"
		 "                               atomically) instead of stdout\n"
		 AGENT_CLI_CHAIN_HELP
		 AGENT_CLI_HELP
		 "  -h, --help                   Print help\n",
	.opts = opts,
	.min_args = 1,
	.max_args = 1,
};

static json_t *key_json(const struct dstack_key *k)
{
	struct dstack_bytes secret = { (uint8_t *)k->key, sizeof(k->key) };
	json_t *chain = json_array();

	for (size_t i = 0; chain && i < k->signature_chain_len; i++)
		json_array_append_new(chain, agent_cli_hex(&k->signature_chain[i]));
	return json_pack("{s:o, s:o}", "key", agent_cli_hex(&secret), "signature_chain", chain);
}

static json_t *derived_json(const struct dstack_key *k, size_t n)
{
	uint8_t derived[MAX_EXPAND_BYTES];
	struct dstack_bytes b = { derived, n };
	json_t *obj = NULL;

	if (dstack_key_expand(k->key, expand, derived, n) == 0)
		obj = json_pack("{s:o, s:s}", "derived", agent_cli_hex(&b), "label", expand);
	OPENSSL_cleanse(derived, sizeof(derived));
	return obj;
}

static int verify_chain(dstack_client *client, const struct dstack_key *key,
			const struct agent_cli_chain *chain)
{
	uint8_t app_id[DSTACK_APP_ID_LEN];
	int r;

	r = agent_cli_chain_app_id(client, chain, app_id);
	if (r == 0)
		r = dstack_verify_key_chain(key, purpose, algorithm, app_id, chain->kms_root.data, NULL);
	return r;
}

int cmd_agent_key(int argc, char **argv)
{
	struct agent_cli_chain chain = { 0 };
	struct dstack_key key = { 0 };
	dstack_client *client = NULL;
	size_t n = DSTACK_KEY_LEN;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (bytes_arg && (!expand || cli_parse_size(bytes_arg, MAX_EXPAND_BYTES, &n) || !n))
		return cli_usage_error(&spec, "'--bytes <BYTES>' needs --expand and 1 to %d bytes",
				       MAX_EXPAND_BYTES);
	if (expand && !*expand)
		return cli_usage_error(&spec, "the '--expand <LABEL>' label cannot be empty");
	r = agent_cli_chain_parse(&spec, &chain_opts, &chain);
	if (r == 0)
		r = agent_cli_connect(&spec, &agent, &client);
	if (r == 0)
		r = dstack_get_key(client, args[0], purpose, algorithm, &key);
	if (r == 0 && chain.kms_root.len)
		r = verify_chain(client, &key, &chain);
	if (r == 0)
		r = agent_cli_emit(expand ? derived_json(&key, n) : key_json(&key), output);
	dstack_key_free(&key);
	dstack_client_free(client);
	agent_cli_chain_free(&chain);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to get the key from the guest agent") : CLI_EXIT_OK;
}
