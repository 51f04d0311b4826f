/* QGS (Quote Generation Service) messages: GET_QUOTE_REQ encoding and
 * GET_QUOTE_RESP validation with upstream HEAD's rules, the length-prefixed
 * stream framing used on vsock, and the TDVMCALL GetQuote buffer that
 * carries the same messages (spec tdx-attestation.md 1.2, 1.5). Pure
 * functions, except ds_qgs_exchange which talks over a connected socket. */
#ifndef DS_TDX_QGS_H
#define DS_TDX_QGS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define DS_QGS_HEADER_LEN 16
#define DS_QGS_RESP_FIXED_LEN 24            /* header, selected_id_size, quote_size */
#define DS_QGS_REQ_LEN (DS_QGS_HEADER_LEN + 8 + 1024)
#define DS_QGS_MSG_MAX 16384                /* longest response accepted */
#define DS_QGS_TDVMCALL_BUF_LEN 16384       /* the request buffer passed to the ioctl */
#define DS_QGS_TDVMCALL_HDR_LEN 24

/* GET_QUOTE_REQ, version 1.0, no key-id list, carrying a TDREPORT. */
void ds_qgs_build_quote_request(const uint8_t report[1024], uint8_t out[DS_QGS_REQ_LEN]);
/* Validates a GET_QUOTE_RESP message and copies its quote out. Errors are
 * "quote failure: ..." (too short, too large, wrong type, QGS error code,
 * truncated, quote shorter than DS_TDX_QUOTE_MIN bytes). */
int ds_qgs_parse_quote_response(const uint8_t *msg, size_t len, struct ds_buf *quote);
/* Decodes the 4-byte big-endian frame length; more than DS_QGS_MSG_MAX is
 * "quote failure: response too large: N". */
int ds_qgs_frame_len(const uint8_t prefix[4], size_t *len);
/* Sends one framed GET_QUOTE_REQ over a connected stream socket and reads
 * and validates the framed response. I/O errors are "vsock failure: ...". */
int ds_qgs_exchange(int fd, const uint8_t report[1024], struct ds_buf *quote);

/* Fills the TDVMCALL GetQuote buffer (version 1, status 0, in_len, then the
 * framed request). */
void ds_qgs_tdvmcall_build(const uint8_t report[1024], uint8_t buf[DS_QGS_TDVMCALL_BUF_LEN]);
/* Checks the status and lengths the VMM wrote back and validates the framed
 * response inside. */
int ds_qgs_tdvmcall_parse(const uint8_t buf[DS_QGS_TDVMCALL_BUF_LEN], struct ds_buf *quote);

#endif
