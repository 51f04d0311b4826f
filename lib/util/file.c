#include "util/file.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
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

/* The directory part of path ("." for a bare name), in buf. */
static int parent_dir(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 1;

	if (slash == path)
		len = 1;
	if (len >= size)
		return ds_err(-ENAMETOOLONG, "path too long: %s", path);
	memcpy(buf, slash ? path : ".", len);
	buf[len] = '\0';
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return 0;
	if (fsync(fd) < 0 && errno != EINVAL)
		r = ds_err(-errno, "fsync of directory %s: %s", dir, strerror(errno));
	close(fd);
	return r;
}

/* Each distinct parent directory once: a rename is durable only when its
 * directory is, and one fsync covers every rename made in it. */
static int fsync_parents(const struct ds_file_out *files, size_t n)
{
	char dir[4096], prev[4096];
	int r;

	for (size_t i = 0; i < n; i++) {
		int seen = 0;

		r = parent_dir(files[i].path, dir, sizeof(dir));
		for (size_t j = 0; r == 0 && j < i && !seen; j++) {
			r = parent_dir(files[j].path, prev, sizeof(prev));
			seen = r == 0 && !strcmp(dir, prev);
		}
		r = r ?: seen ? 0 : fsync_dir(dir);
		if (r)
			return r;
	}
	return 0;
}

struct temp_file {
	char path[4096];
	int fd;
};

/* A temporary beside f->path with f's content, not yet synced. mkostemp
 * creates it 0600; it is widened only when asked, never past the umask. */
static int write_temp(const struct ds_file_out *f, mode_t umask_bits, struct temp_file *t)
{
	int r;

	t->fd = -1;
	t->path[0] = '\0';
	if ((size_t)snprintf(t->path, sizeof(t->path), "%s.tmp.XXXXXX", f->path) >= sizeof(t->path)) {
		t->path[0] = '\0';
		return ds_err(-ENAMETOOLONG, "path too long: %s", f->path);
	}
	t->fd = mkostemp(t->path, O_CLOEXEC);
	if (t->fd < 0) {
		t->path[0] = '\0';
		return ds_err(-errno, "failed to create a temporary file beside %s: %s", f->path,
			      strerror(errno));
	}
	if (fchmod(t->fd, f->mode & ~umask_bits) < 0)
		return ds_err(-errno, "chmod %s: %s", t->path, strerror(errno));
	r = ds_write_all(t->fd, f->data, f->len);
	return r ? ds_err_ctx(r, "failed to write %s", t->path) : 0;
}

static int sync_temp(struct temp_file *t)
{
	int fd = t->fd;

	t->fd = -1;
	if (fsync(fd) < 0) {
		int e = errno;

		close(fd);
		return ds_err(-e, "fsync %s: %s", t->path, strerror(e));
	}
	if (close(fd) < 0)
		return ds_err(-errno, "close %s: %s", t->path, strerror(errno));
	return 0;
}

int ds_write_files_atomic(const struct ds_file_out *files, size_t n)
{
	struct temp_file temps[DS_ATOMIC_FILES_MAX];
	mode_t umask_bits = current_umask();
	size_t made = 0, renamed = 0;
	int r = 0;

	if (n > DS_ATOMIC_FILES_MAX)
		return ds_err(-E2BIG, "at most %d files in one atomic write", DS_ATOMIC_FILES_MAX);
	while (r == 0 && made < n) {
		r = write_temp(&files[made], umask_bits, &temps[made]);
		made++;
	}
	/* Every temporary is written before the first fsync, so that one
	 * journal commit usually makes them all durable. */
	for (size_t i = 0; r == 0 && i < made; i++)
		r = sync_temp(&temps[i]);
	while (r == 0 && renamed < n) {
		if (rename(temps[renamed].path, files[renamed].path) < 0)
			r = ds_err(-errno, "failed to rename %s to %s: %s", temps[renamed].path,
				   files[renamed].path, strerror(errno));
		else
			renamed++;
	}
	for (size_t i = renamed; i < made; i++) {
		if (temps[i].fd >= 0)
			close(temps[i].fd);
		if (temps[i].path[0])
			unlink(temps[i].path);
	}
	return r ?: fsync_parents(files, n);
}

int ds_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	const struct ds_file_out f = { path, data, len, mode };

	return ds_write_files_atomic(&f, 1);
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
