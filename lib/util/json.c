#include "util/json.h"
#include "util/err.h"

#include <ctype.h>
#include <errno.h>

/* In jansson's output a backslash always starts an escape, so every "\u"
 * here is an escape of a control character. */
static void lowercase_unicode_escapes(char *s)
{
	while (*s) {
		if (*s++ != '\\' || !*s)
			continue;
		if (*s == 'u')
			for (int i = 1; i < 5 && s[i]; i++)
				s[i] = (char)tolower((unsigned char)s[i]);
		s++;
	}
}

int ds_json_dump(const json_t *v, enum ds_json_style style, char **out)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		       (style == DS_JSON_PRETTY ? JSON_INDENT(2) : JSON_COMPACT);

	*out = json_dumps(v, flags);
	if (!*out)
		return ds_err(-ENOMEM, "failed to serialize JSON");
	lowercase_unicode_escapes(*out);
	return 0;
}
