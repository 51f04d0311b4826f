/* Storage options from the kernel command line and app-compose, and the
 * exact filesystem command lines (upstream HEAD, spec system-setup.md 5.5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_overrides),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_zfs_commands),
		cmocka_unit_test(test_ext4_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
