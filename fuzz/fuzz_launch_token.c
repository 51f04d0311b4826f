/* SHARED/.user-config from the host, read for dstack.launch_token when the
 * app-compose sets requirements.launch_token_hash; the token found is then
 * checked against a fixed hash. */
#include <stdint.h>
#include <stdlib.h>

#include "setup/app_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char hash[] = "28faa1319055d733ad9651f5ab7689c15b04609846bcd27b3c5bc8df6246f5a3";
	char *token = NULL;

	if (ds_policy_launch_token_from((const char *)data, size, &token) == 0)
		(void)ds_policy_launch_token(hash, token);
	free(token);
	return 0;
}
