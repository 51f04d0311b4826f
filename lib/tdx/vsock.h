/* Quotes from the host's QGS over vsock, configured by /etc/tdx-attest.conf
 * (spec tdx-attestation.md 1.3 stage 2, 1.5). */
#ifndef DS_TDX_VSOCK_H
#define DS_TDX_VSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define DS_TDX_ATTEST_CONF "/etc/tdx-attest.conf"
/* Absolute path overriding DS_TDX_ATTEST_CONF (tests). */
#define DS_TDX_ATTEST_CONF_ENV "DSTACK_TDX_ATTEST_CONF"
#define DS_TDX_ATTEST_CONF_MAX 65536

/* The QGS port from the conf text with HEAD's rules: per line, trim, skip
 * '#' comments, "port" then '=' (spaces allowed around), a u32; the first
 * line that parses wins; none gives 0. */
void ds_tdx_conf_parse_port(const char *text, size_t len, uint32_t *port);
/* Reads the conf file: a missing file is port 0. */
int ds_tdx_conf_port(uint32_t *port);
/* Connects to the QGS on the host (CID 2) and returns its quote for a fresh
 * TDREPORT. *connected is 0 when no socket or connection could be made
 * (callers may then try another transport); every later error is final. */
int ds_tdx_vsock_quote(uint32_t port, const uint8_t report_data[64], struct ds_buf *quote,
		       int *connected);

#endif
