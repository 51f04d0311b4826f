#include "attest/tdreport.h"
#include "util/err.h"

#include <errno.h>
#include <string.h>

/* Copies a field at its fixed offset; the length check is done once. */
#define FIELD(dst, off) memcpy((dst), data + (off), sizeof(dst))

int ds_tdreport_parse(const uint8_t *data, size_t len, struct ds_tdreport *out)
{
	struct ds_tdreport t;

	if (len != DS_TDREPORT_LEN)
		return ds_err(-EBADMSG, "TDREPORT must be %d bytes, got %zu", DS_TDREPORT_LEN, len);
	FIELD(t.report_type, 0);
	FIELD(t.cpusvn, 16);
	FIELD(t.tee_tcb_info_hash, 32);
	FIELD(t.tee_info_hash, 80);
	FIELD(t.report_data, 128);
	FIELD(t.mac, 224);
	FIELD(t.tcb_valid, 256);
	FIELD(t.tee_tcb_svn, 264);
	FIELD(t.mr_seam, 280);
	FIELD(t.mr_signer_seam, 328);
	FIELD(t.tcb_attributes, 376);
	FIELD(t.tee_tcb_svn2, 384);
	FIELD(t.td_attributes, 512);
	FIELD(t.xfam, 520);
	FIELD(t.mr_td, 528);
	FIELD(t.mr_config_id, 576);
	FIELD(t.mr_owner, 624);
	FIELD(t.mr_owner_config, 672);
	for (int i = 0; i < 4; i++)
		FIELD(t.rtmr[i], 720 + 48 * i);
	FIELD(t.servtd_hash, 912);
	*out = t;
	return 0;
}
