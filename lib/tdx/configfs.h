/* Quotes through the configfs-tsm report interface, with upstream HEAD's
 * protocol (spec tdx-attestation.md 1.4). */
#ifndef DS_TDX_CONFIGFS_H
#define DS_TDX_CONFIGFS_H

#include <stdint.h>

#include "util/buf.h"

#define DS_TDX_CONFIGFS_BASE "/sys/kernel/config/tsm/report"
#define DS_TDX_CONFIGFS_DEFAULT DS_TDX_CONFIGFS_BASE "/com.intel.dcap"
/* Longest accepted path from an override variable, plus one. */
#define DS_TDX_OVERRIDE_PATH_MAX 240
/* The single read of outblob; a quote this long or longer may be cut. */
#define DS_TDX_OUTBLOB_MAX 8192

int ds_tdx_is_dir(const char *path);
/* Validates the DCAP_TDX_QUOTE_CONFIGFS_PATH entry: shorter than 240 bytes,
 * a directory, and a provider starting with "tdx_guest". */
int ds_tdx_configfs_check(const char *entry);
/* Finds or creates the default entry <base>/com.intel.dcap (the mkdir is
 * tried once per process, as upstream). */
int ds_tdx_configfs_prepare_default(void);
/* One quote through a prepared entry: flock inblob, write the report data,
 * wait for the generation to advance, read outblob, check nothing raced. */
int ds_tdx_configfs_quote(const char *entry, const uint8_t report_data[64], struct ds_buf *quote);

#endif
