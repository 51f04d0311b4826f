#include "tdx/tdx_err.h"
#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static const struct {
	const char *prefix;
	int code;
} kinds[] = {
	[DS_TDX_UNEXPECTED] = { "unexpected error: ", -EIO },
	[DS_TDX_VSOCK] = { "vsock failure: ", -EIO },
	[DS_TDX_REPORT] = { "report failure: ", -EIO },
	[DS_TDX_EXTEND] = { "extend failure: ", -EIO },
	[DS_TDX_NOT_SUPPORTED] = { "not supported: ", -EOPNOTSUPP },
	[DS_TDX_QUOTE] = { "quote failure: ", -EIO },
	[DS_TDX_BUSY] = { "device busy", -EBUSY },
	[DS_TDX_DEVICE] = { "device failure: ", -EIO },
	[DS_TDX_RTMR_INDEX] = { "invalid RTMR index: ", -EINVAL },
};

int ds_tdx_err(enum ds_tdx_kind kind, const char *fmt, ...)
{
	char detail[DS_ERR_MSG_LEN] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	return ds_err(kinds[kind].code, "%s%s", kinds[kind].prefix, detail);
}
