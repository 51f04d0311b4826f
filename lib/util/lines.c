#include "util/lines.h"
#include "util/err.h"

#include <ctype.h>
#include <string.h>

static int is_blank(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

int ds_for_each_line(const uint8_t *data, size_t len, ds_line_fn fn, void *ctx)
{
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const uint8_t *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		int r;

		lineno++;
		if (!is_blank(data + pos, n)) {
			r = fn(data + pos, n, ctx);
			if (r)
				return ds_err_ctx(r, "line %zu", lineno);
		}
		pos += n + 1;
	}
	return 0;
}

void ds_trim_space(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}
