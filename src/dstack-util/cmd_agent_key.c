#include "agent_cli.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <string.h>

#define MAX_EXPAND_BYTES 1024

static struct agent_cli_opts agent;
static const char *purpose, *algorithm, *output, *expand, *bytes_arg, *kms_root_arg, *app_id_arg;

static const struct cli_opt opts[] = {
	{ 'p', "purpose", &purpose, NULL },
	{ 'a', "algorithm", &algorithm, NULL },
	{ 'x', "expand", &expand, NULL },
	{ 'n', "bytes", &bytes_arg, NULL },
	{ 'o', "output", &output, NULL },
	{ 'k', "kms-root", &kms_root_arg, NULL },
	{ 'i', "app-id", &app_id_arg, NULL },
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
		 "  -k, --kms-root <HEX>         Verify the signature chain to this pinned KMS root\n"
		 "                               key (33-byte compressed secp256k1); on failure\n"
		 "                               nothing is printed and the exit status is 1\n"
		 "  -i, --app-id <HEX>           App id (20 bytes) the KMS signature must name, with\n"
		 "                               --kms-root [default: the agent's Info app_id]\n"
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

/* The app id the chain must name: the pinned one, else the agent's. */
static int chain_app_id(dstack_client *client, const struct ds_buf *pinned,
			uint8_t app_id[DSTACK_APP_ID_LEN])
{
	struct dstack_info info = { 0 };
	int r;

	if (pinned->len) {
		memcpy(app_id, pinned->data, DSTACK_APP_ID_LEN);
		return 0;
	}
	r = dstack_get_info(client, &info);
	if (r == 0)
		memcpy(app_id, info.app_id.data, DSTACK_APP_ID_LEN);
	dstack_info_free(&info);
	return r;
}

static int verify_chain(dstack_client *client, const struct dstack_key *key,
			const struct ds_buf *kms_root, const struct ds_buf *pinned_app_id)
{
	uint8_t app_id[DSTACK_APP_ID_LEN];
	int r;

	r = chain_app_id(client, pinned_app_id, app_id);
	if (r == 0)
		r = dstack_verify_key_chain(key, purpose, algorithm, app_id, kms_root->data, NULL);
	return r;
}

/* --kms-root and --app-id: 0, or CLI_EXIT_USAGE after reporting. */
static int parse_verify_args(struct ds_buf *kms_root, struct ds_buf *app_id)
{
	int r;

	if (app_id_arg && !kms_root_arg)
		return cli_usage_error(&spec, "'--app-id <HEX>' needs --kms-root");
	r = agent_cli_hex_arg(&spec, "--kms-root", kms_root_arg, kms_root);
	if (r == 0)
		r = agent_cli_hex_arg(&spec, "--app-id", app_id_arg, app_id);
	if (r)
		return r;
	if (kms_root_arg && kms_root->len != DSTACK_PUBKEY_LEN)
		return cli_usage_error(&spec, "'--kms-root <HEX>' must be %d bytes, got %zu",
				       DSTACK_PUBKEY_LEN, kms_root->len);
	if (app_id_arg && app_id->len != DSTACK_APP_ID_LEN)
		return cli_usage_error(&spec, "'--app-id <HEX>' must be %d bytes, got %zu",
				       DSTACK_APP_ID_LEN, app_id->len);
	return 0;
}

int cmd_agent_key(int argc, char **argv)
{
	struct ds_buf kms_root = { 0 }, app_id = { 0 };
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
	r = parse_verify_args(&kms_root, &app_id);
	if (r == 0)
		r = agent_cli_connect(&spec, &agent, &client);
	if (r == 0)
		r = dstack_get_key(client, args[0], purpose, algorithm, &key);
	if (r == 0 && kms_root_arg)
		r = verify_chain(client, &key, &kms_root, &app_id);
	if (r == 0)
		r = agent_cli_emit(expand ? derived_json(&key, n) : key_json(&key), output);
	dstack_key_free(&key);
	dstack_client_free(client);
	ds_buf_free(&kms_root);
	ds_buf_free(&app_id);
	if (r > 0)
		return r;
	return r ? cli_fail_ctx("Failed to get the key from the guest agent") : CLI_EXIT_OK;
}
