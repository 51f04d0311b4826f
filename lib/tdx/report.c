#include "tdx/abi.h"
#include "tdx/tdx.h"
#include "tdx/tdx_err.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int ds_tdx_get_report(const uint8_t report_data[DS_TDX_REPORT_DATA_LEN],
		      uint8_t report[DS_TDX_REPORT_LEN])
{
	struct ds_tdx_report_req req = { 0 };
	int fd, r = 0;

	fd = open(DS_TDX_GUEST_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return ds_tdx_err(DS_TDX_DEVICE, "open " DS_TDX_GUEST_DEVICE ": " DS_OS_ERR_FMT,
				  DS_OS_ERR(errno));
	memcpy(req.reportdata, report_data, sizeof(req.reportdata));
	if (ioctl(fd, DS_TDX_CMD_GET_REPORT0, &req) != 0)
		r = ds_tdx_err(DS_TDX_REPORT, "ioctl: " DS_OS_ERR_FMT, DS_OS_ERR(errno));
	else
		memcpy(report, req.tdreport, DS_TDX_REPORT_LEN);
	close(fd);
	return r;
}
