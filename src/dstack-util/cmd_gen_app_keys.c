#include "cert_cmd.h"
#include "cli.h"
#include "crypto/appkeys.h"
#include "util/err.h"

static const char *output, *ca_level_arg;

static const struct cli_opt opts[] = {
	{ 0, "ca-level", &ca_level_arg, NULL },
	{ 'o', "output", &output, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util gen-app-keys [OPTIONS] --output <OUTPUT>\n\n"
		 "Generate app keys\n\n"
		 "Options:\n"
		 "      --ca-level <CA_LEVEL>  CA level [default: 1]\n"
		 "  -o, --output <OUTPUT>      path to store the app keys (mode 0600)\n"
		 "  -h, --help                 Print help\n",
	.opts = opts,
};

int cmd_gen_app_keys(int argc, char **argv)
{
	struct ds_app_keys keys = { 0 };
	uint8_t level;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!output)
		return cli_usage_error(&spec, "the following required arguments were not provided: "
					      "--output <OUTPUT>");
	r = cli_ca_level(&spec, ca_level_arg, &level);
	if (r >= 0)
		return r;
	r = ds_app_keys_generate(level, &ds_local_attester, &keys);
	if (r == 0)
		r = ds_app_keys_save(output, &keys);
	ds_app_keys_free(&keys);
	return r ? cli_fail_ctx("Failed to generate app keys") : CLI_EXIT_OK;
}
