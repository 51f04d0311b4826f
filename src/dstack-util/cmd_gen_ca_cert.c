#include "cert_cmd.h"
#include "cli.h"
#include "crypto/ratls.h"
#include "util/err.h"

static const char *cert_path, *key_path, *ca_level_arg;

static const struct cli_opt opts[] = {
	{ 0, "cert", &cert_path, NULL },
	{ 0, "key", &key_path, NULL },
	{ 0, "ca-level", &ca_level_arg, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util gen-ca-cert [OPTIONS] --cert <CERT> --key <KEY>\n\n"
		 "Generate CA certificate\n\n"
		 "Options:\n"
		 "      --cert <CERT>          path to store the certificate\n"
		 "      --key <KEY>            path to store the private key (mode 0600)\n"
		 "      --ca-level <CA_LEVEL>  CA level [default: 1]\n"
		 "  -h, --help                 Print help\n",
	.opts = opts,
};

int cmd_gen_ca_cert(int argc, char **argv)
{
	struct ds_cert_pair pair = { 0 };
	uint8_t level;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!cert_path || !key_path)
		return cli_usage_error(&spec, "the following required arguments were not provided: %s",
				       !cert_path ? "--cert <CERT>" : "--key <KEY>");
	r = cli_ca_level(&spec, ca_level_arg, &level);
	if (r >= 0)
		return r;
	r = ds_ca_cert_generate(level, &ds_local_attester, &pair);
	if (r == 0)
		r = ds_cert_pair_save(&pair, cert_path, key_path);
	ds_cert_pair_free(&pair);
	return r ? cli_fail_ctx("Failed to generate the CA certificate") : CLI_EXIT_OK;
}
