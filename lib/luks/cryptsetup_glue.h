/* What every libcryptsetup call here shares (internal to lib/luks). */
#ifndef DS_LUKS_CRYPTSETUP_GLUE_H
#define DS_LUKS_CRYPTSETUP_GLUE_H

#include "luks/cryptsetup_lib.h"
#include <stddef.h>
#include <stdint.h>

/* Sends libcryptsetup's messages (for cd, or the global ones with NULL) to
 * our log instead of stderr, keeping the last error for ds_cs_error(). */
void ds_cs_log_attach(const struct ds_cs *cs, struct crypt_device *cd);
/* Records "what: <last libcryptsetup error or strerror(-r)>"; returns r. */
int ds_cs_error(int r, const char *what);

/* The passphrase hex(key), NUL-terminated in out (size >= 2 * key_len + 1).
 * The caller wipes it with OPENSSL_cleanse. */
int ds_luks_passphrase(const uint8_t *key, size_t key_len, char *out, size_t size);

#endif
