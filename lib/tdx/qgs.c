#include "tdx/qgs.h"
#include "tdx/tdx.h"
#include "tdx/tdx_err.h"
#include "util/endian.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define QGS_GET_QUOTE_REQ 0u
#define QGS_GET_QUOTE_RESP 1u
#define QGS_VERSION_MAJOR 1u
#define QGS_VERSION_MINOR 0u   /* HEAD sends 1.0; v0.5.4's C library sent 1.1 */

#define TDVMCALL_STATUS_IN_FLIGHT 0xFFFFFFFFFFFFFFFFull
#define TDVMCALL_STATUS_UNAVAILABLE 0x8000000000000001ull

void ds_qgs_build_quote_request(const uint8_t report[1024], uint8_t out[DS_QGS_REQ_LEN])
{
	ds_put_le16(out, QGS_VERSION_MAJOR);
	ds_put_le16(out + 2, QGS_VERSION_MINOR);
	ds_put_le32(out + 4, QGS_GET_QUOTE_REQ);
	ds_put_le32(out + 8, DS_QGS_REQ_LEN);
	ds_put_le32(out + 12, 0);                  /* error_code */
	ds_put_le32(out + 16, 1024);               /* report_size */
	ds_put_le32(out + 20, 0);                  /* id_list_size */
	memcpy(out + 24, report, 1024);
}

/* Like HEAD, neither the major version nor the header's size field is
 * checked; lengths are computed in 64 bits so no u32 sum can wrap. */
int ds_qgs_parse_quote_response(const uint8_t *msg, size_t len, struct ds_buf *quote)
{
	uint32_t type, error_code, id_size, quote_size;
	uint64_t expected;

	if (len < DS_QGS_RESP_FIXED_LEN)
		return ds_tdx_err(DS_TDX_QUOTE, "response too short: %zu bytes", len);
	if (len > DS_QGS_MSG_MAX)
		return ds_tdx_err(DS_TDX_QUOTE, "response too large: %zu", len);
	type = ds_get_le32(msg + 4);
	error_code = ds_get_le32(msg + 12);
	if (type != QGS_GET_QUOTE_RESP)
		return ds_tdx_err(DS_TDX_QUOTE, "unexpected message type: %u", type);
	if (error_code != 0)
		return ds_tdx_err(DS_TDX_QUOTE, "QGS error code: 0x%x", error_code);
	id_size = ds_get_le32(msg + 16);
	quote_size = ds_get_le32(msg + 20);
	expected = (uint64_t)DS_QGS_RESP_FIXED_LEN + id_size + quote_size;
	if (len < expected)
		return ds_tdx_err(DS_TDX_QUOTE, "response truncated: got %zu bytes, expected %llu",
				  len, (unsigned long long)expected);
	if (quote_size < DS_TDX_QUOTE_MIN)
		return ds_tdx_err(DS_TDX_QUOTE, "quote too short: %u bytes", quote_size);
	return ds_buf_set(quote, msg + DS_QGS_RESP_FIXED_LEN + id_size, quote_size);
}

int ds_qgs_frame_len(const uint8_t prefix[4], size_t *len)
{
	uint32_t n = ds_get_be32(prefix);

	if (n > DS_QGS_MSG_MAX)
		return ds_tdx_err(DS_TDX_QUOTE, "response too large: %u", n);
	*len = n;
	return 0;
}

/* send() with MSG_NOSIGNAL: a peer that hung up must give an error, not
 * kill the process with SIGPIPE. */
static int send_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ds_tdx_err(DS_TDX_VSOCK, DS_OS_ERR_FMT, DS_OS_ERR(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int recv_exact(int fd, uint8_t *p, size_t len)
{
	int r = ds_read_exact(fd, p, len);

	return r ? ds_tdx_err(DS_TDX_VSOCK, "%s", ds_err_msg(0)) : 0;
}

int ds_qgs_exchange(int fd, const uint8_t report[1024], struct ds_buf *quote)
{
	uint8_t req[4 + DS_QGS_REQ_LEN], prefix[4];
	struct ds_buf resp = { 0 };
	size_t len;
	int r;

	ds_put_be32(req, DS_QGS_REQ_LEN);
	ds_qgs_build_quote_request(report, req + 4);
	r = send_all(fd, req, sizeof(req));
	r = r ?: recv_exact(fd, prefix, 4);
	r = r ?: ds_qgs_frame_len(prefix, &len);
	r = r ?: ds_buf_alloc(&resp, len);
	r = r ?: recv_exact(fd, resp.data, len);
	r = r ?: ds_qgs_parse_quote_response(resp.data, resp.len, quote);
	ds_buf_free(&resp);
	return r;
}

void ds_qgs_tdvmcall_build(const uint8_t report[1024], uint8_t buf[DS_QGS_TDVMCALL_BUF_LEN])
{
	memset(buf, 0, DS_QGS_TDVMCALL_BUF_LEN);
	buf[0] = 1;                                     /* u64 version */
	ds_put_le32(buf + 16, 4 + DS_QGS_REQ_LEN);         /* u32 in_len */
	ds_put_be32(buf + DS_QGS_TDVMCALL_HDR_LEN, DS_QGS_REQ_LEN);
	ds_qgs_build_quote_request(report, buf + DS_QGS_TDVMCALL_HDR_LEN + 4);
}

int ds_qgs_tdvmcall_parse(const uint8_t buf[DS_QGS_TDVMCALL_BUF_LEN], struct ds_buf *quote)
{
	uint64_t status = ds_get_le64(buf + 8);
	uint32_t out_len = ds_get_le32(buf + 20);

	if (status == TDVMCALL_STATUS_IN_FLIGHT)
		return ds_tdx_err(DS_TDX_BUSY, NULL);
	if (status == TDVMCALL_STATUS_UNAVAILABLE)
		return ds_tdx_err(DS_TDX_NOT_SUPPORTED, "quote service unavailable (GetQuote status 0x%llx)",
				  (unsigned long long)status);
	if (status != 0)
		return ds_tdx_err(DS_TDX_UNEXPECTED, "GetQuote status 0x%llx", (unsigned long long)status);
	if (out_len <= 4 || out_len > DS_QGS_TDVMCALL_BUF_LEN - DS_QGS_TDVMCALL_HDR_LEN)
		return ds_tdx_err(DS_TDX_UNEXPECTED, "GetQuote output length %u out of range", out_len);
	if (ds_get_be32(buf + DS_QGS_TDVMCALL_HDR_LEN) != out_len - 4)
		return ds_tdx_err(DS_TDX_UNEXPECTED, "GetQuote message length %u does not match output length %u",
				  ds_get_be32(buf + DS_QGS_TDVMCALL_HDR_LEN), out_len);
	return ds_qgs_parse_quote_response(buf + DS_QGS_TDVMCALL_HDR_LEN + 4, out_len - 4, quote);
}
