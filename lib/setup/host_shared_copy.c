#include "setup/host_shared.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct shared_file {
	const char *name;
	size_t max;
	int required;
};

/* HEAD's limits (each at least v0.5.4's). None of these files is secret:
 * the host wrote them in the clear, so the copies are world-readable as
 * upstream's are. */
static const struct shared_file shared_files[] = {
	{ DS_APP_COMPOSE_NAME, DS_APP_COMPOSE_MAX, 1 },
	{ DS_SYS_CONFIG_NAME, DS_SYS_CONFIG_MAX, 1 },
	{ DS_INSTANCE_INFO_NAME, DS_INSTANCE_INFO_MAX, 0 },
	{ DS_ENCRYPTED_ENV_NAME, DS_ENCRYPTED_ENV_MAX, 0 },
	{ DS_USER_CONFIG_NAME, DS_USER_CONFIG_MAX, 0 },
};

/* Opens name under the source directory without following a symlink and
 * without blocking on a FIFO; *fd is -1 when the file does not exist. */
static int open_source(int dir_fd, const struct shared_file *f, int *fd)
{
	struct stat st;
	int r = 0;

	*fd = openat(dir_fd, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (*fd < 0 && errno == ENOENT)
		return f->required ? ds_err(-ENOENT, "Source file %s does not exist", f->name) : 0;
	if (*fd < 0 && errno == ELOOP)
		return ds_err(-ELOOP, "Source file %s is a symbolic link", f->name);
	if (*fd < 0)
		return ds_err(-errno, "Failed to open source file %s: %s", f->name, strerror(errno));
	if (fstat(*fd, &st) < 0)
		r = ds_err(-errno, "Failed to stat source file %s: %s", f->name, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		r = ds_err(-EINVAL, "Source file %s is not a regular file", f->name);
	else if ((uint64_t)st.st_size > f->max)
		r = ds_err(-EFBIG, "Source file %s is too large, max size is %zu bytes", f->name,
			   f->max);
	if (r) {
		close(*fd);
		*fd = -1;
	}
	return r;
}

static int remove_stale(const char *dst)
{
	if (unlink(dst) < 0 && errno != ENOENT)
		return ds_err(-errno, "Failed to remove stale %s: %s", dst, strerror(errno));
	return 0;
}

static int copy_one(int dir_fd, const char *dst_dir, const struct shared_file *f)
{
	struct ds_buf data = { 0 };
	char dst[PATH_MAX];
	int fd, more, r;

	if ((size_t)snprintf(dst, sizeof(dst), "%s/%s", dst_dir, f->name) >= sizeof(dst))
		return ds_err(-ENAMETOOLONG, "path too long: %s", dst_dir);
	r = open_source(dir_fd, f, &fd);
	if (r || fd < 0)
		return r ? r : remove_stale(dst);
	/* The size from fstat is advisory: the host may still grow the file. */
	r = ds_read_fd_prefix(fd, f->max, &data, &more);
	close(fd);
	if (r == 0 && more)
		r = ds_err(-EFBIG, "Source file %s is too large, max size is %zu bytes", f->name, f->max);
	if (r == 0)
		r = ds_write_file_atomic(dst, data.data, data.len, DS_FILE_MODE_PUBLIC);
	ds_buf_free(&data);
	return r;
}

int ds_host_shared_copy(const char *src_dir, const char *dst_dir)
{
	int dir_fd, r;

	ds_info("host-shared", "Copying host-shared files");
	r = ds_mkdir_p(dst_dir, 0755);
	if (r)
		return r;
	dir_fd = open(src_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return ds_err(-errno, "Failed to open %s: %s", src_dir, strerror(errno));
	for (size_t i = 0; i < sizeof(shared_files) / sizeof(shared_files[0]) && r == 0; i++)
		r = copy_one(dir_fd, dst_dir, &shared_files[i]);
	close(dir_fd);
	return r ? ds_err_ctx(r, "Failed to copy the host-shared files") : 0;
}
