/* Intel DCAP quotes, versions 3, 4 and 5 (spec tdx-attestation.md 2.2-2.6):
 * the header, the report body and a walk of the whole auth data, with the
 * acceptance rules of upstream's parser. Pure functions of the bytes. */
#ifndef DS_ATTEST_QUOTE_H
#define DS_ATTEST_QUOTE_H

#include <stddef.h>
#include <stdint.h>

#define DS_QUOTE_HEADER_LEN 48
#define DS_QUOTE_AUTH_DATA_MAX (1u << 20)
#define DS_QUOTE_TEE_SGX 0x00000000u
#define DS_QUOTE_TEE_TDX 0x00000081u

enum ds_quote_body {
	DS_QUOTE_BODY_SGX = 1,          /* SGX enclave report, 384 bytes */
	DS_QUOTE_BODY_TD10 = 2,         /* TDREPORT10, 584 bytes */
	DS_QUOTE_BODY_TD15 = 3,         /* TDREPORT15, 648 bytes */
};

/* The TD report body in quote order (TDREPORT10). */
struct ds_td10 {
	uint8_t tee_tcb_svn[16];
	uint8_t mr_seam[48];
	uint8_t mr_signer_seam[48];
	uint8_t seam_attributes[8];
	uint8_t td_attributes[8];       /* byte 0 bit 0 = DEBUG */
	uint8_t xfam[8];
	uint8_t mr_td[48];
	uint8_t mr_config_id[48];
	uint8_t mr_owner[48];
	uint8_t mr_owner_config[48];
	uint8_t rt_mr[4][48];
	uint8_t report_data[64];
};

struct ds_quote {
	uint16_t version;
	uint16_t att_key_type;
	uint32_t tee_type;
	uint16_t qe_svn, pce_svn;
	uint8_t qe_vendor_id[16];
	uint8_t user_data[20];
	enum ds_quote_body body_type;
	struct ds_td10 td;              /* valid for TD10 and TD15 bodies */
	uint8_t tee_tcb_svn2[16];       /* TD15 only */
	uint8_t mr_service_td[48];      /* TD15 only */
	size_t body_offset;             /* absolute offset of the body */
	size_t auth_data_len;
	size_t end;                     /* end of the auth data; later bytes are ignored */
};

/* Parses a whole quote; trailing bytes after the auth data are tolerated. */
int ds_quote_parse(const uint8_t *data, size_t len, struct ds_quote *out);
/* The TDREPORT10 part of a TD10/TD15 quote; "TDX report not found" else. */
int ds_quote_td_report(const struct ds_quote *q, const struct ds_td10 **out);

#endif
