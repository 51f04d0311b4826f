/* QGS GET_QUOTE_RESP messages (from the host over vsock, or from the VMM in
 * the TDVMCALL buffer). The input is a frame: 4-byte big-endian length,
 * then the message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdx/qgs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_buf quote = { 0 };
	uint8_t *buf;
	size_t len;

	if (ds_qgs_parse_quote_response(data, size, &quote) == 0)
		ds_buf_free(&quote);
	if (size >= 4 && ds_qgs_frame_len(data, &len) == 0 && len <= size - 4 &&
	    ds_qgs_parse_quote_response(data + 4, len, &quote) == 0)
		ds_buf_free(&quote);
	/* The same bytes as what a VMM wrote back into the TDVMCALL buffer. */
	buf = calloc(1, DS_QGS_TDVMCALL_BUF_LEN);
	if (!buf)
		return 0;
	memcpy(buf, data, size < DS_QGS_TDVMCALL_BUF_LEN ? size : DS_QGS_TDVMCALL_BUF_LEN);
	if (ds_qgs_tdvmcall_parse(buf, &quote) == 0)
		ds_buf_free(&quote);
	free(buf);
	return 0;
}
