#include "crypto/ratls_ext.h"
#include "crypto/ossl.h"
#include "util/err.h"
#include "util/utf8.h"

#include <errno.h>
#include <limits.h>
#include <openssl/objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ASN1_OBJECT *oid_object(enum ds_ratls_oid oid)
{
	char text[32];

	snprintf(text, sizeof(text), "1.3.6.1.4.1.62397.1.%d", (int)oid);
	return OBJ_txt2obj(text, 1);
}

int ds_ratls_ext_new(enum ds_ratls_oid oid, const void *payload, size_t len,
		     X509_EXTENSION **out)
{
	ASN1_OCTET_STRING *inner = ASN1_OCTET_STRING_new(), *outer = ASN1_OCTET_STRING_new();
	ASN1_OBJECT *obj = oid_object(oid);
	unsigned char *der = NULL;
	int der_len = -1, r = 0;

	*out = NULL;
	if (len > INT_MAX - 16)
		r = ds_err(-EFBIG, "certificate extension payload too large");
	else if (!inner || !outer || !obj ||
		 !ASN1_OCTET_STRING_set(inner, payload, (int)len) ||
		 (der_len = i2d_ASN1_OCTET_STRING(inner, &der)) < 0 ||
		 !ASN1_OCTET_STRING_set(outer, der, der_len) ||
		 !(*out = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, outer)))
		r = ds_ossl_err(-ENOMEM, "failed to build a certificate extension");
	OPENSSL_free(der);
	ASN1_OBJECT_free(obj);
	ASN1_OCTET_STRING_free(outer);
	ASN1_OCTET_STRING_free(inner);
	return r;
}

/* Unwraps DER(OCTET STRING { payload }); trailing bytes are an error. */
static int unwrap(const ASN1_OCTET_STRING *value, struct ds_buf *out)
{
	const unsigned char *p = ASN1_STRING_get0_data(value);
	const unsigned char *end = p + ASN1_STRING_length(value);
	ASN1_OCTET_STRING *inner = d2i_ASN1_OCTET_STRING(NULL, &p, end - p);
	int r;

	if (!inner || p != end) {
		ASN1_OCTET_STRING_free(inner);
		return ds_ossl_err(-EINVAL, "malformed extension value (expected one OCTET STRING)");
	}
	r = ds_buf_set(out, ASN1_STRING_get0_data(inner), (size_t)ASN1_STRING_length(inner));
	ASN1_OCTET_STRING_free(inner);
	return r;
}

int ds_ratls_ext_get(X509 *cert, enum ds_ratls_oid oid, struct ds_buf *out, int *found)
{
	ASN1_OBJECT *obj = oid_object(oid);
	int idx, r = 0;

	*out = (struct ds_buf){ 0 };
	*found = 0;
	if (!obj)
		return ds_ossl_err(-ENOMEM, "out of memory");
	idx = X509_get_ext_by_OBJ(cert, obj, -1);
	if (idx >= 0 && X509_get_ext_by_OBJ(cert, obj, idx) >= 0)
		r = ds_err(-EINVAL, "extension 1.3.6.1.4.1.62397.1.%d appears twice", (int)oid);
	else if (idx >= 0 &&
		 ASN1_STRING_length(X509_EXTENSION_get_data(X509_get_ext(cert, idx))) >
			 (int)DS_RATLS_EXT_MAX)
		r = ds_err(-EFBIG, "extension 1.3.6.1.4.1.62397.1.%d too large", (int)oid);
	else if (idx >= 0)
		r = unwrap(X509_EXTENSION_get_data(X509_get_ext(cert, idx)), out);
	ASN1_OBJECT_free(obj);
	if (r)
		return ds_err_ctx(r, "Failed to get extension 1.3.6.1.4.1.62397.1.%d", (int)oid);
	*found = idx >= 0;
	return 0;
}

int ds_ratls_get_special_usage(X509 *cert, char **usage)
{
	struct ds_buf b = { 0 };
	int found, r;

	*usage = NULL;
	r = ds_ratls_ext_get(cert, DS_RATLS_CERT_USAGE, &b, &found);
	if (r || !found)
		return r;
	if (!ds_utf8_valid(b.data, b.len) || memchr(b.data, 0, b.len)) {
		ds_buf_free(&b);
		return ds_err(-EINVAL, "Failed to decode special usage as utf8");
	}
	*usage = malloc(b.len + 1);
	if (*usage) {
		memcpy(*usage, b.data, b.len);
		(*usage)[b.len] = '\0';
	}
	ds_buf_free(&b);
	return *usage ? 0 : ds_err(-ENOMEM, "out of memory");
}

void ds_evidence_free(struct ds_evidence *e)
{
	ds_buf_free(&e->attestation);
	ds_buf_free(&e->quote);
	ds_buf_free(&e->event_log);
}

int ds_ratls_get_evidence(X509 *cert, struct ds_evidence *out, int *found)
{
	int has_att, has_quote, has_log, r;

	memset(out, 0, sizeof(*out));
	*found = 0;
	r = ds_ratls_ext_get(cert, DS_RATLS_ATTESTATION, &out->attestation, &has_att);
	if (r || has_att) {
		*found = has_att;
		return r;
	}
	r = ds_ratls_ext_get(cert, DS_RATLS_TDX_QUOTE, &out->quote, &has_quote);
	if (r || !has_quote)
		return r;
	r = ds_ratls_ext_get(cert, DS_RATLS_EVENT_LOG, &out->event_log, &has_log);
	if (r == 0 && !has_log)
		r = ds_err(-EINVAL, "TDX event log missing");
	if (r)
		ds_evidence_free(out);
	*found = r == 0;
	return r;
}
