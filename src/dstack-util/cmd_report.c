#include "cli.h"
#include "tdx/tdx.h"
#include "util/err.h"
#include "util/file.h"

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util report\n\n"
		 "Get TDX report given report data from stdin\n\n"
		 "Reads the first 64 bytes of stdin as report data and writes the raw\n"
		 "1024-byte TDREPORT to stdout.\n\n"
		 "Options:\n  -h, --help  Print help\n",
};

int cmd_report(int argc, char **argv)
{
	uint8_t report_data[DS_TDX_REPORT_DATA_LEN], report[DS_TDX_REPORT_LEN];
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (ds_read_exact(0, report_data, sizeof(report_data)))
		return cli_fail_ctx("Failed to read report data");
	if (ds_tdx_get_report(report_data, report))
		return cli_fail_ctx("Failed to get report");
	if (cli_write_stdout(report, sizeof(report)))
		return cli_fail_ctx("Failed to write report");
	return CLI_EXIT_OK;
}
