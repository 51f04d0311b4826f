/* mr_config_id (spec crypto-and-certs.md 5): the 48-byte TDX MRCONFIGID
 * layouts v1, v2 and v3, the v3 JSON document check, and setup's
 * verification against the values the guest observed. */
#ifndef DS_CRYPTO_MR_CONFIG_H
#define DS_CRYPTO_MR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/key_provider.h"

#define DS_MR_CONFIG_ID_LEN 48
#define DS_MR_CONFIG_MAX_INIT_SCRIPTS 5

/* What the guest knows locally (pointers are borrowed). */
struct ds_mr_local {
	const uint8_t *compose_hash;        /* 32 bytes */
	const uint8_t *app_id;              /* 20 bytes */
	const uint8_t *instance_id;         /* may be empty */
	size_t instance_id_len;
	enum ds_key_provider_kind key_provider;
	const uint8_t *key_provider_id;     /* from the app keys; may be empty */
	size_t key_provider_id_len;
	const uint8_t *gpu_policy_hash;     /* 32 bytes */
	const uint8_t (*init_script_hashes)[32];
	size_t init_script_hashes_len;
};

/* 01 || compose_hash || 15 zero bytes. */
void ds_mr_config_v1(const uint8_t compose_hash[32], uint8_t out[DS_MR_CONFIG_ID_LEN]);
/* 02 || Keccak256(compose_hash || app_id || kind byte || provider id) || 0*15. */
void ds_mr_config_v2(const struct ds_mr_local *local, uint8_t out[DS_MR_CONFIG_ID_LEN]);
/* SHA256("dstack-mr-config-v3:" 00 || document) over the exact bytes given:
 * the SEV-SNP HOST_DATA. */
int ds_mr_config_v3_hash(const char *doc, size_t len, uint8_t out[32]);
/* 03 || that hash || 15 zero bytes. */
int ds_mr_config_v3(const char *doc, size_t len, uint8_t out[DS_MR_CONFIG_ID_LEN]);
/* Parses a v3 document (unknown fields rejected) and compares it with the
 * local values: version 3, compose_hash and key_provider always; app_id,
 * instance_id, key_provider_id, gpu_policy_hash, init_script_hashes only
 * when present. */
int ds_mr_config_check_document(const char *doc, size_t len, const struct ds_mr_local *local);
/* Setup's TDX check of a quote's mr_config_id: all zero is accepted; v1, v2
 * and v3 must equal what the local values give; v3 needs the document (NULL
 * when the sys-config has none). */
int ds_mr_config_verify_tdx(const uint8_t id[DS_MR_CONFIG_ID_LEN], const char *doc,
			    size_t doc_len, const struct ds_mr_local *local);

#endif
