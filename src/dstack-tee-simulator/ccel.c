/* A short replay of the TDVF CCEL (TCG2 crypto-agile log), enough to derive
 * the boot RTMRs: header event skipped, events up to the 0xFFFFFFFF
 * terminator, MR index 0 dropped, one 48-byte digest per event. */
#include "sim.h"
#include "util/endian.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/evp.h>
#include <string.h>

#define MAX_COUNT 65536

struct cursor {
	const uint8_t *p;
	size_t left;
};

static int take(struct cursor *c, size_t n, const uint8_t **out)
{
	if (c->left < n)
		return ds_err(-EINVAL, "CCEL truncated");
	*out = c->p;
	c->p += n;
	c->left -= n;
	return 0;
}

static int u32(struct cursor *c, uint32_t *v)
{
	const uint8_t *p = NULL;
	int r = take(c, 4, &p);

	if (r == 0)
		*v = ds_get_le32(p);
	return r;
}

static int digest_size(uint16_t alg, size_t *size)
{
	switch (alg) {
	case 0x0004: *size = 20; return 0;
	case 0x000B: *size = 32; return 0;
	case 0x000C: *size = 48; return 0;
	case 0x000D: *size = 64; return 0;
	}
	return ds_err(-EINVAL, "CCEL: unsupported algorithm ID 0x%04x", alg);
}

/* One TCG_PCR_EVENT2 after its MR index; *digest is its single digest. */
static int event(struct cursor *c, const uint8_t **digest, size_t *digest_len)
{
	const uint8_t *p = NULL;
	uint32_t type, count, size;
	int r = u32(c, &type) ?: u32(c, &count);

	if (r == 0 && count > MAX_COUNT)
		r = ds_err(-EINVAL, "CCEL: digest count %u too large", count);
	for (uint32_t i = 0; r == 0 && i < count; i++) {
		r = take(c, 2, &p) ?: digest_size(ds_get_le16(p), digest_len);
		r = r ?: take(c, *digest_len, digest);
	}
	r = r ?: u32(c, &size);
	if (r == 0 && size > MAX_COUNT)
		r = ds_err(-EINVAL, "CCEL: event size %u too large", size);
	r = r ?: take(c, size, &p);
	if (r == 0 && count != 1)
		r = ds_err(-EINVAL, "CCEL: expected 1 digest, got %u", count);
	return r;
}

int sim_ccel_replay(const uint8_t *ccel, size_t len, uint8_t rtmr[4][48])
{
	struct cursor c = { ccel, len };
	const uint8_t *skip, *digest = NULL;
	uint8_t buf[96];
	uint32_t header_size, mr;
	size_t digest_len = 0;
	int r;

	memset(rtmr, 0, 4 * 48);
	/* Spec ID header: pcr, type, SHA-1 digest, size, data (not used). */
	r = take(&c, 28, &skip) ?: u32(&c, &header_size);
	r = r ?: take(&c, header_size, &skip);
	while (r == 0) {
		r = u32(&c, &mr);
		if (r || mr == 0xFFFFFFFFu)
			break;
		r = event(&c, &digest, &digest_len);
		if (r || mr == 0)
			continue;
		if (mr > 4 || digest_len != 48) {
			r = ds_err(-EINVAL, "CCEL event for MR %u with a %zu-byte digest", mr, digest_len);
			break;
		}
		memcpy(buf, rtmr[mr - 1], 48);
		memcpy(buf + 48, digest, 48);
		if (!EVP_Digest(buf, sizeof(buf), rtmr[mr - 1], NULL, EVP_sha384(), NULL))
			r = ds_err(-EIO, "SHA-384 failed");
	}
	return r ? ds_err_ctx(r, "failed to replay the CCEL") : 0;
}
