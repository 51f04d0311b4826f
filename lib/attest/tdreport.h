/* The 1024-byte TDREPORT returned by TDX_CMD_GET_REPORT0 (spec
 * tdx-attestation.md 2.1): REPORTMACSTRUCT, TEE_TCB_INFO and TDINFO. */
#ifndef DS_ATTEST_TDREPORT_H
#define DS_ATTEST_TDREPORT_H

#include <stddef.h>
#include <stdint.h>

#define DS_TDREPORT_LEN 1024

struct ds_tdreport {
	/* REPORTMACSTRUCT */
	uint8_t report_type[4];         /* type 0x81 = TDX, subtype, version, reserved */
	uint8_t cpusvn[16];
	uint8_t tee_tcb_info_hash[48];
	uint8_t tee_info_hash[48];
	uint8_t report_data[64];
	uint8_t mac[32];
	/* TEE_TCB_INFO */
	uint8_t tcb_valid[8];
	uint8_t tee_tcb_svn[16];
	uint8_t mr_seam[48];
	uint8_t mr_signer_seam[48];
	uint8_t tcb_attributes[8];
	uint8_t tee_tcb_svn2[16];       /* TDX 1.5 */
	/* TDINFO */
	uint8_t td_attributes[8];
	uint8_t xfam[8];
	uint8_t mr_td[48];
	uint8_t mr_config_id[48];
	uint8_t mr_owner[48];
	uint8_t mr_owner_config[48];
	uint8_t rtmr[4][48];
	uint8_t servtd_hash[48];
};

/* Parses exactly DS_TDREPORT_LEN bytes. */
int ds_tdreport_parse(const uint8_t *data, size_t len, struct ds_tdreport *out);

#endif
