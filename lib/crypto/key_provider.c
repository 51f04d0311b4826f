#include "crypto/key_provider.h"
#include "util/err.h"

#include <errno.h>
#include <string.h>

static const struct {
	const char *name, *event_name;
} kinds[] = {
	[DS_KP_NONE] = { "none", "none" },
	[DS_KP_LOCAL] = { "local", "local-sgx" },
	[DS_KP_KMS] = { "kms", "kms" },
	[DS_KP_TPM] = { "tpm", "tpm" },
};

int ds_key_provider_kind_parse(const char *name, enum ds_key_provider_kind *out)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(name, kinds[i].name)) {
			*out = (enum ds_key_provider_kind)i;
			return 0;
		}
	}
	return ds_err(-EINVAL, "unknown key provider '%s'", name);
}

uint8_t ds_key_provider_kind_byte(enum ds_key_provider_kind kind)
{
	/* The enum is declared in the byte order of mr_config v2. */
	return (uint8_t)kind;
}

const char *ds_key_provider_event_name(enum ds_key_provider_kind kind)
{
	return kinds[kind].event_name;
}
