/* The JSON metadata rules of the LUKS2 whitelist (internal to
 * luks2_header.c). */
#ifndef DS_LUKS_LUKS2_JSON_H
#define DS_LUKS_LUKS2_JSON_H

#include <stddef.h>
#include <stdint.h>

/* text (len bytes, no NUL) is the JSON area of a header of hdr_size bytes. */
int ds_luks2_validate_json(const char *text, size_t len, uint64_t hdr_size);

#endif
