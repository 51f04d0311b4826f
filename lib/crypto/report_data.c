#include "crypto/report_data.h"
#include "crypto/keccak.h"
#include "crypto/ossl.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/x509.h>
#include <string.h>

static const struct {
	const char *name;
	const char *openssl;    /* NULL: Keccak with keccak_len output bytes */
	size_t keccak_len;
} hashes[] = {
	{ "sha256", "SHA256", 0 },   { "sha384", "SHA384", 0 },     { "sha512", "SHA512", 0 },
	{ "sha3-256", "SHA3-256", 0 }, { "sha3-384", "SHA3-384", 0 }, { "sha3-512", "SHA3-512", 0 },
	{ "keccak256", NULL, 32 },   { "keccak384", NULL, 48 },     { "keccak512", NULL, 64 },
};

static int digest_openssl(const char *md_name, const char *tag, const uint8_t *content,
			  size_t len, uint8_t out[DS_REPORT_DATA_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, md_name, NULL);
	int r = 0;

	if (!ctx || !md || !EVP_DigestInit_ex(ctx, md, NULL) ||
	    !EVP_DigestUpdate(ctx, tag, strlen(tag)) || !EVP_DigestUpdate(ctx, ":", 1) ||
	    !EVP_DigestUpdate(ctx, content, len) || !EVP_DigestFinal_ex(ctx, out, NULL))
		r = ds_ossl_err(-EIO, "report data hash failed");
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	return r;
}

int ds_report_data_with_hash(const char *hash, const char *tag, const uint8_t *content,
			     size_t len, uint8_t out[DS_REPORT_DATA_LEN])
{
	struct ds_keccak k;

	memset(out, 0, DS_REPORT_DATA_LEN);
	if (!strcmp(hash, "raw")) {
		if (len != DS_REPORT_DATA_LEN)
			return ds_err(-EINVAL, "invalid content length");
		memcpy(out, content, len);
		return 0;
	}
	if (!*hash)
		hash = "sha512";
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		if (strcmp(hash, hashes[i].name))
			continue;
		if (hashes[i].openssl)
			return digest_openssl(hashes[i].openssl, tag, content, len, out);
		ds_keccak_init(&k, hashes[i].keccak_len);
		ds_keccak_update(&k, tag, strlen(tag));
		ds_keccak_update(&k, ":", 1);
		ds_keccak_update(&k, content, len);
		ds_keccak_final(&k, out);
		return 0;
	}
	return ds_err(-EINVAL, "invalid hash algorithm");
}

int ds_report_data(const char *tag, const uint8_t *content, size_t len,
		   uint8_t out[DS_REPORT_DATA_LEN])
{
	return ds_report_data_with_hash("sha512", tag, content, len, out);
}

int ds_report_data_for_key(const char *tag, EVP_PKEY *key, uint8_t out[DS_REPORT_DATA_LEN])
{
	unsigned char *spki = NULL;
	int len = i2d_PUBKEY(key, &spki), r;

	if (len <= 0)
		return ds_ossl_err(-EINVAL, "failed to encode the public key");
	r = ds_report_data(tag, spki, (size_t)len, out);
	OPENSSL_free(spki);
	return r;
}
