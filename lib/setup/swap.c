/* Swap on the data disk (spec system-setup.md 5.7, upstream HEAD's
 * setup_swap): the commands are upstream's, except that an old zvol is
 * found with `zfs list` rather than by its /dev link, and the swap file is
 * created here (O_EXCL, O_NOFOLLOW, mode 0600) instead of by fallocate and
 * a later `chmod 600`, so it is never readable by others and a link
 * planted in its place is never followed. */
#include "setup/storage.h"
#include "util/err.h"
#include "util/exec.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int check_size(uint64_t bytes)
{
	if (bytes && bytes < DS_SWAP_SIZE_MIN)
		return ds_err(-EINVAL, "swap_size %" PRIu64 " is below the %llu bytes a swap area "
			      "needs", bytes, DS_SWAP_SIZE_MIN);
	if (bytes > DS_SWAP_SIZE_MAX)
		return ds_err(-EINVAL, "swap_size %" PRIu64 " is more than 1 TiB: refusing it",
			      bytes);
	return 0;
}

int ds_swap_plan(enum ds_storage_fs fs, uint64_t bytes, const char *mnt, struct ds_swap_plan *p)
{
	int r = check_size(bytes);

	if (r)
		return ds_err_ctx(r, "invalid swap_size");
	*p = (struct ds_swap_plan){ .fs = fs, .bytes = bytes };
	snprintf(p->size, sizeof(p->size), "%" PRIu64, bytes);
	if (fs == DS_STORAGE_FS_ZFS) {
		snprintf(p->target, sizeof(p->target), "%s", DS_SWAP_ZVOL_DEV);
		p->drop[0] = DS_FS_STEP("zfs", "set", "volmode=none", DS_SWAP_ZVOL);
		p->drop[1] = DS_FS_STEP("zfs", "destroy", DS_SWAP_ZVOL);
		p->n_drop = 2;
		p->alloc = DS_FS_STEP("zfs", "create", "-V", p->size, "-o", "compression=zle", "-o",
				      "logbias=throughput", "-o", "sync=always", "-o",
				      "primarycache=metadata", "-o", "com.sun:auto-snapshot=false",
				      DS_SWAP_ZVOL);
	} else {
		if ((size_t)snprintf(p->target, sizeof(p->target), "%s/swapfile", mnt) >=
		    sizeof(p->target))
			return ds_err(-ENAMETOOLONG, "mount point too long for the swap file");
		p->alloc = DS_FS_STEP("fallocate", "-l", p->size, p->target);
	}
	p->enable[0] = DS_FS_STEP("mkswap", p->target);
	p->enable[1] = DS_FS_STEP("swapon", p->target);
	p->enable[2] = DS_FS_STEP("swapon", "--show");
	return 0;
}

static int run_steps(const struct ds_fs_step *steps, size_t n)
{
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++)
		r = ds_fs_step_run(&steps[i]);
	return r;
}

/* Whether path names something, following links (udev's /dev/zvol link). */
static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Asked of zfs, not of the /dev/zvol link (upstream): udev makes that link
 * some time after the pool is imported, and never again once a cut-off
 * boot set volmode=none, so a zvol without it would be missed and the
 * create below would fail on every later boot. */
static int zvol_exists(int *exists_out)
{
	const char *const argv[] = { "zfs", "list", "-H", "-o", "name", DS_SWAP_ZVOL, NULL };
	int code, r = ds_exec_status(argv, &code);

	*exists_out = r == 0 && code == 0;
	return r;
}

static int drop_zvol(const struct ds_swap_plan *p)
{
	int present, r = zvol_exists(&present);

	if (r == 0 && present)
		r = run_steps(p->drop, p->n_drop);
	return r ? ds_err_ctx(r, "Failed to destroy swap zvol") : 0;
}

/* unlink(2) removes a link itself, never its target. */
static int drop_file(const struct ds_swap_plan *p)
{
	if (unlink(p->target) == 0) {
		ds_info("swap", "Removed existing swapfile");
		return 0;
	}
	if (errno == ENOENT)
		return 0;
	return ds_err(-errno, "Failed to remove swapfile %s: %s", p->target, strerror(errno));
}

static int wait_for_device(const char *dev)
{
	for (int i = 0; !exists(dev) && i < DS_SWAP_ZVOL_WAIT; i++)
		sleep(1);
	if (!exists(dev))
		return ds_err(-ETIMEDOUT, "Device %s did not appear after %d seconds", dev,
			      DS_SWAP_ZVOL_WAIT);
	return 0;
}

static int make_zvol(const struct ds_swap_plan *p)
{
	int r;

	ds_info("swap", "Creating swap zvol at %s (size %s bytes)", p->target, p->size);
	r = ds_fs_step_run(&p->alloc);
	if (r)
		return ds_err_ctx(r, "Failed to create swap zvol %s", DS_SWAP_ZVOL);
	r = wait_for_device(p->target);
	r = r ?: run_steps(p->enable, 3);
	return r ? ds_err_ctx(r, "Failed to enable swap on zvol") : 0;
}

/* An empty file of mode 0600 whatever the umask; fails if anything exists
 * at path (drop_file removed the old one). */
static int create_private_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r = 0;

	if (fd < 0)
		return ds_err(-errno, "Failed to create %s: %s", path, strerror(errno));
	if (fchmod(fd, 0600) < 0)
		r = ds_err(-errno, "Failed to set the mode of %s: %s", path, strerror(errno));
	close(fd);
	return r;
}

static int make_file(const struct ds_swap_plan *p)
{
	int r;

	ds_info("swap", "Creating swapfile at %s (size %s bytes)", p->target, p->size);
	r = create_private_file(p->target);
	r = r ?: ds_fs_step_run(&p->alloc);
	r = r ?: run_steps(p->enable, 3);
	return r ? ds_err_ctx(r, "Failed to enable swap on swapfile") : 0;
}

int ds_swap_run(const struct ds_swap_plan *p)
{
	int zfs = p->fs == DS_STORAGE_FS_ZFS;
	int r = zfs ? drop_zvol(p) : drop_file(p);

	if (r || p->bytes == 0)
		return r;
	return zfs ? make_zvol(p) : make_file(p);
}
