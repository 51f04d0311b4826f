#include "setup/host_shared.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define SHARE_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

int ds_fat_label_matches(const uint8_t sector[512], const char *label)
{
	char padded[11];
	size_t len = strlen(label);
	const uint8_t *vol;

	if (len > sizeof(padded) || sector[510] != 0x55 || sector[511] != 0xaa)
		return 0;
	/* FAT32 keeps the label at 71 and "FAT32" at 82; FAT12/16 at 43 and 54. */
	if (!memcmp(sector + 82, "FAT32", 5))
		vol = sector + 71;
	else if (!memcmp(sector + 54, "FAT1", 4))
		vol = sector + 43;
	else
		return 0;
	memset(padded, ' ', sizeof(padded));
	memcpy(padded, label, len);
	return !memcmp(vol, padded, sizeof(padded));
}

static int device_has_label(const char *dev, const char *label)
{
	uint8_t sector[512];
	int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int ok;

	if (fd < 0)
		return 0;
	ok = pread(fd, sector, sizeof(sector), 0) == (ssize_t)sizeof(sector) &&
	     ds_fat_label_matches(sector, label);
	close(fd);
	return ok;
}

/* /dev/disk/by-label first (udev), else every whole disk in /sys/block. */
static int find_labelled_disk(char *out, size_t size)
{
	struct dirent *e;
	DIR *dir;
	int found = 0;

	snprintf(out, size, "/dev/disk/by-label/%s", DS_HOST_SHARED_LABEL);
	if (access(out, F_OK) == 0)
		return 1;
	dir = opendir("/sys/block");
	if (!dir)
		return 0;
	while (!found && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(out, size, "/dev/%s", e->d_name) < size)
			found = device_has_label(out, DS_HOST_SHARED_LABEL);
	}
	closedir(dir);
	return found;
}

int ds_host_shared_mount(const char *mount_point)
{
	char dev[PATH_MAX];
	int r;

	ds_info("host-shared", "Mounting host-shared");
	r = ds_mkdir_p(mount_point, 0700);
	if (r)
		return r;
	if (find_labelled_disk(dev, sizeof(dev))) {
		if (mount(dev, mount_point, "vfat", SHARE_FLAGS, NULL) == 0) {
			ds_info("host-shared", "mounted host-shared disk %s", dev);
			return 0;
		}
		ds_warn("host-shared", "failed to mount host-shared disk %s (%s), falling back to 9p",
			dev, strerror(errno));
	}
	if (mount("host-shared", mount_point, "9p", SHARE_FLAGS, "trans=virtio,version=9p2000.L") < 0)
		return ds_err(-errno, "failed to mount host-shared at %s: %s", mount_point,
			      strerror(errno));
	return 0;
}

int ds_host_shared_unmount(const char *mount_point)
{
	if (umount(mount_point) < 0)
		return ds_err(-errno, "failed to unmount host-shared at %s: %s", mount_point,
			      strerror(errno));
	return 0;
}

int ds_host_shared_import(const char *plain_dir, const char *dst_dir)
{
	int r;

	if (plain_dir)
		return ds_host_shared_copy(plain_dir, dst_dir);
	r = ds_host_shared_mount(DS_HOST_SHARED_MOUNT);
	if (r)
		return r;
	r = ds_host_shared_copy(DS_HOST_SHARED_MOUNT, dst_dir);
	if (r) {
		if (umount(DS_HOST_SHARED_MOUNT) < 0)
			ds_warn("host-shared", "failed to unmount %s: %s", DS_HOST_SHARED_MOUNT,
				strerror(errno));
		return r;
	}
	return ds_host_shared_unmount(DS_HOST_SHARED_MOUNT);
}
