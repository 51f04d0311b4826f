#include "setup/os_release.h"
#include "util/err.h"
#include "util/file.h"
#include "util/lines.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static char *unquote(const char *v, size_t len)
{
	char *out = malloc(len + 1), *o = out;

	if (!out)
		return NULL;
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		for (size_t i = 1; i < len - 1; i++) {
			if (v[i] == '\\')
				i++;
			*o++ = i < len - 1 ? v[i] : '\\';
		}
	} else if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
		memcpy(o, v + 1, len - 2);
		o += len - 2;
	} else {
		memcpy(o, v, len);
		o += len;
	}
	*o = '\0';
	return out;
}

int ds_os_release_value(const char *content, size_t len, const char *key, char **out)
{
	const char *end = content + len;

	*out = NULL;
	if (memchr(content, '\0', len) || !ds_utf8_valid((const uint8_t *)content, len))
		return ds_err(-EINVAL, "os-release is not valid UTF-8 text");
	for (const char *line = content; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = (size_t)((nl ? nl : end) - line);
		const char *s = line, *eq;

		line += n + 1;
		ds_trim_space(&s, &n);
		if (!n || *s == '#' || !(eq = memchr(s, '=', n)))
			continue;
		if ((size_t)(eq - s) == strlen(key) && !memcmp(s, key, strlen(key))) {
			const char *v = eq + 1;
			size_t vlen = n - (size_t)(v - s);

			ds_trim_space(&v, &vlen);
			*out = unquote(v, vlen);
			return *out ? 0 : ds_err(-ENOMEM, "out of memory");
		}
	}
	return 0;
}

int ds_os_release_version_id(const char *const *paths, char **out)
{
	*out = NULL;
	for (; *paths; paths++) {
		struct ds_buf text = { 0 };
		int r = ds_read_file(*paths, DS_OS_RELEASE_MAX, &text);

		if (r == -ENOENT) {
			ds_err_clear();
			continue;
		}
		if (r == 0)
			r = ds_os_release_value((const char *)text.data, text.len, "VERSION_ID", out);
		ds_buf_free(&text);
		if (r)
			return ds_err_ctx(r, "Failed to read %s", *paths);
		if (*out)
			return 0;
	}
	return ds_err(-ENOENT, "VERSION_ID not found in /etc/os-release or /usr/lib/os-release");
}
