#include "luks/luks2_header.h"
#include "luks/luks2_json.h"
#include "util/endian.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/evp.h>
#include <string.h>

/* Offsets in the 4096-byte binary header (big-endian integers). */
enum {
	OFF_MAGIC = 0, OFF_VERSION = 6, OFF_HDR_SIZE = 8, OFF_SEQID = 16, OFF_LABEL = 24,
	OFF_CSUM_ALG = 72, OFF_SALT = 104, OFF_UUID = 168, OFF_SUBSYSTEM = 208,
	OFF_HDR_OFFSET = 256, OFF_PAD1 = 264, OFF_CSUM = 448, OFF_PAD2 = 512,
};
#define LABEL_LEN 48
#define CSUM_ALG_LEN 32
#define UUID_LEN 40
#define CSUM_LEN 64

static const uint8_t magics[2][6] = {
	{ 'L', 'U', 'K', 'S', 0xba, 0xbe },
	{ 'S', 'K', 'U', 'L', 0xba, 0xbe },
};

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* The metadata sizes libcryptsetup can write: 16 KiB to 4 MiB, powers of two. */
static int valid_hdr_size(uint64_t size)
{
	return size >= (16u << 10) && size <= (4u << 20) && (size & (size - 1)) == 0;
}

static int check_fields(const uint8_t *h, unsigned index, uint64_t *hdr_size)
{
	static const char csum_alg[CSUM_ALG_LEN] = "sha256";
	uint64_t size = ds_get_be64(h + OFF_HDR_SIZE);

	if (memcmp(h + OFF_MAGIC, magics[index], sizeof(magics[index])))
		return ds_err(-EINVAL, "Invalid LUKS magic in header %u", index);
	if (h[OFF_VERSION] != 0 || h[OFF_VERSION + 1] != 2)
		return ds_err(-EINVAL, "Invalid LUKS version: %u (header %u)",
			      (unsigned)h[OFF_VERSION] << 8 | h[OFF_VERSION + 1], index);
	if (!valid_hdr_size(size))
		return ds_err(-EINVAL, "Invalid LUKS header size: %llu (header %u)",
			      (unsigned long long)size, index);
	if (!all_zero(h + OFF_LABEL, LABEL_LEN))
		return ds_err(-EINVAL, "Invalid LUKS label (header %u)", index);
	if (memcmp(h + OFF_CSUM_ALG, csum_alg, CSUM_ALG_LEN))
		return ds_err(-EINVAL, "Invalid LUKS checksum algorithm (header %u)", index);
	if (!all_zero(h + OFF_SUBSYSTEM, LABEL_LEN))
		return ds_err(-EINVAL, "Invalid LUKS subsystem (header %u)", index);
	if (ds_get_be64(h + OFF_HDR_OFFSET) != index * size)
		return ds_err(-EINVAL, "Invalid LUKS header offset: %llu (header %u)",
			      (unsigned long long)ds_get_be64(h + OFF_HDR_OFFSET), index);
	if (!all_zero(h + OFF_PAD1, OFF_CSUM - OFF_PAD1) ||
	    !all_zero(h + OFF_PAD2, DS_LUKS2_BINARY_HEADER_SIZE - OFF_PAD2))
		return ds_err(-EINVAL, "Invalid LUKS header padding (header %u)", index);
	*hdr_size = size;
	return 0;
}

/* SHA-256 over the whole header area with the checksum field zeroed. */
static int check_checksum(const uint8_t *h, uint64_t size, unsigned index)
{
	static const uint8_t zero[CSUM_LEN];
	uint8_t digest[32];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, h, OFF_CSUM) && EVP_DigestUpdate(ctx, zero, CSUM_LEN) &&
	     EVP_DigestUpdate(ctx, h + OFF_PAD2, size - OFF_PAD2) &&
	     EVP_DigestFinal_ex(ctx, digest, NULL);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return ds_err(-ENOMEM, "SHA-256 of the LUKS header failed");
	if (memcmp(digest, h + OFF_CSUM, sizeof(digest)) ||
	    !all_zero(h + OFF_CSUM + sizeof(digest), CSUM_LEN - sizeof(digest)))
		return ds_err(-EBADMSG, "Invalid LUKS header checksum (header %u)", index);
	return 0;
}

/* Both copies must say the same thing, so it cannot matter which one
 * libcryptsetup later prefers. */
static int check_copies_agree(const uint8_t *h0, const uint8_t *h1, uint64_t size)
{
	if (ds_get_be64(h0 + OFF_SEQID) != ds_get_be64(h1 + OFF_SEQID))
		return ds_err(-EINVAL, "LUKS header copies have different sequence ids");
	if (memcmp(h0 + OFF_UUID, h1 + OFF_UUID, UUID_LEN))
		return ds_err(-EINVAL, "LUKS header copies have different UUIDs");
	if (memcmp(h0 + DS_LUKS2_BINARY_HEADER_SIZE, h1 + DS_LUKS2_BINARY_HEADER_SIZE,
		   size - DS_LUKS2_BINARY_HEADER_SIZE))
		return ds_err(-EINVAL, "LUKS header copies have different metadata");
	return 0;
}

static int check_json_area(const uint8_t *h, uint64_t size)
{
	const uint8_t *area = h + DS_LUKS2_BINARY_HEADER_SIZE;
	size_t area_len = size - DS_LUKS2_BINARY_HEADER_SIZE;
	const uint8_t *nul = memchr(area, 0, area_len);

	if (!nul)
		return ds_err(-EINVAL, "LUKS JSON area is not NUL-terminated");
	if (!all_zero(nul, area_len - (size_t)(nul - area)))
		return ds_err(-EINVAL, "LUKS JSON area has data after its end");
	return ds_luks2_validate_json((const char *)area, (size_t)(nul - area), size);
}

int ds_luks2_validate(const uint8_t *data, size_t len)
{
	uint64_t size0, size1;
	int r;

	if (len < DS_LUKS2_BINARY_HEADER_SIZE)
		return ds_err(-EINVAL, "LUKS header area too short: %zu bytes", len);
	r = check_fields(data, 0, &size0);
	if (r)
		return r;
	/* size0 <= 4 MiB, so doubling it cannot overflow. */
	if (len / 2 < size0)
		return ds_err(-EINVAL, "LUKS header area too short for two %llu-byte headers",
			      (unsigned long long)size0);
	r = check_fields(data + size0, 1, &size1);
	if (r == 0 && size1 != size0)
		r = ds_err(-EINVAL, "LUKS header copies have different sizes");
	if (r == 0)
		r = check_checksum(data, size0, 0);
	if (r == 0)
		r = check_checksum(data + size0, size0, 1);
	if (r == 0)
		r = check_copies_agree(data, data + size0, size0);
	if (r == 0)
		r = check_json_area(data, size0);
	return r;
}
