/* A peer's certificate (DER): the dstack extensions read back from it. */
#include <openssl/x509.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crypto/ratls.h"
#include "crypto/ratls_ext.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ds_ratls_oid oids[] = { DS_RATLS_TDX_QUOTE, DS_RATLS_EVENT_LOG,
						  DS_RATLS_APP_ID, DS_RATLS_APP_INFO };
	static const uint8_t zero[DS_REPORT_DATA_LEN];
	const unsigned char *p = data;
	X509 *cert = d2i_X509(NULL, &p, (long)size);
	struct ds_evidence ev;
	struct ds_buf b;
	char *usage;
	int found;

	if (!cert)
		return 0;
	for (size_t i = 0; i < sizeof(oids) / sizeof(oids[0]); i++)
		if (ds_ratls_ext_get(cert, oids[i], &b, &found) == 0)
			ds_buf_free(&b);
	if (ds_ratls_get_special_usage(cert, &usage) == 0)
		free(usage);
	if (ds_ratls_get_evidence(cert, &ev, &found) == 0)
		ds_evidence_free(&ev);
	ds_ratls_check_binding(cert, DS_TAG_RATLS_CERT, zero);
	X509_free(cert);
	return 0;
}
