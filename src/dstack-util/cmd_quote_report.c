#include "cli.h"
#include "attest/local.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *report_data_hex, *sys_config, *output;
static int debug;

static const struct cli_opt opts[] = {
	{ 0, "report-data", &report_data_hex, NULL },
	{ 0, "sys-config", &sys_config, NULL },
	{ 'o', "output", &output, NULL },
	{ 0, "debug", NULL, &debug },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util quote-report [OPTIONS]\n\n"
		 "Print {\"attestation\": HEX} for a fresh attestation of this CVM\n\n"
		 "Options:\n"
		 "      --report-data <HEX>  Report data, at most 64 bytes, zero-padded [default: zeros]\n"
		 "      --sys-config <PATH>  sys-config to read vm_config from\n"
		 "                           [default: /dstack/.host-shared/.sys-config.json]\n"
		 "  -o, --output <FILE>      Write the JSON to FILE (atomically) instead of stdout\n"
		 "      --debug              Print a diagnostics note on stderr\n"
		 "  -h, --help               Print help\n",
	.opts = opts,
};

static int report_json(const struct ds_buf *bytes, char **out)
{
	char *text = ds_hex_alloc(bytes->data, bytes->len);
	json_t *obj = json_object();
	int r;

	if (!text || !obj || json_object_set_new(obj, "attestation", json_string(text)))
		r = ds_err(-ENOMEM, "out of memory");
	else
		r = ds_json_dump(obj, DS_JSON_PRETTY, out);
	json_decref(obj);
	free(text);
	return r;
}

int cmd_quote_report(int argc, char **argv)
{
	uint8_t report_data[DS_REPORT_DATA_LEN];
	struct ds_attestation att = { 0 };
	struct ds_buf bytes = { 0 };
	char **args, *json = NULL;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (cli_parse_report_data(report_data_hex, report_data))
		return cli_fail();
	if (debug)
		fputs("debug: quote diagnostics enabled; attestation policy is unchanged\n", stderr);
	r = ds_attestation_local(report_data, sys_config, &att);
	if (r)
		return cli_fail_ctx("Failed to get attestation");
	r = ds_attestation_encode(&att, &bytes);
	ds_attestation_free(&att);
	r = r ?: report_json(&bytes, &json);
	r = r ?: cli_emit(output, json, strlen(json));
	free(json);
	ds_buf_free(&bytes);
	return r ? cli_fail_ctx("Failed to write quote report") : CLI_EXIT_OK;
}
