#include "util/json_str.h"

#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

/* The escape of c as text, or NULL when c is written raw; \u00xx forms are
 * built in tmp. */
static const char *escape(unsigned char c, char tmp[7])
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\b': return "\\b";
	case '\f': return "\\f";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	}
	if (c >= 0x20)
		return NULL;
	memcpy(tmp, "\\u00", 4);
	tmp[4] = hex_digits[c >> 4];
	tmp[5] = hex_digits[c & 15];
	tmp[6] = '\0';
	return tmp;
}

size_t ds_json_str_len(const char *s, size_t len)
{
	size_t n = 2;
	char tmp[7];

	for (size_t i = 0; i < len; i++) {
		const char *e = escape((unsigned char)s[i], tmp);
		n += e ? strlen(e) : 1;
	}
	return n;
}

char *ds_json_str_put(char *out, const char *s, size_t len)
{
	char tmp[7];

	*out++ = '"';
	for (size_t i = 0; i < len; i++) {
		const char *e = escape((unsigned char)s[i], tmp);

		if (e) {
			memcpy(out, e, strlen(e));
			out += strlen(e);
		} else {
			*out++ = s[i];
		}
	}
	*out++ = '"';
	return out;
}
