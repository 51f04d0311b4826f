/* Storage options from the kernel command line and app-compose, the exact
 * filesystem and swap command lines (upstream HEAD, spec system-setup.md
 * 5.5, 5.7), and the swap file steps run against stub tools. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "setup/storage.h"

static void test_defaults_and_overrides(void **state)
{
	struct ds_storage_opts o;

	(void)state;
	assert_int_equal(ds_storage_opts_parse("console=ttyS0 quiet", DS_STORAGE_FS_UNSET, &o), 0);
	assert_int_equal(o.encrypted, 1);
	assert_int_equal(o.fs, DS_STORAGE_FS_ZFS);
	assert_int_equal(ds_storage_opts_parse("a dstack.storage_encrypted=off dstack.storage_fs=EXT4\n",
					       DS_STORAGE_FS_UNSET, &o), 0);
	assert_int_equal(o.encrypted, 0);
	assert_int_equal(o.fs, DS_STORAGE_FS_EXT4);
	assert_int_equal(ds_storage_opts_parse("dstack.storage_encrypted=yes dstack.storage_fs=ext4",
					       DS_STORAGE_FS_ZFS, &o), 0);
	assert_int_equal(o.encrypted, 1);
	assert_int_equal(o.fs, DS_STORAGE_FS_ZFS);
	assert_string_equal(ds_storage_fs_name(DS_STORAGE_FS_EXT4), "ext4");
	assert_string_equal(ds_storage_fs_name(DS_STORAGE_FS_ZFS), "zfs");
}

static void test_bad_values(void **state)
{
	static const char *const bad[] = {
		"dstack.storage_encrypted=maybe", "dstack.storage_encrypted=", "dstack.storage_fs=btrfs",
		"dstack.storage_fs=", "dstack.storage_encrypted=TRUE",
	};
	struct ds_storage_opts o;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(ds_storage_opts_parse(bad[i], DS_STORAGE_FS_UNSET, &o), 0);
	/* a similar but different parameter is not ours */
	assert_int_equal(ds_storage_opts_parse("xdstack.storage_fs=btrfs", DS_STORAGE_FS_UNSET, &o), 0);
}

static void assert_argv(const struct ds_fs_step *step, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		assert_non_null(step->argv[i]);
		assert_string_equal(step->argv[i], want[i]);
	}
	assert_null(step->argv[i]);
}

static void test_zfs_commands(void **state)
{
	static const char *const create[] = { "zpool", "create", "-o", "autoexpand=on", "-m", "none",
					      "dstack", "/dev/mapper/dstack_data_disk", NULL };
	static const char *const dataset[] = { "zfs", "create", "-o", "mountpoint=/mnt/p", "-o",
					       "atime=off", "-o", "checksum=blake3", "dstack/data",
					       NULL };
	static const char *const import[] = { "zpool", "import", "dstack", NULL };
	static const char *const status[] = { "zpool", "status", "dstack", NULL };
	static const char *const online[] = { "zpool", "online", "-e", "dstack",
					      "/dev/mapper/dstack_data_disk", NULL };
	static const char *const mount[] = { "zfs", "mount", "dstack/data", NULL };
	struct ds_fs_step s[4];
	char opt[DS_FS_OPT_MAX];

	(void)state;
	memset(s, 0, sizeof(s));
	assert_int_equal(ds_fs_steps(DS_STORAGE_FS_ZFS, 1, "/dev/mapper/dstack_data_disk", "/mnt/p",
				     s, opt), 2);
	assert_argv(&s[0], create);
	assert_argv(&s[1], dataset);
	memset(s, 0, sizeof(s));
	assert_int_equal(ds_fs_steps(DS_STORAGE_FS_ZFS, 0, "/dev/mapper/dstack_data_disk", "/mnt/p",
				     s, opt), 4);
	assert_argv(&s[0], import);
	assert_argv(&s[1], status);
	assert_argv(&s[2], online);
	assert_argv(&s[3], mount);
}

static void test_ext4_commands(void **state)
{
	static const char *const mkfs[] = { "mkfs.ext4", "-F", "/dev/vdb", NULL };
	static const char *const mount[] = { "mount", "/dev/vdb", "/mnt/p", NULL };
	static const char *const fsck[] = { "e2fsck", "-f", "-p", "/dev/vdb", NULL };
	static const char *const resize[] = { "resize2fs", "/dev/vdb", NULL };
	struct ds_fs_step s[4];
	char opt[DS_FS_OPT_MAX];

	(void)state;
	memset(s, 0, sizeof(s));
	assert_int_equal(ds_fs_steps(DS_STORAGE_FS_EXT4, 1, "/dev/vdb", "/mnt/p", s, opt), 2);
	assert_argv(&s[0], mkfs);
	assert_argv(&s[1], mount);
	memset(s, 0, sizeof(s));
	assert_int_equal(ds_fs_steps(DS_STORAGE_FS_EXT4, 0, "/dev/vdb", "/mnt/p", s, opt), 3);
	assert_argv(&s[0], fsck);
	assert_int_equal(s[0].ok_max, 1);
	assert_argv(&s[1], resize);
	assert_int_equal(s[1].ok_max, 0);
	assert_argv(&s[2], mount);
}

static void test_swap_zfs_commands(void **state)
{
	static const char *const volmode[] = { "zfs", "set", "volmode=none", "dstack/swap", NULL };
	static const char *const destroy[] = { "zfs", "destroy", "dstack/swap", NULL };
	static const char *const create[] = {
		"zfs", "create", "-V", "2147483648", "-o", "compression=zle", "-o",
		"logbias=throughput", "-o", "sync=always", "-o", "primarycache=metadata", "-o",
		"com.sun:auto-snapshot=false", "dstack/swap", NULL
	};
	static const char *const mkswap[] = { "mkswap", "/dev/zvol/dstack/swap", NULL };
	static const char *const swapon[] = { "swapon", "/dev/zvol/dstack/swap", NULL };
	static const char *const show[] = { "swapon", "--show", NULL };
	struct ds_swap_plan p;

	(void)state;
	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_ZFS, 2ull << 30, "/mnt/p", &p), 0);
	assert_string_equal(p.target, "/dev/zvol/dstack/swap");
	assert_int_equal(p.n_drop, 2);
	assert_argv(&p.drop[0], volmode);
	assert_argv(&p.drop[1], destroy);
	assert_argv(&p.alloc, create);
	assert_argv(&p.enable[0], mkswap);
	assert_argv(&p.enable[1], swapon);
	assert_argv(&p.enable[2], show);
}

static void test_swap_ext4_commands(void **state)
{
	static const char *const fallocate[] = { "fallocate", "-l", "1048576", "/mnt/p/swapfile",
						 NULL };
	static const char *const mkswap[] = { "mkswap", "/mnt/p/swapfile", NULL };
	static const char *const swapon[] = { "swapon", "/mnt/p/swapfile", NULL };
	static const char *const show[] = { "swapon", "--show", NULL };
	struct ds_swap_plan p;

	(void)state;
	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_EXT4, 1 << 20, "/mnt/p", &p), 0);
	assert_string_equal(p.target, "/mnt/p/swapfile");
	assert_int_equal(p.n_drop, 0);
	assert_argv(&p.alloc, fallocate);
	assert_argv(&p.enable[0], mkswap);
	assert_argv(&p.enable[1], swapon);
	assert_argv(&p.enable[2], show);
}

static void test_swap_size_bounds(void **state)
{
	char mnt[PATH_MAX];
	struct ds_swap_plan p;

	(void)state;
	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_EXT4, 0, "/m", &p), 0);
	assert_int_equal(p.bytes, 0);
	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_EXT4, 40 << 10, "/m", &p), 0);
	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_ZFS, 1ull << 40, "/m", &p), 0);
	assert_string_equal(p.size, "1099511627776");
	assert_fails_with(ds_swap_plan(DS_STORAGE_FS_EXT4, (40 << 10) - 1, "/m", &p),
			  "swap_size 40959 is below the 40960 bytes");
	assert_fails_with(ds_swap_plan(DS_STORAGE_FS_ZFS, 1, "/m", &p), "invalid swap_size");
	assert_fails_with(ds_swap_plan(DS_STORAGE_FS_ZFS, (1ull << 40) + 1, "/m", &p),
			  "more than 1 TiB");
	assert_fails_with(ds_swap_plan(DS_STORAGE_FS_EXT4, UINT64_MAX, "/m", &p), "more than 1 TiB");
	memset(mnt, 'a', sizeof(mnt) - 8);
	mnt[0] = '/';
	mnt[sizeof(mnt) - 8] = '\0';
	assert_fails_with(ds_swap_plan(DS_STORAGE_FS_EXT4, 1 << 20, mnt, &p), "too long");
	/* zfs needs no path under the mount point */
	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_ZFS, 1 << 20, mnt, &p), 0);
}

/* A directory with stub mkswap and swapon (they log their arguments and
 * the file's mode) and a fallocate that logs, then runs the real one. */
struct swap_fx {
	char dir[64];
	char mnt[128], file[160], log[128], old_path[4096];
};

static void write_stub(const struct swap_fx *fx, const char *name, const char *body)
{
	char path[128], text[512];

	snprintf(path, sizeof(path), "%s/bin/%s", fx->dir, name);
	snprintf(text, sizeof(text), "#!/bin/sh\n%s\n", body);
	write_text(path, text);
	assert_int_equal(chmod(path, 0755), 0);
}

static int swap_setup(void **state)
{
	struct swap_fx *fx = calloc(1, sizeof(*fx));
	char bin[128], path[4096 + 128], log_stmt[256];

	assert_non_null(fx);
	tmpdir_create(fx->dir, "swap");
	snprintf(bin, sizeof(bin), "%s/bin", fx->dir);
	snprintf(fx->mnt, sizeof(fx->mnt), "%s/mnt", fx->dir);
	snprintf(fx->file, sizeof(fx->file), "%s/swapfile", fx->mnt);
	snprintf(fx->log, sizeof(fx->log), "%s/log", fx->dir);
	assert_int_equal(mkdir(bin, 0755), 0);
	assert_int_equal(mkdir(fx->mnt, 0755), 0);
	snprintf(log_stmt, sizeof(log_stmt), "echo \"$(basename $0) $* $(stat -c %%a \"$1\")\" >>%s",
		 fx->log);
	write_stub(fx, "mkswap", log_stmt);
	snprintf(log_stmt, sizeof(log_stmt), "echo \"swapon $*\" >>%s", fx->log);
	write_stub(fx, "swapon", log_stmt);
	snprintf(log_stmt, sizeof(log_stmt),
		 "echo \"fallocate $* $(stat -c %%a \"$3\")\" >>%s; PATH=${PATH#*:} exec fallocate \"$@\"",
		 fx->log);
	write_stub(fx, "fallocate", log_stmt);
	snprintf(fx->old_path, sizeof(fx->old_path), "%s", getenv("PATH"));
	snprintf(path, sizeof(path), "%s:%s", bin, fx->old_path);
	setenv("PATH", path, 1);
	*state = fx;
	return 0;
}

static int swap_teardown(void **state)
{
	struct swap_fx *fx = *state;

	setenv("PATH", fx->old_path, 1);
	tmpdir_remove(fx->dir);
	free(fx);
	return 0;
}

static int run_ext4_swap(const struct swap_fx *fx, uint64_t bytes)
{
	struct ds_swap_plan p;

	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_EXT4, bytes, fx->mnt, &p), 0);
	return ds_swap_run(&p);
}

static void assert_log(const struct swap_fx *fx, const char *want)
{
	struct ds_buf log = { 0 };

	assert_int_equal(ds_read_file(fx->log, 4096, &log), 0);
	assert_int_equal(log.len, strlen(want));
	assert_memory_equal(log.data, want, log.len);
	ds_buf_free(&log);
	unlink(fx->log);
}

/* An old zvol is found by asking zfs, whether or not its /dev link is
 * there yet (or ever again, after volmode=none). */
static void test_swap_zvol_drop(void **state)
{
	const struct swap_fx *fx = *state;
	struct ds_swap_plan p;
	char stmt[256];

	snprintf(stmt, sizeof(stmt),
		 "echo \"zfs $*\" >>%s; [ \"$1\" = list ] && exit ${ZFS_LIST_EXIT:-1}; exit 0", fx->log);
	write_stub(fx, "zfs", stmt);
	assert_int_equal(ds_swap_plan(DS_STORAGE_FS_ZFS, 0, fx->mnt, &p), 0);
	setenv("ZFS_LIST_EXIT", "1", 1);
	assert_int_equal(ds_swap_run(&p), 0);
	assert_log(fx, "zfs list -H -o name dstack/swap\n");
	setenv("ZFS_LIST_EXIT", "0", 1);
	assert_int_equal(ds_swap_run(&p), 0);
	assert_log(fx, "zfs list -H -o name dstack/swap\n"
		       "zfs set volmode=none dstack/swap\nzfs destroy dstack/swap\n");
	unsetenv("ZFS_LIST_EXIT");
}

/* The file is 0600 before fallocate runs (even with umask 0), and the
 * commands are upstream's; a reboot with swap_size 0 removes it. */
static void test_swap_file_run(void **state)
{
	struct swap_fx *fx = *state;
	char want[1024];
	struct stat st;
	mode_t old = umask(0);

	assert_int_equal(run_ext4_swap(fx, 1 << 20), 0);
	umask(old);
	snprintf(want, sizeof(want),
		 "fallocate -l 1048576 %s 600\nmkswap %s 600\nswapon %s\nswapon --show\n",
		 fx->file, fx->file, fx->file);
	assert_log(fx, want);
	assert_int_equal(lstat(fx->file, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 1 << 20);
	assert_true(st.st_blocks * 512 >= 1 << 20);

	assert_int_equal(run_ext4_swap(fx, 0), 0);
	assert_int_equal(lstat(fx->file, &st), -1);
	assert_int_equal(access(fx->log, F_OK), -1);
	/* nothing there and size 0: nothing to do */
	assert_int_equal(run_ext4_swap(fx, 0), 0);
}

/* A link planted at MNT/swapfile, to a file or to nothing, is removed and
 * never followed. */
static void test_swap_file_link_not_followed(void **state)
{
	struct swap_fx *fx = *state;
	char victim[128], absent[128];
	struct ds_buf got = { 0 };
	struct stat st;

	snprintf(victim, sizeof(victim), "%s/victim", fx->dir);
	snprintf(absent, sizeof(absent), "%s/absent", fx->dir);
	write_text(victim, "keep me");
	assert_int_equal(chmod(victim, 0644), 0);
	assert_int_equal(symlink(victim, fx->file), 0);
	assert_int_equal(run_ext4_swap(fx, 64 << 10), 0);
	assert_int_equal(ds_read_file(victim, 64, &got), 0);
	assert_int_equal(got.len, 7);
	assert_memory_equal(got.data, "keep me", 7);
	ds_buf_free(&got);
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(lstat(fx->file, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 64 << 10);

	assert_int_equal(unlink(fx->file), 0);
	assert_int_equal(symlink(absent, fx->file), 0);
	assert_int_equal(run_ext4_swap(fx, 64 << 10), 0);
	assert_int_equal(access(absent, F_OK), -1);
	assert_int_equal(lstat(fx->file, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

/* Each failure is an error; the next boot starts again from what the
 * failed one left. */
static void test_swap_file_errors(void **state)
{
	struct swap_fx *fx = *state;

	assert_int_equal(mkdir(fx->file, 0755), 0);
	assert_fails_with(run_ext4_swap(fx, 64 << 10), "Failed to remove swapfile");
	assert_int_equal(rmdir(fx->file), 0);

	write_stub(fx, "mkswap", "exit 3");
	assert_fails_with(run_ext4_swap(fx, 64 << 10), "mkswap exited with 3");
	assert_fails_with(run_ext4_swap(fx, 64 << 10), "Failed to enable swap on swapfile");
	write_stub(fx, "fallocate", "exit 1");
	assert_fails_with(run_ext4_swap(fx, 64 << 10), "fallocate exited with 1");
	assert_int_equal(access(fx->file, F_OK), 0);
	assert_int_equal(run_ext4_swap(fx, 0), 0);
	assert_int_equal(access(fx->file, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_overrides),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_zfs_commands),
		cmocka_unit_test(test_ext4_commands),
		cmocka_unit_test(test_swap_zfs_commands),
		cmocka_unit_test(test_swap_ext4_commands),
		cmocka_unit_test(test_swap_size_bounds),
		cmocka_unit_test_setup_teardown(test_swap_zvol_drop, swap_setup, swap_teardown),
		cmocka_unit_test_setup_teardown(test_swap_file_run, swap_setup, swap_teardown),
		cmocka_unit_test_setup_teardown(test_swap_file_link_not_followed, swap_setup,
						swap_teardown),
		cmocka_unit_test_setup_teardown(test_swap_file_errors, swap_setup, swap_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
