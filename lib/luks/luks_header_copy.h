/* The memfd behind struct ds_luks_header (internal to lib/luks). */
#ifndef DS_LUKS_LUKS_HEADER_COPY_H
#define DS_LUKS_LUKS_HEADER_COPY_H

#include "luks/luks_device.h"

/* A private memfd the size of the header area, zero-filled, not sealed. */
int ds_luks_copy_create(int *mfd);
/* Seals mfd and validates its bytes; on success hdr owns mfd, on failure
 * mfd is closed. */
int ds_luks_copy_seal(int mfd, struct ds_luks_header *hdr);

#endif
