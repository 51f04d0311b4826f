#include "attest/runtime_emit.h"
#include "attest/runtime_event.h"
#include "tdx/tdx.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define VERSION_FILE_MAX 64

/* Reads the version file into value, without surrounding whitespace. */
static int read_version_file(const char *path, char value[VERSION_FILE_MAX + 1])
{
	struct ds_buf text = { 0 };
	size_t start = 0, end;
	int r = ds_read_file(path, VERSION_FILE_MAX, &text);

	if (r)
		return r;
	end = text.len;
	while (start < end && isspace(text.data[start]))
		start++;
	while (end > start && isspace(text.data[end - 1]))
		end--;
	if (memchr(text.data + start, '\0', end - start))
		r = ds_err(-EINVAL, "%s contains a NUL byte", path);
	memcpy(value, text.data + start, end - start);
	value[end - start] = '\0';
	ds_buf_free(&text);
	return r;
}

int ds_runtime_version_read(int *version)
{
	char path[PATH_MAX], value[VERSION_FILE_MAX + 1];
	int r = ds_runtime_log_file(DS_RUNTIME_VERSION_NAME, path, sizeof(path));

	r = r ?: read_version_file(path, value);
	if (r)
		return ds_err_ctx(r, "runtime event version is not configured; complete dstack "
				  "system setup before emitting events");
	if (strcmp(value, "1") && strcmp(value, "2"))
		return ds_err(-EINVAL, "invalid runtime event version: %s", value);
	*version = value[0] - '0';
	return 0;
}

/* The log directory must be ours alone: anyone else able to write there
 * could plant a symlink and redirect this root append, or the log itself. */
static int check_private_dir(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return ds_err(-errno, "stat %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return ds_err(-EPERM, "runtime event log directory %s must be a directory owned by "
			      "uid %u and writable by no one else", dir, (unsigned)geteuid());
	return 0;
}

/* Opens and flock()s the lock file that serialises every emission (and the
 * version setting) across processes. Blocking without a timeout, as
 * upstream: a holder that dies releases the lock with its descriptor. */
static int lock_runtime_log(int *fd)
{
	char path[PATH_MAX];
	const char *dir;
	int r;

	r = ds_runtime_log_dir(&dir);
	if (r)
		return r;
	r = ds_mkdir_p(dir, 0700);
	if (r)
		return ds_err_ctx(r, "failed to create runtime event log directory");
	r = check_private_dir(dir);
	r = r ?: ds_runtime_log_file(DS_RUNTIME_LOCK_NAME, path, sizeof(path));
	if (r)
		return r;
	*fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0) {
		r = ds_err(-errno, "%s: %s", path, strerror(errno));
		return ds_err_ctx(r, "failed to open runtime event lock");
	}
	while ((r = flock(*fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		r = ds_err(-errno, "%s: %s", path, strerror(errno));
		close(*fd);
		return ds_err_ctx(r, "failed to lock runtime event emission");
	}
	return 0;
}

static int set_version_locked(int version)
{
	const char value[2] = { (char)('0' + version), '\0' };
	char path[PATH_MAX], current[VERSION_FILE_MAX + 1];
	int r = ds_runtime_log_file(DS_RUNTIME_VERSION_NAME, path, sizeof(path));

	if (r)
		return r;
	r = read_version_file(path, current);
	if (r == -ENOENT) {
		ds_err_clear();
		r = ds_write_file_atomic(path, value, 1, 0600);
		return r ? ds_err_ctx(r, "failed to write runtime event version") : 0;
	}
	if (r)
		return ds_err_ctx(r, "failed to read runtime event version");
	if (strcmp(current, value) != 0)
		return ds_err(-EEXIST, "runtime event version is already set to %s for this boot and "
			      "cannot be changed to %s; the setting is fixed when system setup runs, so "
			      "restart the CVM to apply a new app-compose `event_log_version`",
			      current, value);
	return 0;
}

int ds_runtime_version_set(int version)
{
	int lock, r;

	if (version != 1 && version != 2)
		return ds_err(-EINVAL, "invalid runtime event version: %d", version);
	r = lock_runtime_log(&lock);
	if (r)
		return r;
	r = set_version_locked(version);
	close(lock);
	return r;
}

/* Appends line + "\n" with one write and makes it durable; *old_len is the
 * log's length before, for a rollback. On failure nothing stays appended. */
static int append_line(const char *path, const char *line, int *fd, off_t *old_len)
{
	size_t len = strlen(line);
	struct stat st;
	char *buf;
	ssize_t n;
	int r = 0;

	if (len > DS_RUNTIME_LINE_MAX)
		return ds_err(-EFBIG, "runtime event line longer than %u bytes", DS_RUNTIME_LINE_MAX);
	*fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0)
		return ds_err(-errno, "failed to open %s: %s", path, strerror(errno));
	if (fstat(*fd, &st) < 0) {
		r = ds_err(-errno, "failed to stat %s: %s", path, strerror(errno));
		goto fail;
	}
	/* The reader refuses a longer log: never write one it could not read. */
	if ((uint64_t)st.st_size + len + 1 > DS_RUNTIME_LOG_MAX) {
		r = ds_err(-EFBIG, "runtime event log %s would exceed %u bytes", path, DS_RUNTIME_LOG_MAX);
		goto fail;
	}
	*old_len = st.st_size;
	buf = malloc(len + 1);
	if (!buf) {
		r = ds_err(-ENOMEM, "out of memory");
		goto fail;
	}
	memcpy(buf, line, len);
	buf[len] = '\n';
	n = write(*fd, buf, len + 1);
	free(buf);
	if (n != (ssize_t)(len + 1))
		r = n < 0 ? ds_err(-errno, "failed to write %s: %s", path, strerror(errno))
			  : ds_err(-EIO, "short write to %s", path);
	else if (fsync(*fd) < 0)
		r = ds_err(-errno, "fsync %s: %s", path, strerror(errno));
	if (r && ftruncate(*fd, *old_len) < 0)
		ds_error_log("runtime-log", "could not truncate %s after a failed append: %s", path,
			     strerror(errno));
	if (r == 0)
		return 0;
fail:
	close(*fd);
	*fd = -1;
	return r;
}

/* Called with the extend error current: truncates the log back so that it
 * never shows an event RTMR3 did not measure. */
static void rollback(int fd, off_t old_len, const char *path, int r)
{
	if (ftruncate(fd, old_len) == 0 && fsync(fd) == 0)
		return;
	ds_err_ctx(r, "the runtime log %s still holds the unmeasured event (truncating it failed: %s)",
		   path, strerror(errno));
	ds_error_log("runtime-log", "%s holds an event RTMR3 does not: replay will mismatch", path);
}

/* Ordering: everything happens under the lock file, so no other emitter can
 * interleave. The log line is appended and fsync'ed first and RTMR3 is
 * extended second; if the extend fails, the log is truncated back to its
 * previous length. That way every failure we can observe leaves log and
 * RTMR3 consistent: a failed append (disk full, permissions) has extended
 * nothing, and a failed extend leaves no line. (Upstream extends first, so a
 * failed append leaves RTMR3 holding an event no log shows, forever.) Only a
 * crash between the two steps leaves an unmeasured line, which replay then
 * reports as a mismatch instead of hiding a measurement. */
int ds_runtime_emit(const char *name, const uint8_t *payload, size_t len)
{
	char path[PATH_MAX], *line = NULL;
	uint8_t digest[DS_SHA384_LEN];
	int lock, log_fd = -1, version, r;
	off_t old_len = 0;

	/* Before setup has run there is nothing to measure into: fail without
	 * creating the log directory. Read again under the lock below. */
	r = ds_runtime_version_read(&version);
	if (r)
		return r;
	r = lock_runtime_log(&lock);
	if (r)
		return r;
	r = ds_runtime_version_read(&version);
	/* V1 hashes type ":" name ":" payload: a ':' in the name would let a
	 * log line show another name/payload split of the same measurement. */
	if (r == 0 && version == 1 && strchr(name, ':'))
		r = ds_err(-EINVAL, "event name '%s' contains ':', which digest version 1 cannot "
			   "tell apart from the payload", name);
	r = r ?: ds_runtime_digest(name, payload, len, version, digest);
	r = r ?: ds_runtime_line_format(name, payload, len, version, &line);
	r = r ?: ds_runtime_log_file(DS_RUNTIME_LOG_NAME, path, sizeof(path));
	if (r)
		goto out;
	r = append_line(path, line, &log_fd, &old_len);
	if (r) {
		ds_err_ctx(r, "Failed to emit runtime event");
		goto out;
	}
	r = ds_tdx_extend_rtmr(3, digest);
	if (r) {
		ds_err_ctx(r, "Failed to extend TDX RTMR");
		rollback(log_fd, old_len, path, r);
	}
out:
	if (log_fd >= 0)
		close(log_fd);
	free(line);
	close(lock);
	return r;
}
