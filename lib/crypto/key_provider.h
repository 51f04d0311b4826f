/* Key provider kinds (spec crypto-and-certs.md 3 and 5): their JSON names,
 * their mr_config v2 byte and their name in the key-provider event. */
#ifndef DS_CRYPTO_KEY_PROVIDER_H
#define DS_CRYPTO_KEY_PROVIDER_H

#include <stdint.h>

enum ds_key_provider_kind { DS_KP_NONE, DS_KP_LOCAL, DS_KP_KMS, DS_KP_TPM };

/* "none" | "local" | "kms" | "tpm" (serde snake_case of KeyProviderKind). */
int ds_key_provider_kind_parse(const char *name, enum ds_key_provider_kind *out);
/* mr_config v2 byte: None 0, Local 1, Kms 2, Tpm 3. */
uint8_t ds_key_provider_kind_byte(enum ds_key_provider_kind kind);
/* Name in the key-provider runtime event: none, local-sgx, kms, tpm. */
const char *ds_key_provider_event_name(enum ds_key_provider_kind kind);

#endif
