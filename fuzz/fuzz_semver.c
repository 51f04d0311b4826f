/* requirements.os_version (from app-compose) and VERSION_ID (from
 * os-release): the first line is parsed as a requirement, the rest as a
 * version; both are matched and formatted when they parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "setup/semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *nl;
	struct ds_semver_req req;
	struct ds_semver v;
	int req_ok, v_ok;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	req_ok = ds_semver_req_parse(text, &req) == 0;
	v_ok = ds_semver_parse(nl ? nl + 1 : "", &v) == 0;
	if (req_ok) {
		free(ds_semver_req_format(&req));
		if (v_ok)
			(void)ds_semver_matches(&req, &v);
		ds_semver_req_free(&req);
	}
	if (v_ok) {
		free(ds_semver_format(&v));
		ds_semver_free(&v);
	}
	free(text);
	return 0;
}
