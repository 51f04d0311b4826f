/* The 1024-byte TDREPORT. */
#include <stddef.h>
#include <stdint.h>

#include "attest/tdreport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_tdreport t;

	if (ds_tdreport_parse(data, size, &t) == 0 && size != DS_TDREPORT_LEN)
		__builtin_trap();
	return 0;
}
