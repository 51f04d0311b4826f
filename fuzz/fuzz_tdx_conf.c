/* /etc/tdx-attest.conf text. */
#include <stddef.h>
#include <stdint.h>

#include "tdx/vsock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t port;

	ds_tdx_conf_parse_port((const char *)data, size, &port);
	return 0;
}
