/* The TDX guest kernel interfaces (spec tdx-attestation.md section 1):
 * TDREPORT, quotes (configfs-tsm, vsock QGS, legacy ioctl) and RTMR
 * extension (sysfs measurements, ioctl). Real kernel paths are the default;
 * the environment overrides below redirect them (the development simulator
 * is reached only through them: nothing here knows about it). Errors carry
 * upstream HEAD's texts ("quote failure: ...", "not supported: ..."). */
#ifndef DS_TDX_TDX_H
#define DS_TDX_TDX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define DS_TDX_REPORT_DATA_LEN 64
#define DS_TDX_REPORT_LEN 1024
/* The QGS transports reject shorter quotes, configfs-tsm also this length. */
#define DS_TDX_QUOTE_MIN 1020

/* A configfs-tsm report entry to use instead of the default one; when set
 * (absolute, non-empty) it is authoritative. */
#define DS_TDX_CONFIGFS_ENV "DCAP_TDX_QUOTE_CONFIGFS_PATH"
/* A directory of rtmrN:sha384 files to extend through instead of sysfs. */
#define DS_TDX_RTMR_SYSFS_ENV "DCAP_TDX_RTMR_SYSFS_PATH"

/* TDREPORT for the given report data via /dev/tdx_guest. */
int ds_tdx_get_report(const uint8_t report_data[DS_TDX_REPORT_DATA_LEN],
		      uint8_t report[DS_TDX_REPORT_LEN]);
/* A quote binding report_data, returned unchanged (trailing padding kept).
 * Transports, in order: the DCAP_TDX_QUOTE_CONFIGFS_PATH entry (final);
 * else the QGS over vsock when tdx-attest.conf names a port (a failure to
 * connect falls through); else configfs-tsm when its base exists (final);
 * else the TDX_CMD_GET_QUOTE ioctl when /dev/tdx_guest exists; else
 * "not supported: no quote method available ...". Serialised per process. */
int ds_tdx_get_quote(const uint8_t report_data[DS_TDX_REPORT_DATA_LEN], struct ds_buf *quote);
/* RTMR[index] := SHA384(RTMR[index] || digest), through the
 * DCAP_TDX_RTMR_SYSFS_PATH directory, else the sysfs measurements, else the
 * extend ioctl. */
int ds_tdx_extend_rtmr(unsigned index, const uint8_t digest[48]);
/* Whether this looks like a TDX guest: /dev/tdx_guest exists, or a
 * configfs-tsm entry (the override when set) has the tdx_guest provider. */
int ds_tdx_available(void);

#endif
