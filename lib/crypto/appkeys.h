/* The app keys file (spec crypto-and-certs.md 1.6, 3): upstream's AppKeys
 * JSON, read with any whitespace and unknown fields ignored, written compact
 * in upstream's field order, so files move between the implementations. It
 * holds private keys: saved 0600 atomically, wiped when freed. */
#ifndef DS_CRYPTO_APPKEYS_H
#define DS_CRYPTO_APPKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/key_provider.h"
#include "crypto/ratls.h"
#include "util/buf.h"

/* Largest app keys file read. */
#define DS_APP_KEYS_MAX (1u << 20)

/* The externally tagged key_provider: {"None":{..}} etc. */
struct ds_key_provider {
	enum ds_key_provider_kind kind;
	char *key;              /* None, Local, Tpm: PKCS#8 PEM of the app key (secret) */
	struct ds_buf mr;       /* Local: MRENCLAVE of the key provider */
	struct ds_buf pubkey;   /* Tpm: SPKI of the app key; Kms: SPKI of the KMS root CA */
	char *url;              /* Kms: KMS URL ending in /prpc */
	char *tmp_ca_key;       /* Kms: PEM (secret) */
	char *tmp_ca_cert;      /* Kms: PEM */
};

struct ds_app_keys {
	struct ds_buf disk_crypt_key;   /* 32 bytes; LUKS passphrase is its hex */
	struct ds_buf env_crypt_key;    /* X25519 secret, 32 bytes or empty */
	struct ds_buf k256_key;         /* secp256k1 scalar, 32 bytes */
	struct ds_buf k256_signature;   /* KMS signature, 65 bytes or empty */
	char *gateway_app_id;
	char *ca_cert;                  /* PEM */
	struct ds_key_provider key_provider;
};

/* Parses an app keys document; the byte fields must have the sizes noted
 * above. On failure out is left empty. */
int ds_app_keys_parse(const char *json, size_t len, struct ds_app_keys *out);
int ds_app_keys_load(const char *path, struct ds_app_keys *out);
/* Compact JSON (serde_json::to_string), no trailing newline; a secret. */
int ds_app_keys_serialize(const struct ds_app_keys *keys, struct ds_buf *out);
/* Serializes and writes path with mode 0600, atomically. */
int ds_app_keys_save(const char *path, const struct ds_app_keys *keys);
void ds_app_keys_free(struct ds_app_keys *keys);

/* The provider id used by mr_config and the key-provider event: Kms pubkey,
 * Local mr, empty for None and Tpm. */
void ds_app_keys_provider_id(const struct ds_app_keys *keys, const uint8_t **id, size_t *len);

/* The payload of the key-provider runtime event: compact JSON
 * {"name":N,"id":hex(provider id)} with N = none, local-sgx, kms or tpm. */
int ds_app_keys_provider_event(const struct ds_app_keys *keys, struct ds_buf *out);

#define DS_APP_KEYS_SEED_LEN 32

/* gen_app_keys_from_seed (1.6) from exactly 32 seed bytes, for provider None, Local (mr required) or
 * Tpm; Kms keys cannot be made locally. The App Root Cert gets ca_level 1. */
int ds_app_keys_from_seed(const uint8_t *seed, size_t seed_len, enum ds_key_provider_kind kind,
			  const uint8_t *mr, size_t mr_len, const struct ds_attester *att,
			  struct ds_app_keys *out);
/* gen-app-keys: random app, disk and k256 keys, provider None. */
int ds_app_keys_generate(uint8_t ca_level, const struct ds_attester *att,
			 struct ds_app_keys *out);

#endif
