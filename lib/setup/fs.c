/* The filesystem on the data device: upstream HEAD's exact commands
 * (spec system-setup.md 5.5), each run with fork/exec. */
#include "setup/storage.h"
#include "util/err.h"
#include "util/exec.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static size_t zfs_steps(int first_boot, const char *fsdev, const char *mnt,
			struct ds_fs_step *s, char *mountpoint_opt)
{
	if (first_boot) {
		s[0] = DS_FS_STEP("zpool", "create", "-o", "autoexpand=on", "-m", "none", DS_ZFS_POOL,
				  fsdev);
		s[1] = DS_FS_STEP("zfs", "create", "-o", mountpoint_opt, "-o", "atime=off", "-o",
				  "checksum=blake3", DS_ZFS_DATASET);
		return 2;
	}
	s[0] = DS_FS_STEP("zpool", "import", DS_ZFS_POOL);
	s[1] = DS_FS_STEP("zpool", "status", DS_ZFS_POOL);
	s[2] = DS_FS_STEP("zpool", "online", "-e", DS_ZFS_POOL, fsdev);
	/* `mountpoint -q MNT || zfs mount dstack/data`: mounting an already
	 * mounted dataset is the only failure that is then acceptable. */
	s[3] = DS_FS_STEP("zfs", "mount", DS_ZFS_DATASET);
	(void)mnt;
	return 4;
}

static size_t ext4_steps(int first_boot, const char *fsdev, const char *mnt, struct ds_fs_step *s)
{
	if (first_boot) {
		s[0] = DS_FS_STEP("mkfs.ext4", "-F", fsdev);
		s[1] = DS_FS_STEP("mount", fsdev, mnt);
		return 2;
	}
	s[0] = DS_FS_STEP("e2fsck", "-f", "-p", fsdev);
	s[0].ok_max = 1; /* 1: errors corrected */
	s[1] = DS_FS_STEP("resize2fs", fsdev);
	s[2] = DS_FS_STEP("mount", fsdev, mnt);
	return 3;
}

size_t ds_fs_steps(enum ds_storage_fs fs, int first_boot, const char *fsdev, const char *mnt,
		   struct ds_fs_step *steps, char opt[DS_FS_OPT_MAX])
{
	if (fs == DS_STORAGE_FS_EXT4)
		return ext4_steps(first_boot, fsdev, mnt, steps);
	snprintf(opt, DS_FS_OPT_MAX, "mountpoint=%s", mnt);
	return zfs_steps(first_boot, fsdev, mnt, steps, opt);
}

static int is_mountpoint(const char *mnt)
{
	const char *const argv[] = { "mountpoint", "-q", mnt, NULL };
	int code;

	return ds_exec_status(argv, &code) == 0 && code == 0;
}

int ds_fs_step_run(const struct ds_fs_step *step)
{
	int code, r = ds_exec_status(step->argv, &code);

	if (r == 0 && code > step->ok_max)
		r = ds_err(-EIO, "%s exited with %d", step->argv[0], code);
	return r;
}

int ds_fs_run(enum ds_storage_fs fs, int first_boot, const char *fsdev, const char *mnt)
{
	struct ds_fs_step steps[4] = { 0 };
	char opt[DS_FS_OPT_MAX];
	size_t n;
	int r = 0;

	if (strlen(mnt) + sizeof("mountpoint=") > DS_FS_OPT_MAX)
		return ds_err(-ENAMETOOLONG, "mount point too long");
	if (fs == DS_STORAGE_FS_ZFS && !(ds_exec_available("zpool") && ds_exec_available("zfs")))
		return ds_err(-ENOENT, "storage_fs is zfs but the zpool/zfs tools are not installed");
	n = ds_fs_steps(fs, first_boot, fsdev, mnt, steps, opt);
	ds_info("disk", "%s the %s filesystem on %s", first_boot ? "Creating" : "Mounting",
		ds_storage_fs_name(fs), fsdev);
	for (size_t i = 0; i < n && r == 0; i++) {
		if (fs == DS_STORAGE_FS_ZFS && !first_boot && i == 3 && is_mountpoint(mnt))
			break;
		r = ds_fs_step_run(&steps[i]);
	}
	return r ? ds_err_ctx(r, "Failed to set up the %s filesystem", ds_storage_fs_name(fs)) : 0;
}

/* The ext4 superblock magic 0xEF53 at 1024 + 56 (what blkid keys on). */
static int has_ext_magic(const char *dev, int *present)
{
	uint8_t magic[2];
	int fd = open(dev, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return ds_err(-errno, "Failed to open %s: %s", dev, strerror(errno));
	n = pread(fd, magic, sizeof(magic), 1024 + 56);
	close(fd);
	if (n < 0)
		return ds_err(-errno, "Failed to read %s: %s", dev, strerror(errno));
	*present = n == 2 && magic[0] == 0x53 && magic[1] == 0xef;
	return 0;
}

int ds_fs_present(enum ds_storage_fs fs, const char *dev, int *present)
{
	const char *const import[] = { "zpool", "import", "-N", "-o", "readonly=on", DS_ZFS_POOL,
				       NULL };
	const char *const export[] = { "zpool", "export", DS_ZFS_POOL, NULL };
	int code, r;

	if (fs == DS_STORAGE_FS_EXT4)
		return has_ext_magic(dev, present);
	if (!ds_exec_available("zpool"))
		return ds_err(-ENOENT, "storage_fs is zfs but the zpool tool is not installed");
	r = ds_exec_status(import, &code);
	*present = r == 0 && code == 0;
	if (*present && ds_exec(export))
		ds_err_clear();
	return r;
}
