/* The TDX guest kernel interfaces (spec tdx-attestation.md section 1):
 * TDREPORT, quotes (vsock QGS, configfs-tsm, legacy ioctl) and RTMR
 * extension (sysfs measurements, ioctl). Real kernel paths are the default;
 * the environment overrides DCAP_TDX_QUOTE_CONFIGFS_PATH,
 * DCAP_TDX_RTMR_SYSFS_PATH redirect them (the simulator sets these). */
#ifndef DS_TDX_TDX_H
#define DS_TDX_TDX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define DS_TDX_REPORT_DATA_LEN 64
#define DS_TDX_REPORT_LEN 1024
#define DS_TDX_QUOTE_MAX 16384

/* TDREPORT for the given report data via /dev/tdx_guest. */
int ds_tdx_get_report(const uint8_t report_data[DS_TDX_REPORT_DATA_LEN],
		      uint8_t report[DS_TDX_REPORT_LEN]);
/* A quote binding report_data, returned unchanged (trailing padding kept). */
int ds_tdx_get_quote(const uint8_t report_data[DS_TDX_REPORT_DATA_LEN], struct ds_buf *quote);
/* RTMR[index] := SHA384(RTMR[index] || digest). */
int ds_tdx_extend_rtmr(unsigned index, const uint8_t digest[48]);
/* Whether this looks like a TDX guest (device or configfs provider). */
int ds_tdx_available(void);

#endif
