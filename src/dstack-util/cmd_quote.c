#include "cli.h"
#include "attest/local.h"
#include "tdx/tdx.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util quote\n\n"
		 "Generate a TDX quote given report data from stdin\n\n"
		 "Reads stdin to the end; it must hold exactly 64 bytes of report data. The\n"
		 "raw quote is written to stdout. As upstream, the whole local attestation is\n"
		 "gathered (sys-config, event logs), and its runtime log must replay to RTMR3.\n\n"
		 "Options:\n  -h, --help  Print help\n",
};

int cmd_quote(int argc, char **argv)
{
	struct ds_attestation att = { 0 };
	struct ds_buf input = { 0 };
	char **args;
	int nargs, more, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	/* One byte more than needed tells "too long" apart, as upstream. */
	if (ds_read_fd_prefix(0, DS_TDX_REPORT_DATA_LEN + 1, &input, &more))
		return cli_fail_ctx("Failed to read report data");
	if (input.len != DS_TDX_REPORT_DATA_LEN) {
		ds_err(-EINVAL, "report data must be exactly 64 bytes (received %zu)", input.len);
		ds_buf_free(&input);
		return cli_fail();
	}
	r = ds_attestation_local(input.data, NULL, &att);
	ds_buf_free(&input);
	if (r)
		return cli_fail_ctx("Failed to get quote");
	r = cli_write_stdout(att.quote.data, att.quote.len);
	ds_attestation_free(&att);
	return r ? cli_fail_ctx("Failed to write quote") : CLI_EXIT_OK;
}
