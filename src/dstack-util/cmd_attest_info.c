#include "cli.h"
#include "attest/container_show.h"

#include <stdlib.h>
#include <string.h>

static const char *input = "attestation.bin";

static const struct cli_opt opts[] = {
	{ 'i', "input", &input, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util attest-info [OPTIONS]\n\n"
		 "Show a summary of an attestation container\n\n"
		 "Options:\n"
		 "  -i, --input <INPUT>  input file (default: attestation.bin)\n"
		 "  -h, --help           Print help\n",
	.opts = opts,
};

int cmd_attest_info(int argc, char **argv)
{
	struct ds_attestation att = { 0 };
	char **args, *text = NULL;
	size_t total;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = ds_attestation_read_file(input, &att, &total);
	r = r ?: ds_attestation_info_text(&att, input, total, &text);
	r = r ?: cli_write_stdout(text, strlen(text));
	free(text);
	ds_attestation_free(&att);
	return r ? cli_fail() : CLI_EXIT_OK;
}
