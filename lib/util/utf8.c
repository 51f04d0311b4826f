#include "util/utf8.h"

/* Length of the sequence starting with lead byte b and the allowed range
 * of its second byte (which excludes overlongs and surrogates). */
static int sequence(uint8_t b, uint8_t *lo, uint8_t *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (b >= 0xC2 && b <= 0xDF)
		return 2;
	if (b >= 0xE0 && b <= 0xEF) {
		if (b == 0xE0)
			*lo = 0xA0;
		if (b == 0xED)
			*hi = 0x9F;
		return 3;
	}
	if (b >= 0xF0 && b <= 0xF4) {
		if (b == 0xF0)
			*lo = 0x90;
		if (b == 0xF4)
			*hi = 0x8F;
		return 4;
	}
	return 0;
}

int ds_utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t lo, hi;
		int n;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = sequence(s[i], &lo, &hi);
		if (n == 0 || len - i < (size_t)n || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (int k = 2; k < n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += (size_t)n;
	}
	return 1;
}
