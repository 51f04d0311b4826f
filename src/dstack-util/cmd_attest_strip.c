#include "cli.h"
#include "attest/container.h"
#include "util/err.h"
#include "util/file.h"

static const char *input = "attestation.bin", *output = "attestation.strip.bin";

static const struct cli_opt opts[] = {
	{ 'i', "input", &input, NULL },
	{ 'o', "output", &output, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util attest-strip [OPTIONS]\n\n"
		 "Strip an attestation container to the events verifiers need\n\n"
		 "Options:\n"
		 "  -i, --input <INPUT>    input file (default: attestation.bin)\n"
		 "  -o, --output <OUTPUT>  output file (default: attestation.strip.bin), replaced\n"
		 "                         atomically\n"
		 "  -h, --help             Print help\n",
	.opts = opts,
};

int cmd_attest_strip(int argc, char **argv)
{
	struct ds_attestation att = { 0 };
	struct ds_buf out = { 0 };
	char **args;
	size_t total;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = ds_attestation_read_file(input, &att, &total);
	r = r ?: ds_attestation_strip(&att);
	r = r ?: ds_attestation_encode(&att, &out);
	if (r == 0) {
		r = ds_write_file_atomic(output, out.data, out.len, DS_FILE_MODE_PUBLIC);
		if (r)
			ds_err_ctx(r, "Failed to write stripped attestation");
	}
	ds_buf_free(&out);
	ds_attestation_free(&att);
	return r ? cli_fail() : CLI_EXIT_OK;
}
