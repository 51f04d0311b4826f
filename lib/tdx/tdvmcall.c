/* The legacy quote path: TDX_CMD_GET_QUOTE, where the VMM relays the QGS
 * messages through a TDVMCALL (spec tdx-attestation.md 1.2, 1.3 stage 3). */
#include "tdx/tdvmcall.h"
#include "tdx/abi.h"
#include "tdx/qgs.h"
#include "tdx/tdx.h"
#include "tdx/tdx_err.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

int ds_tdx_tdvmcall_quote(const uint8_t report_data[64], struct ds_buf *quote)
{
	uint8_t report[DS_TDX_REPORT_LEN];
	struct ds_tdx_quote_req req;
	uint8_t *buf = NULL;
	int fd = -1, r;

	r = ds_tdx_get_report(report_data, report);
	if (r)
		return r;
	buf = malloc(DS_QGS_TDVMCALL_BUF_LEN);
	if (!buf)
		return ds_err(-ENOMEM, "out of memory");
	ds_qgs_tdvmcall_build(report, buf);
	req = (struct ds_tdx_quote_req){ .buf = (uintptr_t)buf, .len = DS_QGS_TDVMCALL_BUF_LEN };
	fd = open(DS_TDX_GUEST_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		r = ds_tdx_err(DS_TDX_DEVICE, "open " DS_TDX_GUEST_DEVICE ": " DS_OS_ERR_FMT,
			       DS_OS_ERR(errno));
	else if (ioctl(fd, DS_TDX_CMD_GET_QUOTE, &req) != 0)
		r = ds_tdx_err(DS_TDX_QUOTE, "ioctl: " DS_OS_ERR_FMT, DS_OS_ERR(errno));
	else
		r = ds_qgs_tdvmcall_parse(buf, quote);
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}
