/* prpc replies from a KMS, gateway or host: the first byte picks the HTTP
 * status, the rest is the body; fields of a parsed reply are read too, and
 * it is checked as a SignCertResponse (for a key no leaf will match, so the
 * leaf is parsed and compared). */
#include <stddef.h>
#include <stdint.h>

#include "crypto/p256.h"
#include "kms/kms_client.h"
#include "rpc/prpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 404, 500 };
	static const uint8_t spki[DS_P256_SPKI_LEN];
	struct ds_buf bytes;
	const char *s;
	json_t *v, *chain;

	if (size < 1)
		return 0;
	if (ds_prpc_parse_response("Fuzz?json", statuses[data[0] % 4], data + 1, size - 1, &v))
		return 0;
	if (ds_prpc_bytes(v, "disk_crypt_key", &bytes) == 0)
		ds_buf_wipe(&bytes);
	(void)ds_prpc_string(v, "ca_cert", &s);
	if (ds_kms_cert_chain(v, spki, sizeof(spki), &chain) == 0)
		json_decref(chain);
	json_decref(v);
	return 0;
}
