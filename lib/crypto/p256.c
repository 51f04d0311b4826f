#include "crypto/p256.h"
#include "crypto/ossl.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

/* Q = d*G as an uncompressed point; d is already known to be in range. */
static int public_point(const BIGNUM *d, uint8_t out[DS_P256_POINT_LEN])
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *q = group ? EC_POINT_new(group) : NULL;
	int r = 0;

	if (!q || !EC_POINT_mul(group, q, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, out, DS_P256_POINT_LEN,
			       NULL) != DS_P256_POINT_LEN)
		r = ds_ossl_err(-EIO, "failed to compute the P-256 public key");
	EC_POINT_free(q);
	EC_GROUP_free(group);
	return r;
}

static int scalar_in_range(const BIGNUM *d)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	int ok = group && !BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(group)) < 0;

	EC_GROUP_free(group);
	return ok;
}

/* fromdata does not derive the public key, and OpenSSL 3.0 encodes no
 * PrivateKeyInfo without it, so both halves are supplied. */
static int keypair_from(const BIGNUM *d, const uint8_t point[DS_P256_POINT_LEN], EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int r = -EIO;

	*out = NULL;
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
					      DS_P256_POINT_LEN) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_KEYPAIR, params) != 1)
		r = ds_ossl_err(-EIO, "failed to build a P-256 key pair");
	else
		r = 0;
	EVP_PKEY_CTX_free(ctx);
	/* d is a secure BIGNUM, so its copy sits in the secure heap, which
	 * OSSL_PARAM_free clears. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

int ds_p256_from_scalar(const uint8_t d_bytes[DS_P256_SCALAR_LEN], EVP_PKEY **out)
{
	uint8_t point[DS_P256_POINT_LEN];
	BIGNUM *d = BN_secure_new();
	int r;

	*out = NULL;
	if (!d || !BN_bin2bn(d_bytes, DS_P256_SCALAR_LEN, d)) {
		r = ds_ossl_err(-ENOMEM, "out of memory");
		goto out;
	}
	if (!scalar_in_range(d)) {
		r = ds_err(-EINVAL, "P-256 secret key out of range");
		goto out;
	}
	r = public_point(d, point);
	if (r == 0)
		r = keypair_from(d, point, out);
out:
	BN_clear_free(d);
	return r;
}

int ds_p256_derive_from_bytes(const uint8_t *sk, size_t sk_len, const struct ds_slice *context,
			      size_t n, EVP_PKEY **out)
{
	uint8_t d[DS_P256_SCALAR_LEN];
	int r;

	*out = NULL;
	r = ds_derive_key(sk, sk_len, context, n, d, sizeof(d));
	if (r == 0 && (r = ds_p256_from_scalar(d, out)))
		ds_err_ctx(r, "failed to decode derived secret key");
	OPENSSL_cleanse(d, sizeof(d));
	return r;
}

int ds_p256_derive_from_key(EVP_PKEY *from, const struct ds_slice *context, size_t n,
			    EVP_PKEY **out)
{
	uint8_t d[DS_P256_SCALAR_LEN];
	int r;

	*out = NULL;
	r = ds_p256_scalar(from, d);
	if (r == 0)
		r = ds_p256_derive_from_bytes(d, sizeof(d), context, n, out);
	OPENSSL_cleanse(d, sizeof(d));
	return r;
}

int ds_p256_dh_secret(EVP_PKEY *from, const struct ds_slice *context, size_t n,
		      uint8_t out[32])
{
	struct ds_buf der = { 0 };
	EVP_PKEY *key = NULL;
	int r;

	r = ds_p256_derive_from_key(from, context, n, &key);
	if (r == 0)
		r = ds_p256_pkcs8_der(key, &der);
	if (r == 0 && !EVP_Digest(der.data, der.len, out, NULL, EVP_sha256(), NULL))
		r = ds_ossl_err(-EIO, "SHA-256 failed");
	ds_buf_wipe(&der);
	EVP_PKEY_free(key);
	return r;
}

int ds_p256_generate(EVP_PKEY **out)
{
	*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	return *out ? 0 : ds_ossl_err(-EIO, "failed to generate a P-256 key");
}

int ds_p256_scalar(EVP_PKEY *key, uint8_t d[DS_P256_SCALAR_LEN])
{
	BIGNUM *bn = NULL;
	int r = 0;

	if (!ds_p256_is_p256(key) || !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &bn) ||
	    BN_bn2binpad(bn, d, DS_P256_SCALAR_LEN) != DS_P256_SCALAR_LEN)
		r = ds_ossl_err(-EINVAL, "not a P-256 private key");
	BN_clear_free(bn);
	return r;
}

int ds_p256_pkcs8_der(EVP_PKEY *key, struct ds_buf *out)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
	unsigned char *der = NULL;
	int len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
	int r;

	if (len != DS_P256_PKCS8_LEN)
		r = ds_ossl_err(-EIO, "failed to encode the P-256 key as PKCS#8");
	else
		r = ds_buf_set(out, der, (size_t)len);
	if (der)
		OPENSSL_clear_free(der, len > 0 ? (size_t)len : 0);
	PKCS8_PRIV_KEY_INFO_free(p8);
	return r;
}

int ds_p256_pkcs8_pem(EVP_PKEY *key, struct ds_buf *out)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int r;

	if (!bio || !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
		r = ds_ossl_err(-EIO, "failed to encode the private key as PEM");
	else
		r = ds_bio_text(bio, out);
	BIO_free(bio);
	return r;
}

int ds_p256_spki_der(EVP_PKEY *key, uint8_t out[DS_P256_SPKI_LEN])
{
	unsigned char *p = out;

	if (!ds_p256_is_p256(key) || i2d_PUBKEY(key, NULL) != DS_P256_SPKI_LEN ||
	    i2d_PUBKEY(key, &p) != DS_P256_SPKI_LEN)
		return ds_ossl_err(-EINVAL, "failed to encode the P-256 public key");
	return 0;
}

int ds_p256_public_point(EVP_PKEY *key, uint8_t out[DS_P256_POINT_LEN])
{
	uint8_t spki[DS_P256_SPKI_LEN];
	int r = ds_p256_spki_der(key, spki);

	/* The SPKI ends with the BIT STRING holding the uncompressed point. */
	if (r == 0)
		memcpy(out, spki + DS_P256_SPKI_LEN - DS_P256_POINT_LEN, DS_P256_POINT_LEN);
	return r;
}

/* Encrypted PEM keys are not supported: never prompt for a passphrase. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

int ds_p256_from_pem(const char *pem, size_t len, EVP_PKEY **out)
{
	BIO *bio;
	int r = 0;

	*out = NULL;
	if (len > INT32_MAX)
		return ds_err(-EFBIG, "PEM private key too large");
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio || !(*out = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL)))
		r = ds_ossl_err(-EINVAL, "failed to parse the PEM private key");
	else if (!ds_p256_is_p256(*out)) {
		EVP_PKEY_free(*out);
		*out = NULL;
		r = ds_err(-EINVAL, "the private key is not a P-256 key");
	}
	BIO_free(bio);
	return r;
}

int ds_p256_is_p256(EVP_PKEY *key)
{
	char group[32];

	return key && EVP_PKEY_is_a(key, "EC") &&
	       EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					      NULL) &&
	       strcmp(group, "prime256v1") == 0;
}
