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
