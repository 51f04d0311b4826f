/* prpc replies from a KMS, gateway or host: the first byte picks the HTTP
 * status, the rest is the body; fields of a parsed reply are read too. */
#include <stddef.h>
#include <stdint.h>

#include "rpc/prpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 404, 500 };
	struct ds_buf bytes;
	const char *s;
	json_t *v;

	if (size < 1)
		return 0;
	if (ds_prpc_parse_response("Fuzz?json", statuses[data[0] % 4], data + 1, size - 1, &v))
		return 0;
	if (ds_prpc_bytes(v, "disk_crypt_key", &bytes) == 0)
		ds_buf_wipe(&bytes);
	(void)ds_prpc_string(v, "ca_cert", &s);
	json_decref(v);
	return 0;
}
