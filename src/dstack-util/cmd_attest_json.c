#include "cli.h"
#include "attest/container_show.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static const char *input = "attestation.bin", *output;

static const struct cli_opt opts[] = {
	{ 'i', "input", &input, NULL },
	{ 'o', "output", &output, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util attest-json [OPTIONS]\n\n"
		 "Print an attestation container as JSON\n\n"
		 "Options:\n"
		 "  -i, --input <INPUT>    input file (default: attestation.bin)\n"
		 "  -o, --output <OUTPUT>  output file (default: stdout), replaced atomically\n"
		 "  -h, --help             Print help\n",
	.opts = opts,
};

int cmd_attest_json(int argc, char **argv)
{
	struct ds_attestation att = { 0 };
	char **args, *json = NULL;
	size_t total;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = ds_attestation_read_file(input, &att, &total);
	if (r == 0) {
		r = ds_attestation_json(&att, &json);
		if (r)
			ds_err_ctx(r, "Failed to serialize JSON");
	}
	if (r == 0) {
		r = cli_emit(output, json, strlen(json));
		if (r)
			ds_err_ctx(r, "Failed to write JSON output");
	}
	free(json);
	ds_attestation_free(&att);
	return r ? cli_fail() : CLI_EXIT_OK;
}
