/* The /dev/tdx_guest ioctl ABI (spec tdx-attestation.md 1.2). */
#ifndef DS_TDX_ABI_H
#define DS_TDX_ABI_H

#include <linux/ioctl.h>
#include <stdint.h>

#define DS_TDX_GUEST_DEVICE "/dev/tdx_guest"

struct ds_tdx_report_req {
	uint8_t reportdata[64];
	uint8_t tdreport[1024];
};

struct ds_tdx_extend_rtmr_req {
	uint8_t data[48];
	uint8_t index;
};

struct ds_tdx_quote_req {
	uint64_t buf;   /* user pointer to the request buffer */
	uint64_t len;
};

#define DS_TDX_CMD_GET_REPORT0 _IOWR('T', 1, struct ds_tdx_report_req)
/* The kernel module declares the extend request _IOR, not _IOW. */
#define DS_TDX_CMD_EXTEND_RTMR _IOR('T', 3, struct ds_tdx_extend_rtmr_req)
#define DS_TDX_CMD_GET_QUOTE _IOR('T', 4, struct ds_tdx_quote_req)

_Static_assert(sizeof(struct ds_tdx_report_req) == 1088, "tdx_report_req layout");
_Static_assert(sizeof(struct ds_tdx_extend_rtmr_req) == 49, "tdx_extend_rtmr_req layout");
_Static_assert(DS_TDX_CMD_GET_REPORT0 == 0xC4405401u, "TDX_CMD_GET_REPORT0");
_Static_assert(DS_TDX_CMD_EXTEND_RTMR == 0x80315403u, "TDX_CMD_EXTEND_RTMR");
_Static_assert(DS_TDX_CMD_GET_QUOTE == 0x80105404u, "TDX_CMD_GET_QUOTE");

#endif
