#include "util/exec.h"
#include "util/err.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* In the child: only async-signal-safe calls until exec. The pipe reports
 * an exec failure (errno) back to the parent; it closes on a good exec. */
static void child(const char *const argv[], int report_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);
	int e;

	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(127);
	execvp(argv[0], (char *const *)argv);
	e = errno;
	(void)!write(report_fd, &e, sizeof(e));
	_exit(127);
}

static int wait_child(pid_t pid, const char *name, int *exit_code)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return ds_err(-errno, "Failed to wait for %s: %s", name, strerror(errno));
	}
	*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

int ds_exec_status(const char *const argv[], int *exit_code)
{
	int report[2], exec_errno = 0, r;
	ssize_t n;
	pid_t pid;

	ds_debug("exec", "running %s", argv[0]);
	if (pipe2(report, O_CLOEXEC) < 0)
		return ds_err(-errno, "Failed to run %s: %s", argv[0], strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(report[0]);
		close(report[1]);
		return ds_err(r, "Failed to run %s: %s", argv[0], strerror(-r));
	}
	if (pid == 0)
		child(argv, report[1]);
	close(report[1]);
	do {
		n = read(report[0], &exec_errno, sizeof(exec_errno));
	} while (n < 0 && errno == EINTR);
	close(report[0]);
	r = wait_child(pid, argv[0], exit_code);
	if (r == 0 && n == (ssize_t)sizeof(exec_errno))
		r = ds_err(-exec_errno, "Failed to run %s: %s", argv[0], strerror(exec_errno));
	return r;
}

int ds_exec(const char *const argv[])
{
	int code, r = ds_exec_status(argv, &code);

	if (r == 0 && code != 0)
		r = ds_err(-EIO, "%s exited with %d", argv[0], code);
	return r;
}

int ds_exec_available(const char *argv0)
{
	char path[PATH_MAX];
	const char *env = getenv("PATH"), *p, *end;

	if (strchr(argv0, '/'))
		return access(argv0, X_OK) == 0;
	for (p = env ? env : "/usr/sbin:/usr/bin:/sbin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if ((size_t)snprintf(path, sizeof(path), "%.*s/%s", (int)(end - p), p, argv0) <
			    sizeof(path) &&
		    access(path, X_OK) == 0)
			return 1;
	}
	return 0;
}
