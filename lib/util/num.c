#include "util/num.h"
#include "util/err.h"

#include <errno.h>

int ds_parse_int(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
	int negative = 0;
	uint64_t limit, v = 0;
	size_t i = 0;

	if (len == 0)
		return ds_err(-EINVAL, "cannot parse integer from empty string");
	if (s[0] == '+' || (s[0] == '-' && min < 0)) {
		negative = s[0] == '-';
		i = 1;
		if (len == 1)
			return ds_err(-EINVAL, "invalid digit found in string");
	}
	/* Magnitude bound on the side the sign selects. */
	limit = negative ? (uint64_t)(-(min + 1)) + 1 : (uint64_t)max;
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return ds_err(-EINVAL, "invalid digit found in string");
		if (d > limit || v > (limit - d) / 10)
			return ds_err(-ERANGE, "number too %s to fit in target type",
				      negative ? "small" : "large");
		v = v * 10 + d;
	}
	*out = negative ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}
