/* Where the simulator may mount: never over a real TEE's configfs, never
 * over an existing mount (spec tdx-attestation.md 7.1 steps 3-4). */
#include "sim.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* mountinfo escapes space, tab, newline and backslash as octal. */
static void decode_mountinfo_path(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/* Whether path (already resolved) is the mount point of some mount: the
 * fifth field of /proc/self/mountinfo. */
static int is_mount_point(const char *path, int *yes)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	*yes = 0;
	if (!f)
		return ds_err(-errno, "failed to read /proc/self/mountinfo: %s", strerror(errno));
	while (!*yes && getline(&line, &cap, f) > 0) {
		char *field = strtok(line, " ");

		for (int i = 0; field && i < 4; i++)
			field = strtok(NULL, " ");
		if (field) {
			decode_mountinfo_path(field);
			*yes = strcmp(field, path) == 0;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

static int is_default(const char *resolved)
{
	return strcmp(resolved, SIM_DEFAULT_MOUNTPOINT) == 0;
}

/* A path that does not exist yet is compared as given, minus trailing '/'. */
static void resolve(const char *mountpoint, char out[PATH_MAX])
{
	size_t len;

	if (realpath(mountpoint, out))
		return;
	snprintf(out, PATH_MAX, "%s", mountpoint);
	len = strlen(out);
	while (len > 1 && out[len - 1] == '/')
		out[--len] = '\0';
}

int sim_refuse_unsafe(const char *mountpoint)
{
	char resolved[PATH_MAX];
	int mounted, r;

	resolve(mountpoint, resolved);
	if (is_default(resolved) &&
	    (access("/dev/tdx_guest", F_OK) == 0 || access("/dev/sev-guest", F_OK) == 0))
		return ds_err(-EPERM, "refusing to start the tdx simulator when a real TEE device is present");
	r = is_mount_point(resolved, &mounted);
	if (r)
		return r;
	if (mounted)
		return ds_err(-EBUSY, "refusing to mount the tdx simulator over an existing mount at %s",
			      mountpoint);
	return 0;
}

/* The default mountpoint lives in configfs, which may be unmounted, or
 * refuse the directory when no TSM provider is loaded: then a small tmpfs
 * takes configfs's place so the tree can exist. */
static int prepare_default(void)
{
	struct stat st;
	int r;

	if ((stat(SIM_DEFAULT_MOUNTPOINT, &st) < 0 || !S_ISDIR(st.st_mode)) &&
	    mount("configfs", "/sys/kernel/config", "configfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0 && errno != EBUSY)
		return ds_err(-errno, "failed to mount configfs: %s", strerror(errno));
	r = ds_mkdir_p(SIM_DEFAULT_MOUNTPOINT, 0755);
	if (r != -EPERM && r != -EACCES)
		return r;
	ds_err_clear();
	if (mount("dstack-tee-simulator", "/sys/kernel/config", "tmpfs",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") < 0)
		return ds_err(-errno, "failed to mount a tmpfs on /sys/kernel/config: %s", strerror(errno));
	return ds_mkdir_p(SIM_DEFAULT_MOUNTPOINT, 0755);
}

int sim_prepare_mountpoint(const char *mountpoint)
{
	char resolved[PATH_MAX];

	resolve(mountpoint, resolved);
	if (is_default(resolved))
		return prepare_default();
	return ds_mkdir_p(mountpoint, 0755);
}
