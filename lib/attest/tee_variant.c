#include "attest/tee_variant.h"
#include "tdx/tdx.h"
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int ds_tee_variant_known(const char *name)
{
	static const char *const names[] = { DS_TEE_VARIANT_TDX, "dstack-gcp-tdx",
					      "dstack-nitro-enclave", "dstack-amd-sev-snp",
					      "dstack-aws-nitro-tpm" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* The DMI string at path, trimmed, is one of the values (NULL-terminated). */
static int dmi_is(const char *path, const char *const *values)
{
	char text[128];
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return 0;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	text[n] = '\0';
	for (; *values; values++)
		if (!strcmp(text, *values))
			return 1;
	return 0;
}

int ds_tee_variant_detect(const char **name)
{
	static const char *const clouds[] = { "Google Compute Engine", "Nitro Enclave", NULL };
	static const char *const ec2[] = { "Amazon EC2", NULL };

	if (access("/dev/nsm", F_OK) == 0 || dmi_is("/sys/class/dmi/id/product_name", clouds) ||
	    dmi_is("/sys/class/dmi/id/sys_vendor", ec2))
		return ds_err(-ENOTSUP, "Unsupported platform: this dstack-util supports TDX on the "
			      "dstack VMM only");
	if (!ds_tdx_available())
		return ds_err(-ENOTSUP, "Unsupported platform: Dstack(-tdx/-amd-sev-snp)");
	*name = DS_TEE_VARIANT_TDX;
	return 0;
}
