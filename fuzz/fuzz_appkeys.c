/* The app keys JSON: whatever parses must serialize, and that output must
 * parse back to the same serialization. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/appkeys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_app_keys keys, again;
	struct ds_buf a, b;

	if (ds_app_keys_parse((const char *)data, size, &keys))
		return 0;
	if (ds_app_keys_serialize(&keys, &a))
		abort();
	if (ds_app_keys_parse((const char *)a.data, a.len, &again) ||
	    ds_app_keys_serialize(&again, &b) || a.len != b.len || memcmp(a.data, b.data, a.len))
		abort();
	ds_buf_wipe(&a);
	ds_buf_wipe(&b);
	ds_app_keys_free(&again);
	ds_app_keys_free(&keys);
	return 0;
}
