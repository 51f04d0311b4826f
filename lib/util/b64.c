#include "util/b64.h"
#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

char *ds_b64_encode(const uint8_t *data, size_t len)
{
	size_t out_len;
	char *out;

	if (len > (size_t)INT_MAX / 4 * 3)
		return NULL;
	out_len = (len + 2) / 3 * 4;
	out = malloc(out_len + 1);
	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	out[out_len] = '\0';
	return out;
}

static int is_alphabet(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/';
}

int ds_b64_decode(const char *s, size_t slen, struct ds_buf *out)
{
	size_t pad = 0;
	uint8_t *p;
	int n;

	if (slen % 4)
		return ds_err(-EINVAL, "Invalid base64 length %zu", slen);
	if (slen > (size_t)INT_MAX)
		return ds_err(-EFBIG, "base64 input too large");
	if (slen && s[slen - 1] == '=')
		pad = (slen >= 2 && s[slen - 2] == '=') ? 2 : 1;
	for (size_t i = 0; i < slen - pad; i++)
		if (!is_alphabet(s[i]))
			return ds_err(-EINVAL, "Invalid base64 symbol at offset %zu", i);
	p = malloc(slen / 4 * 3 + 1);
	if (!p)
		return ds_err(-ENOMEM, "out of memory decoding base64");
	n = EVP_DecodeBlock(p, (const unsigned char *)s, (int)slen);
	if (n < 0) {
		free(p);
		return ds_err(-EINVAL, "Invalid base64");
	}
	out->data = p;
	out->len = (size_t)n - pad;
	return 0;
}
