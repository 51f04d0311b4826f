/* The encrypted-env envelope, opened with the simulator's env_crypt_key. */
#include <stddef.h>
#include <stdint.h>

#include "crypto/envelope.h"
#include "util/hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t sk[DS_X25519_KEY_LEN];
	struct ds_buf plain;

	if (!sk[0])
		ds_hex_decode_exact("4f3cf0a19a0444674c8e51222afd395b8df9fad2ba3cd7956f640a4b3c046db6",
				    sk, sizeof(sk));
	if (ds_env_decrypt(sk, data, size, &plain) == 0)
		ds_buf_wipe(&plain);
	return 0;
}
