/* What the agent-* commands share: the endpoint and timeout options,
 * opening the client, and printing a JSON answer. */
#ifndef DS_AGENT_CLI_H
#define DS_AGENT_CLI_H

#include <dstack/dstack.h>
#include <jansson.h>

#include "cli.h"
#include "util/buf.h"

/* Storage for the shared option values, and their cli_opt entries. */
struct agent_cli_opts {
	const char *endpoint;
	const char *timeout;
};

#define AGENT_CLI_OPTS(o) { 'e', "endpoint", &(o).endpoint, NULL }, { 't', "timeout", &(o).timeout, NULL }

#define AGENT_CLI_HELP \
	"  -e, --endpoint <ENDPOINT>  Unix socket path or http(s):// URL of the guest agent\n" \
	"                             [default: $DSTACK_SIMULATOR_ENDPOINT, else the first\n" \
	"                             existing of /var/run/dstack.sock, /run/dstack.sock,\n" \
	"                             /var/run/dstack/dstack.sock, /run/dstack/dstack.sock]\n" \
	"  -t, --timeout <SECONDS>    Deadline of each request [default: 30]\n"

/* --kms-root and --app-id of the commands that can verify a signature
 * chain to a pinned KMS root (agent-key, agent-sign). */
struct agent_cli_chain_opts {
	const char *kms_root;
	const char *app_id;
};

#define AGENT_CLI_CHAIN_OPTS(o) { 'k', "kms-root", &(o).kms_root, NULL }, { 'i', "app-id", &(o).app_id, NULL }

#define AGENT_CLI_CHAIN_HELP \
	"  -k, --kms-root <HEX>         Verify the signature chain to this pinned KMS root\n" \
	"                               key (33-byte compressed secp256k1); on failure\n" \
	"                               nothing is printed and the exit status is 1\n" \
	"  -i, --app-id <HEX>           App id (20 bytes) the KMS signature must name, with\n" \
	"                               --kms-root [default: the agent's Info app_id]\n"

/* A chain to verify, from the options: kms_root empty when not asked for. */
struct agent_cli_chain {
	struct ds_buf kms_root;
	struct ds_buf app_id;           /* pinned, or empty */
};

/* Decodes the options: 0, or CLI_EXIT_USAGE after reporting. */
int agent_cli_chain_parse(const struct cli_spec *spec, const struct agent_cli_chain_opts *o,
			  struct agent_cli_chain *out);
/* The app id the chain must name: the pinned one, else the agent's. */
int agent_cli_chain_app_id(dstack_client *client, const struct agent_cli_chain *c,
			   uint8_t app_id[DSTACK_APP_ID_LEN]);
void agent_cli_chain_free(struct agent_cli_chain *c);

/* Opens the client: 0, a negative errno, or CLI_EXIT_USAGE after a bad
 * --timeout (already reported). */
int agent_cli_connect(const struct cli_spec *spec, const struct agent_cli_opts *o,
		      dstack_client **out);
/* Decodes an optional hex argument (NULL = no bytes; leading "0x" allowed)
 * named name in messages: 0, or CLI_EXIT_USAGE after reporting it. */
int agent_cli_hex_arg(const struct cli_spec *spec, const char *name, const char *arg,
		      struct ds_buf *out);
/* Lowercase hex of b as a JSON string. */
json_t *agent_cli_hex(const struct dstack_bytes *b);
/* Prints obj (consumed) as one compact JSON line to stdout, or writes it to
 * output atomically with mode 0600. */
int agent_cli_emit(json_t *obj, const char *output);

#endif
