/* A DCAP quote v4 for TDX (spec tdx-attestation.md 2.2-2.5, 7.1), signed
 * with a fresh attestation key whose binding is certified by a mock QE
 * report signed with the mock PCK key. */
#include "sim.h"
#include "util/endian.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <string.h>

#define HEADER_LEN 48
#define BODY_LEN 584
#define SIGNED_LEN (HEADER_LEN + BODY_LEN)      /* 632: what the attestation key signs */
#define QE_REPORT_LEN 384
#define QE_AUTH_LEN 32

static const uint8_t intel_qe_vendor_id[16] = { 0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
						0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07 };

/* Header and TD report body (TDREPORT10). Unset fields stay zero. */
static void fill_signed_part(uint8_t *q, const struct sim_measurements *m, const uint8_t rd[64])
{
	ds_put_le16(q + 0, 4);                  /* version */
	ds_put_le16(q + 2, 2);                  /* ECDSA-256-with-P-256 */
	ds_put_le32(q + 4, 0x81);               /* TDX */
	ds_put_le16(q + 8, 1);                  /* QE SVN */
	memcpy(q + 12, intel_qe_vendor_id, 16);
	q[168 + 3] = 0x10;               /* td_attributes: SEPT_VE_DISABLE, not DEBUG */
	memcpy(q + 184, m->mrtd, 48);
	for (int i = 0; i < 4; i++)
		memcpy(q + 376 + 48 * i, m->rtmr[i], 48);
	memcpy(q + 568, rd, 64);
}

/* The 64-byte raw public key (X || Y) of an EC key. */
static int raw_public_key(EVP_PKEY *key, uint8_t out[64])
{
	uint8_t point[65];
	size_t len = 0;

	if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &len) ||
	    len != 65 || point[0] != 0x04)
		return ds_err(-EIO, "OpenSSL: reading the attestation public key failed");
	memcpy(out, point + 1, 64);
	return 0;
}

/* The mock QE report: mr_signer 0x44.., ISV prod id 1, ISV SVN 1, and
 * report_data[0..32] = SHA-256(attestation key || QE auth data). */
static int fill_qe_report(uint8_t *qe, const uint8_t att_key[64], const uint8_t *qe_auth)
{
	uint8_t bound[64 + QE_AUTH_LEN];

	memset(qe + 128, 0x44, 32);
	ds_put_le16(qe + 256, 1);
	ds_put_le16(qe + 258, 1);
	memcpy(bound, att_key, 64);
	memcpy(bound + 64, qe_auth, QE_AUTH_LEN);
	if (!EVP_Digest(bound, sizeof(bound), qe + 320, NULL, EVP_sha256(), NULL))
		return ds_err(-EIO, "SHA-256 failed");
	return 0;
}

/* Layout after the body: u32 L, then auth data v4: signature 64, attestation
 * key 64, cert type 6 + u32 length + {QE report 384, its signature 64,
 * u16 QE auth length + data, cert type 5 + u32 length + PEM chain}. */
int sim_quote_build(const struct sim_pki *pki, const struct sim_measurements *m,
		    const uint8_t report_data[64], struct ds_buf *quote)
{
	const size_t cert_body = QE_REPORT_LEN + 64 + 2 + QE_AUTH_LEN + 2 + 4 + pki->chain_len;
	const size_t auth_len = 64 + 64 + 2 + 4 + cert_body;
	EVP_PKEY *att = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct ds_buf q = { 0 };
	uint8_t *auth, *cert, *qe, *p;
	int r;

	if (!att)
		return ds_err(-EIO, "OpenSSL: generating the attestation key failed");
	r = ds_buf_alloc(&q, SIGNED_LEN + 4 + auth_len);
	if (r)
		goto out;
	fill_signed_part(q.data, m, report_data);
	ds_put_le32(q.data + SIGNED_LEN, (uint32_t)auth_len);
	auth = q.data + SIGNED_LEN + 4;
	cert = auth + 128;
	ds_put_le16(cert, 6);
	ds_put_le32(cert + 2, (uint32_t)cert_body);
	qe = cert + 6;
	p = qe + QE_REPORT_LEN + 64;
	ds_put_le16(p, QE_AUTH_LEN);                           /* QE auth data: 32 zero bytes */
	ds_put_le16(p + 2 + QE_AUTH_LEN, 5);
	ds_put_le32(p + 4 + QE_AUTH_LEN, (uint32_t)pki->chain_len);
	memcpy(p + 8 + QE_AUTH_LEN, pki->chain_pem, pki->chain_len);

	r = raw_public_key(att, auth + 64);
	r = r ?: fill_qe_report(qe, auth + 64, p + 2);
	r = r ?: sim_sign(pki->pck_key, qe, QE_REPORT_LEN, qe + QE_REPORT_LEN);
	r = r ?: sim_sign(att, q.data, SIGNED_LEN, auth);
	if (r == 0) {
		*quote = q;
		q = (struct ds_buf){ 0 };
	}
out:
	ds_buf_free(&q);
	EVP_PKEY_free(att);
	return r;
}
