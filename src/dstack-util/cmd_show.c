#include "cli.h"
#include "attest/app_info.h"
#include "attest/local.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util show\n\n"
		 "Show the app info of this CVM (measurements summary) as JSON\n\n"
		 "Options:\n  -h, --help  Print help\n",
};

int cmd_show(int argc, char **argv)
{
	static const uint8_t zero[DS_REPORT_DATA_LEN];
	struct ds_attestation att = { 0 };
	struct ds_app_info info = { 0 };
	char **args, *json = NULL;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	r = ds_attestation_local(zero, NULL, &att);
	if (r)
		return cli_fail_ctx("Failed to get attestation");
	r = ds_app_info_new(att.quote.data, att.quote.len, &att.runtime_events, att.config, 0, &info);
	ds_attestation_free(&att);
	if (r)
		return cli_fail_ctx("Failed to decode app info");
	r = ds_app_info_new_json(&info, &json);
	r = r ?: cli_emit(NULL, json, strlen(json));
	free(json);
	ds_app_info_free(&info);
	return r ? cli_fail_ctx("Failed to print app info") : CLI_EXIT_OK;
}
