/* Small glue between OpenSSL and the error/buffer conventions of libdstack. */
#ifndef DS_CRYPTO_OSSL_H
#define DS_CRYPTO_OSSL_H

#include <openssl/bio.h>

#include "util/buf.h"

/* Starts an error chain with msg and the reason of OpenSSL's most recent
 * error (if any), then empties OpenSSL's error queue; returns code. */
int ds_ossl_err(int code, const char *msg);
/* Copies what was written to a memory BIO into out as NUL-terminated text
 * (out->len excludes the NUL). The BIO's own memory is cleared when freed. */
int ds_bio_text(BIO *bio, struct ds_buf *out);

#endif
