/* The mr_config v3 document from the host's sys-config. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/mr_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t compose[32], app_id[20], id[32], gpu[32], init[1][32];
	const struct ds_mr_local local = {
		.compose_hash = compose, .app_id = app_id, .instance_id = id, .instance_id_len = 20,
		.key_provider = DS_KP_KMS, .key_provider_id = id, .key_provider_id_len = 32,
		.gpu_policy_hash = gpu, .init_script_hashes = init, .init_script_hashes_len = 1,
	};
	uint8_t mr[DS_MR_CONFIG_ID_LEN];

	memset(compose, 0x22, sizeof(compose));
	ds_mr_config_check_document((const char *)data, size, &local);
	if (ds_mr_config_v3((const char *)data, size, mr) == 0)
		ds_mr_config_verify_tdx(mr, (const char *)data, size, &local);
	return 0;
}
