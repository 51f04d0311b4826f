/* A reusable SHA-384 context for measurement registers: the digest is
 * fetched once and the context re-initialised per hash, so long replays pay
 * no per-event allocation or algorithm lookup. */
#ifndef DS_ATTEST_SHA384_H
#define DS_ATTEST_SHA384_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/types.h>

#define DS_SHA384_LEN 48

struct ds_sha384 {
	EVP_MD_CTX *ctx;
};

int ds_sha384_init(struct ds_sha384 *h);
void ds_sha384_free(struct ds_sha384 *h);
int ds_sha384_begin(struct ds_sha384 *h);
int ds_sha384_update(struct ds_sha384 *h, const void *data, size_t len);
int ds_sha384_end(struct ds_sha384 *h, uint8_t out[DS_SHA384_LEN]);
/* mr := SHA384(mr || digest) */
int ds_sha384_extend(struct ds_sha384 *h, uint8_t mr[DS_SHA384_LEN], const uint8_t *digest,
		     size_t len);

#endif
