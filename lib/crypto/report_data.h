/* Binding data into a quote's 64-byte report data (spec crypto-and-certs.md
 * 1.10): hash(tag ":" content), zero-padded to 64 bytes. */
#ifndef DS_CRYPTO_REPORT_DATA_H
#define DS_CRYPTO_REPORT_DATA_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#define DS_REPORT_DATA_LEN 64

#define DS_TAG_RATLS_CERT "ratls-cert"   /* RA-TLS and App Root certificates */
#define DS_TAG_KMS_ROOT_CA "kms-root-ca" /* gen-ca-cert */
#define DS_TAG_APP_DATA "app-data"       /* guest-agent default */

/* SHA512(tag ":" content): the binding every certificate uses. */
int ds_report_data(const char *tag, const uint8_t *content, size_t len,
		   uint8_t out[DS_REPORT_DATA_LEN]);
/* The same with a named hash: sha256, sha384, sha512 (also ""), sha3-256,
 * sha3-384, sha3-512, keccak256, keccak384, keccak512; or raw, where content
 * must be exactly 64 bytes and is used as is, without the tag. */
int ds_report_data_with_hash(const char *hash, const char *tag, const uint8_t *content,
			     size_t len, uint8_t out[DS_REPORT_DATA_LEN]);
/* SHA512(tag ":" SubjectPublicKeyInfo DER of key). */
int ds_report_data_for_key(const char *tag, EVP_PKEY *key, uint8_t out[DS_REPORT_DATA_LEN]);

#endif
