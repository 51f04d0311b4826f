/* RTMR extension, HEAD's order: the sysfs measurement files (Linux 6.16+,
 * or the directory named by DCAP_TDX_RTMR_SYSFS_PATH), else the extend
 * ioctl of /dev/tdx_guest (spec tdx-attestation.md 1.6, 1.7). */
#include "tdx/abi.h"
#include "tdx/configfs.h"
#include "tdx/tdx.h"
#include "tdx/tdx_err.h"
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define RTMR_SYSFS_BASE "/sys/devices/virtual/misc/tdx_guest/measurements"

/* *dir is NULL when there is no sysfs interface. A set override is
 * authoritative: a bad one is an error, never a fallback to the ioctl. */
static int sysfs_dir(const char **dir)
{
	const char *env;
	int r = ds_env_path(DS_TDX_RTMR_SYSFS_ENV, &env);

	if (r)
		return r;
	if (env) {
		if (strlen(env) >= DS_TDX_OVERRIDE_PATH_MAX || !ds_tdx_is_dir(env))
			return ds_tdx_err(DS_TDX_NOT_SUPPORTED, "invalid RTMR sysfs path from "
					  DS_TDX_RTMR_SYSFS_ENV ": %s", env);
		*dir = env;
		return 0;
	}
	*dir = ds_tdx_is_dir(RTMR_SYSFS_BASE) ? RTMR_SYSFS_BASE : NULL;
	return 0;
}

static int extend_sysfs(const char *dir, unsigned index, const uint8_t digest[48])
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, e;

	snprintf(path, sizeof(path), "%s/rtmr%u:sha384", dir, index);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return ds_tdx_err(DS_TDX_EXTEND, "open %s: " DS_OS_ERR_FMT, path, DS_OS_ERR(errno));
	do
		n = write(fd, digest, 48);
	while (n < 0 && errno == EINTR);
	e = errno;
	close(fd);
	if (n == 48)
		return 0;
	if (n >= 0)
		return ds_tdx_err(DS_TDX_EXTEND, "write %s: failed to write whole buffer", path);
	if (e == EINVAL)
		return ds_tdx_err(DS_TDX_RTMR_INDEX, "%u", index);
	if (e == EPERM || e == EACCES)
		return ds_tdx_err(DS_TDX_EXTEND, "permission denied for RTMR %u", index);
	return ds_tdx_err(DS_TDX_EXTEND, "write %s: " DS_OS_ERR_FMT, path, DS_OS_ERR(e));
}

static int extend_ioctl(unsigned index, const uint8_t digest[48])
{
	struct ds_tdx_extend_rtmr_req req = { .index = (uint8_t)index };
	int fd, r = 0;

	fd = open(DS_TDX_GUEST_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return ds_tdx_err(DS_TDX_EXTEND, "open " DS_TDX_GUEST_DEVICE ": " DS_OS_ERR_FMT,
				  DS_OS_ERR(errno));
	memcpy(req.data, digest, 48);
	if (ioctl(fd, DS_TDX_CMD_EXTEND_RTMR, &req) != 0)
		r = errno == EINVAL ? ds_tdx_err(DS_TDX_RTMR_INDEX, "%u", index)
				    : ds_tdx_err(DS_TDX_EXTEND, "ioctl: " DS_OS_ERR_FMT, DS_OS_ERR(errno));
	close(fd);
	return r;
}

int ds_tdx_extend_rtmr(unsigned index, const uint8_t digest[48])
{
	const char *dir = NULL;
	int r;

	if (index > 3)
		return ds_tdx_err(DS_TDX_RTMR_INDEX, "%u", index);
	r = sysfs_dir(&dir);
	if (r)
		return r;
	if (dir)
		return extend_sysfs(dir, index, digest);
	if (access(DS_TDX_GUEST_DEVICE, F_OK) == 0)
		return extend_ioctl(index, digest);
	return ds_tdx_err(DS_TDX_NOT_SUPPORTED,
			  "no extend_rtmr method available (no sysfs measurements, no /dev/tdx_guest)");
}
