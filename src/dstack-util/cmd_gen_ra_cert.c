#include "cli.h"
#include "crypto/ratls.h"
#include "util/err.h"
#include "util/file.h"

/* A CA certificate or key PEM larger than this is not one. */
#define CA_PEM_MAX (64u << 10)

static const char *ca_cert_path, *ca_key_path, *cert_path, *key_path;

static const struct cli_opt opts[] = {
	{ 0, "ca-cert", &ca_cert_path, NULL },
	{ 0, "ca-key", &ca_key_path, NULL },
	{ 'c', "cert-path", &cert_path, NULL },
	{ 'k', "key-path", &key_path, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util gen-ra-cert --ca-cert <CA_CERT> --ca-key <CA_KEY> "
		 "--cert-path <CERT_PATH> --key-path <KEY_PATH>\n\n"
		 "Generate an RA-TLS certificate signed by a CA, carrying this CVM's attestation\n\n"
		 "Options:\n"
		 "      --ca-cert <CA_CERT>      CA certificate used to sign the RA certificate\n"
		 "      --ca-key <CA_KEY>        CA private key used to sign the RA certificate\n"
		 "  -c, --cert-path <CERT_PATH>  file path to store the certificate\n"
		 "  -k, --key-path <KEY_PATH>    file path to store the private key (mode 0600)\n"
		 "  -h, --help                   Print help\n",
	.opts = opts,
};

static const char *first_missing(void)
{
	if (!ca_cert_path)
		return "--ca-cert <CA_CERT>";
	if (!ca_key_path)
		return "--ca-key <CA_KEY>";
	if (!cert_path)
		return "--cert-path <CERT_PATH>";
	return key_path ? NULL : "--key-path <KEY_PATH>";
}

int cmd_gen_ra_cert(int argc, char **argv)
{
	struct ds_buf ca_cert = { 0 }, ca_key = { 0 };
	struct ds_cert_pair pair = { 0 };
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (first_missing())
		return cli_usage_error(&spec, "the following required arguments were not provided: %s",
				       first_missing());
	r = ds_read_file(ca_cert_path, CA_PEM_MAX, &ca_cert);
	r = r ?: ds_read_file(ca_key_path, CA_PEM_MAX, &ca_key);
	if (r) {
		ds_err_ctx(r, "Failed to read the CA certificate or key");
		goto out;
	}
	r = ds_ra_cert_generate_pem((const char *)ca_cert.data, ca_cert.len, (const char *)ca_key.data,
				    ca_key.len, &ds_local_attester, &pair);
	r = r ?: ds_cert_pair_save(&pair, cert_path, key_path);
out:
	ds_cert_pair_free(&pair);
	ds_buf_free(&ca_cert);
	ds_buf_wipe(&ca_key);
	return r ? cli_fail_ctx("Failed to generate the RA-TLS certificate") : CLI_EXIT_OK;
}
