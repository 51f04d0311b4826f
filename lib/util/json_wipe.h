/* Makes jansson clear every block it frees, so that secrets parsed from JSON
 * (app keys, decrypted environment variables) do not linger on the heap.
 * Process-wide and idempotent; safe to call at any time, since both
 * allocators are libc malloc/free. */
#ifndef DS_UTIL_JSON_WIPE_H
#define DS_UTIL_JSON_WIPE_H

void ds_json_wipe_on_free(void);

#endif
