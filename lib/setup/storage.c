#include "setup/storage.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int parse_bool(const char *v, size_t len, int *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < 4; i++) {
		if (strlen(yes[i]) == len && !memcmp(v, yes[i], len))
			return *out = 1, 0;
		if (strlen(no[i]) == len && !memcmp(v, no[i], len))
			return *out = 0, 0;
	}
	return ds_err(-EINVAL, "invalid dstack.storage_encrypted value \"%.*s\"", (int)len, v);
}

static int parse_fs(const char *v, size_t len, enum ds_storage_fs *out)
{
	if (len == 3 && !strncasecmp(v, "zfs", 3))
		return *out = DS_STORAGE_FS_ZFS, 0;
	if (len == 4 && !strncasecmp(v, "ext4", 4))
		return *out = DS_STORAGE_FS_EXT4, 0;
	return ds_err(-EINVAL, "invalid dstack.storage_fs value \"%.*s\" (expected zfs or ext4)",
		      (int)len, v);
}

/* One whitespace-separated word key=value of the command line. */
static int apply_word(const char *w, size_t len, struct ds_storage_opts *out)
{
	static const char enc[] = "dstack.storage_encrypted=", fs[] = "dstack.storage_fs=";

	if (len >= sizeof(enc) - 1 && !memcmp(w, enc, sizeof(enc) - 1))
		return parse_bool(w + sizeof(enc) - 1, len - (sizeof(enc) - 1), &out->encrypted);
	if (len >= sizeof(fs) - 1 && !memcmp(w, fs, sizeof(fs) - 1))
		return parse_fs(w + sizeof(fs) - 1, len - (sizeof(fs) - 1), &out->fs);
	return 0;
}

int ds_storage_opts_parse(const char *cmdline, enum ds_storage_fs compose_fs,
			  struct ds_storage_opts *out)
{
	const char *p = cmdline;
	int r = 0;

	*out = (struct ds_storage_opts){ .encrypted = 1, .fs = DS_STORAGE_FS_ZFS };
	while (r == 0 && *p) {
		size_t len = strcspn(p, " \t\n");

		r = apply_word(p, len, out);
		p += len;
		p += strspn(p, " \t\n");
	}
	if (r == 0 && compose_fs != DS_STORAGE_FS_UNSET)
		out->fs = compose_fs;
	return r ? ds_err_ctx(r, "Failed to parse the storage options") : 0;
}

int ds_storage_opts_load(enum ds_storage_fs compose_fs, struct ds_storage_opts *out)
{
	const char *path = "/proc/cmdline";
	struct ds_buf raw = { 0 };
	char *text = NULL;
	int r = ds_env_path(DS_CMDLINE_FILE_ENV, &path);

	if (r)
		return r;
	if (!path)
		path = "/proc/cmdline";
	r = ds_read_file(path, DS_CMDLINE_MAX, &raw);
	if (r == 0 && memchr(raw.data, 0, raw.len))
		r = ds_err(-EINVAL, "%s contains a NUL byte", path);
	if (r == 0 && !(text = strndup((const char *)raw.data, raw.len)))
		r = ds_err(-ENOMEM, "out of memory");
	if (r == 0)
		r = ds_storage_opts_parse(text, compose_fs, out);
	free(text);
	ds_buf_free(&raw);
	return r ? ds_err_ctx(r, "Failed to read the kernel command line %s", path) : 0;
}

const char *ds_storage_fs_name(enum ds_storage_fs fs)
{
	return fs == DS_STORAGE_FS_EXT4 ? "ext4" : "zfs";
}
