#include "cert_cmd.h"
#include "util/err.h"

int cli_ca_level(const struct cli_spec *spec, const char *arg, uint8_t *level)
{
	size_t v = 1;

	if (arg && cli_parse_size(arg, 255, &v))
		return cli_usage_error(spec, "invalid value '%s' for '--ca-level <CA_LEVEL>': %s", arg,
				       ds_err_msg(0));
	*level = (uint8_t)v;
	return -1;
}
