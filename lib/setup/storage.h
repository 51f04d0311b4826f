/* Storage of the data disk (spec system-setup.md 5.5-5.6, HEAD): whether it
 * is encrypted and which filesystem it carries, from the kernel command
 * line and app-compose; and the filesystem steps with upstream's exact
 * commands (ext4 tools, zpool/zfs), run without a shell. */
#ifndef DS_SETUP_STORAGE_H
#define DS_SETUP_STORAGE_H

#include <stddef.h>

#include "setup/app_compose.h"

/* Kernel command line: $DSTACK_CMDLINE_FILE (absolute) or /proc/cmdline. */
#define DS_CMDLINE_FILE_ENV "DSTACK_CMDLINE_FILE"
#define DS_CMDLINE_MAX (64u << 10)
#define DS_ZFS_POOL "dstack"
#define DS_ZFS_DATASET "dstack/data"
/* Longest argument vector of a filesystem step (NULL included). */
#define DS_FS_ARGV_MAX 12

struct ds_storage_opts {
	int encrypted;                 /* default 1 */
	enum ds_storage_fs fs;         /* ZFS or EXT4, never UNSET */
};

/* dstack.storage_encrypted= (0|false|no|off, 1|true|yes|on) and
 * dstack.storage_fs= (zfs|ext4, any case) from cmdline, then app-compose's
 * storage_fs overrides the filesystem. Any other value is an error. */
int ds_storage_opts_parse(const char *cmdline, enum ds_storage_fs compose_fs,
			  struct ds_storage_opts *out);
/* The same, reading the command line file. */
int ds_storage_opts_load(enum ds_storage_fs compose_fs, struct ds_storage_opts *out);
/* "ext4" or "zfs": the storage-fs event payload. */
const char *ds_storage_fs_name(enum ds_storage_fs fs);

/* One step of a filesystem job: an argument vector and what counts as
 * success. */
struct ds_fs_step {
	const char *argv[DS_FS_ARGV_MAX];
	int ok_max;                    /* exit codes 0..ok_max succeed (e2fsck: 1) */
};
/* Room for the one formatted argument, "mountpoint=MNT". */
#define DS_FS_OPT_MAX 4112

/* The commands that create (first boot) or reopen (later boot) the
 * filesystem on fsdev and mount it at mnt; returns the number of steps
 * written to steps (at most 4). The strings are borrowed from the
 * arguments and opt (which must hold mnt; the caller checks its length). */
size_t ds_fs_steps(enum ds_storage_fs fs, int first_boot, const char *fsdev, const char *mnt,
		   struct ds_fs_step *steps, char opt[DS_FS_OPT_MAX]);
/* Runs them in order. zfs without its tools is a clear error. */
int ds_fs_run(enum ds_storage_fs fs, int first_boot, const char *fsdev, const char *mnt);

/* Whether an unencrypted device already carries the filesystem (HEAD:
 * `blkid -s TYPE -o value DEV` says ext4; `zpool import -N -o readonly=on
 * dstack` succeeds, then the pool is exported again). */
int ds_fs_present(enum ds_storage_fs fs, const char *dev, int *present);

#endif
