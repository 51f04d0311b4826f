#include "cli.h"
#include "attest/local.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *report_data_hex, *app_id_hex, *output;
static int hex;

static const struct cli_opt opts[] = {
	{ 0, "report-data", &report_data_hex, NULL },
	{ 0, "app-id", &app_id_hex, NULL },
	{ 'o', "output", &output, NULL },
	{ 0, "hex", NULL, &hex },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util attest [OPTIONS]\n\n"
		 "Generate a versioned attestation of this CVM\n\n"
		 "Options:\n"
		 "      --report-data <HEX>  Report data, at most 64 bytes, zero-padded [default: zeros]\n"
		 "      --app-id <HEX>       App id (20 bytes; used on Nitro Enclaves only)\n"
		 "  -o, --output <FILE>      Output file [default: attestation.bin]\n"
		 "      --hex                Write lowercase hex (to stdout unless -o is given)\n"
		 "  -h, --help               Print help\n",
	.opts = opts,
};

static int write_attestation(const struct ds_buf *bytes)
{
	char *text;
	int r;

	if (!hex)
		return ds_write_file_atomic(output ? output : "attestation.bin", bytes->data,
					    bytes->len, DS_FILE_MODE_PUBLIC);
	text = ds_hex_alloc(bytes->data, bytes->len);
	if (!text)
		return ds_err(-ENOMEM, "out of memory");
	r = cli_emit(output, text, strlen(text));
	free(text);
	return r;
}

int cmd_attest(int argc, char **argv)
{
	uint8_t report_data[DS_REPORT_DATA_LEN];
	struct ds_attestation att = { 0 };
	struct ds_buf bytes = { 0 };
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (cli_parse_report_data(report_data_hex, report_data))
		return cli_fail();
	if (app_id_hex && cli_check_app_id(app_id_hex))
		return cli_fail();
	r = ds_attestation_local(report_data, NULL, &att);
	if (r)
		return cli_fail_ctx("Failed to get attestation");
	r = ds_attestation_encode(&att, &bytes);
	ds_attestation_free(&att);
	if (r)
		return cli_fail_ctx("Failed to encode attestation");
	r = write_attestation(&bytes);
	ds_buf_free(&bytes);
	return r ? cli_fail_ctx("Failed to write attestation") : CLI_EXIT_OK;
}
