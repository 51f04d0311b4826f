/* The listening Unix socket. Its mode is set explicitly (bind under a
 * restrictive umask, then chmod), never left to the process umask. */
#include "agent.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define BACKLOG 1024

static int make_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!*path || strlen(path) >= sizeof(sa->sun_path))
		return ds_err(-ENAMETOOLONG, "socket path must be 1 to %zu bytes: %s",
			      sizeof(sa->sun_path) - 1, path);
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

/* A socket file nobody accepts on is stale and may go; anything else stays. */
static int remove_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, live;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return ds_err(-errno, "cannot stat %s: %s", path, strerror(errno));
	}
	if (!S_ISSOCK(st.st_mode))
		return ds_err(-EEXIST, "%s exists and is not a socket; not replacing it", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ds_err(-errno, "socket: %s", strerror(errno));
	live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	if (live)
		return ds_err(-EADDRINUSE, "%s is in use by another process", path);
	if (unlink(path) && errno != ENOENT)
		return ds_err(-errno, "cannot remove stale socket %s: %s", path, strerror(errno));
	return 0;
}

static int bind_socket(int fd, const char *path, const struct sockaddr_un *sa, mode_t mode)
{
	mode_t old = umask(0177);
	int r = bind(fd, (const struct sockaddr *)sa, sizeof(*sa));

	umask(old);
	if (r)
		return ds_err(-errno, "cannot bind %s: %s", path, strerror(errno));
	if (chmod(path, mode)) {
		r = -errno;
		unlink(path);
		return ds_err(r, "cannot set mode %04o on %s: %s", (unsigned)mode, path, strerror(-r));
	}
	return 0;
}

int agent_listen(const char *path, mode_t mode, int *out, ino_t *ino)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, r;

	r = make_addr(path, &sa);
	r = r ?: remove_stale(path, &sa);
	if (r)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return ds_err(-errno, "socket: %s", strerror(errno));
	r = bind_socket(fd, path, &sa, mode);
	if (r) {
		close(fd);
		return r;
	}
	if (listen(fd, BACKLOG))
		r = ds_err(-errno, "cannot listen on %s: %s", path, strerror(errno));
	else if (lstat(path, &st))
		r = ds_err(-errno, "cannot stat %s: %s", path, strerror(errno));
	if (r) {
		close(fd);
		unlink(path);
		return r;
	}
	*out = fd;
	*ino = st.st_ino;
	return 0;
}

void agent_unlisten(const char *path, ino_t ino)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == ino)
		unlink(path);
}
