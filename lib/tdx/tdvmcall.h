/* Quotes through the legacy TDX_CMD_GET_QUOTE ioctl of /dev/tdx_guest. */
#ifndef DS_TDX_TDVMCALL_H
#define DS_TDX_TDVMCALL_H

#include <stdint.h>

#include "util/buf.h"

int ds_tdx_tdvmcall_quote(const uint8_t report_data[64], struct ds_buf *quote);

#endif
