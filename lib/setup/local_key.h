/* The local SGX key provider, reached through the host API (spec
 * system-setup.md 4.3). */
#ifndef DS_SETUP_LOCAL_KEY_H
#define DS_SETUP_LOCAL_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/appkeys.h"
#include "hostapi/host_api.h"

#define DS_SGX_MR_LEN 32

/* The checks of the provider's SGX quote that need no DCAP collateral: an
 * SGX quote, not a debug enclave, report_data[0..32] = sha256(encrypted
 * key); mr receives MRENCLAVE, the provider id. The quote's signature and
 * TCB are NOT verified here (no DCAP verifier is available to this code). */
int ds_local_provider_quote_check(const uint8_t *quote, size_t len, const uint8_t *encrypted_key,
				  size_t key_len, uint8_t mr[DS_SGX_MR_LEN]);

/* GetSealingKey with a quote over a fresh X25519 key, the sealed seed
 * opened, app keys derived from it with provider Local{key, mr}. */
int ds_local_key_get(const struct ds_host_api *api, struct ds_app_keys *out);

#endif
