/* The LUKS2 header area of a data disk the host controls: both binary
 * headers and their JSON metadata. Each input is validated as given, and
 * once more with the checksums of two 16 KiB copies recomputed, so that
 * mutations also reach the metadata rules behind the checksum. */
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "luks/luks2_header.h"

#define HDR 16384u

static void fix_checksum(uint8_t *h)
{
	memset(h + 448, 0, 64);
	EVP_Digest(h, HDR, h + 448, NULL, EVP_sha256(), NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	(void)ds_luks2_validate(data, size);
	if (size < 2 * HDR)
		return 0;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fix_checksum(copy);
	fix_checksum(copy + HDR);
	(void)ds_luks2_validate(copy, size);
	free(copy);
	return 0;
}
