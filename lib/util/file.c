#include "util/file.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ds_read_fd_prefix(int fd, size_t max, struct ds_buf *out, int *more)
{
	struct ds_buf b = { 0 };
	uint8_t chunk[8192];
	int r;

	*more = 0;
	r = ds_buf_alloc(&b, 0);
	if (r)
		return r;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		size_t take;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = ds_err(-errno, "read failed: %s", strerror(errno));
			ds_buf_wipe(&b);
			return r;
		}
		if (n == 0)
			break;
		take = (size_t)n;
		if (take > max - b.len) {
			take = max - b.len;
			*more = 1;
		}
		r = ds_buf_append(&b, chunk, take, max);
		if (r) {
			ds_buf_wipe(&b);
			return r;
		}
		if (*more)
			break;
	}
	*out = b;
	return 0;
}

int ds_read_fd(int fd, size_t max, struct ds_buf *out)
{
	int more, r;

	r = ds_read_fd_prefix(fd, max, out, &more);
	if (r == 0 && more) {
		ds_buf_wipe(out);
		return ds_err(-EFBIG, "input larger than the limit of %zu bytes", max);
	}
	return r;
}

int ds_read_file(const char *path, size_t max, struct ds_buf *out)
{
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ds_err(-errno, "failed to open %s: %s", path, strerror(errno));
	r = ds_read_fd(fd, max, out);
	close(fd);
	if (r)
		return ds_err_ctx(r, "failed to read %s", path);
	return 0;
}

int ds_read_exact(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ds_err(-errno, "%s (os error %d)", strerror(errno), errno);
		if (n == 0)
			return ds_err(-EIO, "failed to fill whole buffer");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ds_write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ds_err(-errno, "write failed: %s", strerror(errno));
		if (n == 0)
			return ds_err(-EIO, "write made no progress");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_parent(const char *path)
{
	char *copy = strdup(path);
	int fd, r = 0;

	if (!copy)
		return ds_err(-ENOMEM, "out of memory");
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) < 0 && errno != EINVAL)
			r = ds_err(-errno, "fsync of the directory of %s: %s", path, strerror(errno));
		close(fd);
	}
	free(copy);
	return r;
}

/* The process umask, read without changing it (umask(2) cannot read it
 * without setting it, which would race with other threads). */
static mode_t current_umask(void)
{
	char line[128];
	unsigned int mask = 022;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &mask) == 1)
			break;
	if (f)
		fclose(f);
	return (mode_t)mask;
}

int ds_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[4096];
	int fd, r;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= sizeof(tmp))
		return ds_err(-ENAMETOOLONG, "path too long: %s", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return ds_err(-errno, "failed to create a temporary file beside %s: %s", path,
			      strerror(errno));
	/* mkostemp creates 0600; widen only when asked, and never past the umask. */
	if (fchmod(fd, mode & ~current_umask()) < 0) {
		r = ds_err(-errno, "chmod %s: %s", tmp, strerror(errno));
		goto fail;
	}
	r = ds_write_all(fd, data, len);
	if (r) {
		ds_err_ctx(r, "failed to write %s", tmp);
		goto fail;
	}
	if (fsync(fd) < 0) {
		r = ds_err(-errno, "fsync %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = ds_err(-errno, "close %s: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = ds_err(-errno, "failed to rename %s to %s: %s", tmp, path, strerror(errno));
		goto fail;
	}
	return fsync_parent(path);
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return r;
}

int ds_mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return ds_err(-ENAMETOOLONG, "bad directory path: %s", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return ds_err(-errno, "failed to create directory %s: %s", buf,
					      strerror(errno));
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	return 0;
}

int ds_env_path(const char *var, const char **out)
{
	const char *v = getenv(var);

	*out = NULL;
	if (!v)
		return 0;
	if (!*v)
		return ds_err(-EINVAL, "empty path override from %s", var);
	if (v[0] != '/')
		return ds_err(-EINVAL, "path override from %s must be absolute: %s", var, v);
	*out = v;
	return 0;
}
