#include "cert_cmd.h"
#include "util/err.h"

#include <errno.h>

/* The local attestation (TDX quote + event log, assembled and stripped into
 * a VersionedAttestation) comes from the attestation module, which is built
 * on another branch: until it is linked here, attesting fails closed and no
 * certificate is made. */
static int unavailable(void *ctx, const uint8_t report_data[DS_REPORT_DATA_LEN],
		       struct ds_evidence *out)
{
	(void)ctx, (void)report_data, (void)out;
	return ds_err(-ENOTSUP, "no local attestation source is linked into this build");
}

static const struct ds_attester local = { unavailable, NULL };

const struct ds_attester *cli_local_attester(void)
{
	return &local;
}

int cli_ca_level(const struct cli_spec *spec, const char *arg, uint8_t *level)
{
	size_t v = 1;

	if (arg && cli_parse_size(arg, 255, &v))
		return cli_usage_error(spec, "invalid value '%s' for '--ca-level <CA_LEVEL>': %s", arg,
				       ds_err_msg(0));
	*level = (uint8_t)v;
	return -1;
}
