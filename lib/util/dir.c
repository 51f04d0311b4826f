#include "util/dir.h"
#include "util/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deeper trees are refused rather than recursed into without limit. */
#define MAX_DEPTH 64

static int remove_entry(int dirfd, const char *name, dev_t dev, int depth);

static int open_dir_at(int parent_fd, const char *name, int *fd, struct stat *st)
{
	*fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0)
		return ds_err(-errno, "failed to open directory %s: %s", name, strerror(errno));
	if (fstat(*fd, st) < 0) {
		int r = ds_err(-errno, "failed to stat %s: %s", name, strerror(errno));

		close(*fd);
		*fd = -1;
		return r;
	}
	return 0;
}

int ds_opendir_fd(int fd, DIR **out)
{
	int copy = dup(fd), r;

	*out = copy < 0 ? NULL : fdopendir(copy);
	if (*out)
		return 0;
	r = ds_err(-errno, "failed to list a directory: %s", strerror(errno));
	if (copy >= 0)
		close(copy);
	return r;
}

int ds_readdir(DIR *d, struct dirent **e)
{
	do {
		errno = 0;
		*e = readdir(d);
	} while (*e && (!strcmp((*e)->d_name, ".") || !strcmp((*e)->d_name, "..")));
	if (!*e && errno)
		return ds_err(-errno, "failed to read a directory entry: %s", strerror(errno));
	return 0;
}

static int remove_contents(int dirfd, dev_t dev, int depth)
{
	struct dirent *e;
	DIR *d;
	int r;

	if (depth > MAX_DEPTH)
		return ds_err(-ELOOP, "directory tree deeper than %d levels", MAX_DEPTH);
	r = ds_opendir_fd(dirfd, &d);
	while (r == 0 && (r = ds_readdir(d, &e)) == 0 && e)
		r = remove_entry(dirfd, e->d_name, dev, depth);
	if (d)
		closedir(d);
	return r;
}

static int remove_dir(int parent_fd, const char *name, int fd, dev_t dev, int depth)
{
	int r = remove_contents(fd, dev, depth);

	if (r == 0 && unlinkat(parent_fd, name, AT_REMOVEDIR) < 0)
		r = ds_err(-errno, "failed to remove directory %s: %s", name, strerror(errno));
	return r;
}

static int remove_entry(int dirfd, const char *name, dev_t dev, int depth)
{
	struct stat st;
	int fd, r;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ds_err(-errno, "failed to stat %s: %s", name, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0)
			return ds_err(-errno, "failed to remove %s: %s", name, strerror(errno));
		return 0;
	}
	r = open_dir_at(dirfd, name, &fd, &st);
	if (r)
		return r;
	if (st.st_dev != dev)
		r = ds_err(-EXDEV, "%s is on another file system (a mount point)", name);
	else
		r = remove_dir(dirfd, name, fd, dev, depth + 1);
	close(fd);
	return r;
}

int ds_remove_tree_at(int parent_fd, const char *name, dev_t dev, ino_t ino)
{
	struct stat st;
	int fd, r;

	r = open_dir_at(parent_fd, name, &fd, &st);
	if (r)
		return r;
	if (st.st_dev != dev || st.st_ino != ino)
		r = ds_err(-ESTALE, "%s changed since it was inspected", name);
	else
		r = remove_dir(parent_fd, name, fd, dev, 0);
	close(fd);
	return r;
}
