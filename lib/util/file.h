/* Bounded reads and atomic writes. Every length read from outside is checked
 * against a caller-given limit before it is allocated. */
#ifndef DS_UTIL_FILE_H
#define DS_UTIL_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "util/buf.h"

/* Reads a whole file (also sysfs/configfs files that report size 0); fails
 * with -EFBIG when it holds more than max bytes. -ENOENT is returned for a
 * missing file so callers can treat absence specially. */
int ds_read_file(const char *path, size_t max, struct ds_buf *out);
/* Reads a descriptor until EOF, at most max bytes (more is -EFBIG). */
int ds_read_fd(int fd, size_t max, struct ds_buf *out);
/* Reads until EOF but keeps at most max bytes; *more is set when input
 * continued past max (for "read at most N+1 bytes" checks). */
int ds_read_fd_prefix(int fd, size_t max, struct ds_buf *out, int *more);
/* Reads exactly len bytes (a stream may deliver them in pieces); EOF first
 * is "failed to fill whole buffer", as Rust's read_exact says. */
int ds_read_exact(int fd, void *buf, size_t len);
/* Writes all len bytes, retrying short writes and EINTR. */
int ds_write_all(int fd, const void *data, size_t len);
/* Mode of outputs that hold no secret: 0666 less the umask, as upstream. */
#define DS_FILE_MODE_PUBLIC 0666

/* Replaces path atomically: a temporary file in the same directory created
 * with mode less the process umask (as open(2) would), written, fsync'ed,
 * renamed over path, directory fsync'ed. Secrets pass 0600. On failure
 * nothing is left behind and an existing file is untouched. */
int ds_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* One file of a ds_write_files_atomic() call. */
struct ds_file_out {
	const char *path;
	const void *data;
	size_t len;
	mode_t mode;
};
#define DS_ATOMIC_FILES_MAX 8
/* Replaces each file atomically as ds_write_file_atomic() does, with the
 * syncs batched (every temporary written before the first fsync, each
 * directory synced once). Nothing is replaced unless every temporary was
 * written and synced; a failed rename leaves the files before it replaced. */
int ds_write_files_atomic(const struct ds_file_out *files, size_t n);
/* mkdir -p with the given mode for the directories it creates. */
int ds_mkdir_p(const char *path, mode_t mode);
/* Non-empty absolute path from an override variable, or NULL if unset.
 * Set-but-empty and relative values are errors, as upstream. */
int ds_env_path(const char *var, const char **out);

#endif
