#include "cli.h"
#include "kms/kms_client.h"
#include "util/err.h"
#include "util/file.h"
#include "util/json.h"
#include "util/json_wipe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT_CA_MAX (1u << 20)

static const char *kms_url, *output, *root_ca, *app_id;

static const struct cli_opt opts[] = {
	{ 'k', "kms-url", &kms_url, NULL },
	{ 'o', "output", &output, NULL },
	{ 0, "root-ca", &root_ca, NULL },
	{ 0, "app-id", &app_id, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util get-keys [OPTIONS] --kms-url <KMS_URL>\n\n"
		 "Get the app keys of this CVM from a KMS\n\n"
		 "Options:\n"
		 "  -k, --kms-url <KMS_URL>  KMS URL (/prpc is appended unless present)\n"
		 "  -o, --output <OUTPUT>    Write the keys to this file (mode 0600) instead of stdout\n"
		 "      --root-ca <ROOT_CA>  PEM file of the KMS root CA to trust for the first call\n"
		 "                           (without it the first call is not verified)\n"
		 "      --app-id <APP_ID>    App id for the RA-TLS evidence (20 bytes hex; only\n"
		 "                           Nitro Enclave evidence carries it, TDX ignores it)\n"
		 "  -h, --help               Print help\n",
	.opts = opts,
};

/* Trailing slashes trimmed, /prpc appended unless the URL ends with it. */
static int prpc_url(const char *base, char **out)
{
	size_t len = strlen(base);

	while (len && base[len - 1] == '/')
		len--;
	if (len >= 5 && !memcmp(base + len - 5, "/prpc", 5))
		return asprintf(out, "%.*s", (int)len, base) < 0 ? -ENOMEM : 0;
	return asprintf(out, "%.*s/prpc", (int)len, base) < 0 ? -ENOMEM : 0;
}

/* Pretty JSON of the keys (a secret: the compact text is wiped). */
static int keys_pretty(const struct ds_app_keys *keys, char **out)
{
	struct ds_buf compact = { 0 };
	json_t *doc = NULL;
	int r = ds_app_keys_serialize(keys, &compact);

	r = r ?: ds_json_parse(compact.data, compact.len, DS_APP_KEYS_MAX, "app keys", &doc);
	r = r ?: ds_json_dump(doc, DS_JSON_PRETTY, out);
	json_decref(doc);
	ds_buf_wipe(&compact);
	return r;
}

static int get_keys(const char *ca_pem, char **text)
{
	struct ds_kms_opts o = { .vm_config = "", .root_ca_pem = ca_pem, .att = &ds_local_attester };
	struct ds_app_keys keys = { 0 };
	struct ds_buf os_image_hash = { 0 };
	char *url = NULL;
	int r = prpc_url(kms_url, &url);

	if (r)
		return ds_err(r, "out of memory");
	if (!ca_pem)
		fprintf(stderr, "warning: no --root-ca: the KMS is not authenticated on the first "
				"call\n");
	r = ds_kms_get_app_keys(url, &o, &keys, &os_image_hash);
	r = r ?: keys_pretty(&keys, text);
	ds_app_keys_free(&keys);
	ds_buf_free(&os_image_hash);
	free(url);
	return r;
}

int cmd_get_keys(int argc, char **argv)
{
	struct ds_buf ca = { 0 };
	char **args, *ca_pem = NULL, *text = NULL;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!kms_url)
		return cli_usage_error(&spec, "the following required arguments were not provided:\n"
				       "  --kms-url <KMS_URL>");
	if (app_id && cli_check_app_id(app_id))
		return cli_fail();
	ds_json_wipe_on_free();
	r = root_ca ? ds_read_file(root_ca, ROOT_CA_MAX, &ca) : 0;
	if (r == 0 && root_ca && !(ca_pem = strndup((const char *)ca.data, ca.len)))
		r = ds_err(-ENOMEM, "out of memory");
	r = r ?: get_keys(ca_pem, &text);
	if (r == 0)
		r = output ? ds_write_file_atomic(output, text, strlen(text), 0600) :
			     cli_emit(NULL, text, strlen(text));
	if (text)
		explicit_bzero(text, strlen(text));
	free(text);
	free(ca_pem);
	ds_buf_free(&ca);
	return r ? cli_fail_ctx("Failed to get the app keys") : CLI_EXIT_OK;
}
