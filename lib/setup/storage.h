/* Storage of the data disk (spec system-setup.md 5.5-5.7, HEAD): whether it
 * is encrypted and which filesystem it carries, from the kernel command
 * line and app-compose; the filesystem steps and the swap steps with
 * upstream's exact commands (ext4 tools, zpool/zfs, mkswap/swapon), run
 * without a shell. */
#ifndef DS_SETUP_STORAGE_H
#define DS_SETUP_STORAGE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "setup/app_compose.h"

/* Kernel command line: $DSTACK_CMDLINE_FILE (absolute) or /proc/cmdline. */
#define DS_CMDLINE_FILE_ENV "DSTACK_CMDLINE_FILE"
#define DS_CMDLINE_MAX (64u << 10)
#define DS_ZFS_POOL "dstack"
#define DS_ZFS_DATASET "dstack/data"
/* Longest argument vector of a filesystem step (NULL included). */
#define DS_FS_ARGV_MAX 16

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
#define DS_FS_STEP(...) ((struct ds_fs_step){ .argv = { __VA_ARGS__, NULL } })
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
/* Runs one step: an exit code above ok_max is an error. */
int ds_fs_step_run(const struct ds_fs_step *step);

/* Whether an unencrypted device already carries the filesystem (HEAD:
 * `blkid -s TYPE -o value DEV` says ext4; `zpool import -N -o readonly=on
 * dstack` succeeds, then the pool is exported again). */
int ds_fs_present(enum ds_storage_fs fs, const char *dev, int *present);

/* Swap (spec 5.7): on every boot the swap of the previous boot is dropped
 * and, when app-compose's swap_size is not 0, made again with that size: a
 * zvol on zfs, MNT/swapfile on ext4. */
#define DS_SWAP_ZVOL "dstack/swap"
#define DS_SWAP_ZVOL_DEV "/dev/zvol/" DS_SWAP_ZVOL
/* Seconds to wait for udev to create DS_SWAP_ZVOL_DEV, as upstream. */
#define DS_SWAP_ZVOL_WAIT 10
/* Bounds of a non-zero swap_size: mkswap needs 10 pages; more than 1 TiB
 * is taken for a mistake and refused before the disk is touched. */
#define DS_SWAP_SIZE_MIN (40ull << 10)
#define DS_SWAP_SIZE_MAX (1ull << 40)

/* The swap steps for one boot. The steps point into size and target, so a
 * plan is used where it was made (never copied). */
struct ds_swap_plan {
	enum ds_storage_fs fs;
	uint64_t bytes;                /* 0: only drop the old swap */
	char size[24];                 /* bytes in decimal */
	char target[PATH_MAX];         /* the zvol device, or MNT/swapfile */
	struct ds_fs_step drop[2];     /* zfs: `zfs set volmode=none`, `zfs destroy` */
	size_t n_drop;                 /* ext4: 0, the file is unlinked directly */
	struct ds_fs_step alloc;       /* `zfs create -V ...` or `fallocate -l ...` */
	struct ds_fs_step enable[3];   /* mkswap, swapon, swapon --show */
};

/* Checks bytes (0, or within the bounds) and the path length, and writes
 * the steps. Nothing is run. */
int ds_swap_plan(enum ds_storage_fs fs, uint64_t bytes, const char *mnt, struct ds_swap_plan *p);
/* Runs a plan once the filesystem is mounted. ext4: an old MNT/swapfile of
 * any type but a directory is unlinked (a symlink is never followed) and
 * the new one is created O_EXCL with mode 0600 before it is allocated. zfs:
 * the old zvol is destroyed when its device exists; the new one's device
 * is awaited for DS_SWAP_ZVOL_WAIT seconds. Any failure is an error. */
int ds_swap_run(const struct ds_swap_plan *p);

#endif
