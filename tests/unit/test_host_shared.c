/* setup: copying the host-shared files under the copy rules, loading the
 * copy, and recognising the labelled FAT disk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "setup/host_shared.h"
#include "util/err.h"
#include "util/file.h"

struct dirs {
	char root[64], src[96], dst[96];
};

static void path_in(char *out, const char *dir, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

static void put(const char *dir, const char *name, const void *data, size_t len)
{
	char p[PATH_MAX];

	path_in(p, dir, name);
	assert_int_equal(ds_write_file_atomic(p, data, len, 0644), 0);
}

static void put_fixture(const char *dir, const char *name, const char *fixture)
{
	char p[PATH_MAX];
	struct ds_buf b = { 0 };

	path_in(p, DS_FIXTURES_DIR, fixture);
	assert_int_equal(ds_read_file(p, 1 << 20, &b), 0);
	put(dir, name, b.data, b.len);
	ds_buf_free(&b);
}

static int exists(const char *dir, const char *name)
{
	char p[PATH_MAX];

	path_in(p, dir, name);
	return access(p, F_OK) == 0;
}

/* No temporary file of an atomic write may be left behind. */
static void assert_no_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp."))
			fail_msg("temporary file %s left in %s", e->d_name, dir);
	closedir(d);
}

static int setup_dirs(void **state)
{
	struct dirs *d = calloc(1, sizeof(*d));

	strcpy(d->root, "/tmp/ds-hs.XXXXXX");
	assert_non_null(mkdtemp(d->root));
	snprintf(d->src, sizeof(d->src), "%s/share", d->root);
	snprintf(d->dst, sizeof(d->dst), "%s/work/.host-shared", d->root);
	assert_int_equal(mkdir(d->src, 0755), 0);
	put_fixture(d->src, DS_APP_COMPOSE_NAME, "v0.5.4-simulator-app-compose.json");
	put_fixture(d->src, DS_SYS_CONFIG_NAME, "v0.5.4-simulator-sys-config.json");
	*state = d;
	return 0;
}

static int teardown_dirs(void **state)
{
	struct dirs *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->root);
	assert_int_equal(system(cmd), 0);
	free(d);
	return 0;
}

static void expect_copy_error(struct dirs *d, const char *text)
{
	assert_int_not_equal(ds_host_shared_copy(d->src, d->dst), 0);
	if (!strstr(ds_err_msg(ds_err_depth() - 1), text))
		fail_msg("innermost error '%s' lacks '%s'", ds_err_msg(ds_err_depth() - 1), text);
	assert_string_equal(ds_err_msg(0), "Failed to copy the host-shared files");
	assert_no_temporaries(d->dst);
}

static void test_copy_and_load(void **state)
{
	struct dirs *d = *state;
	const char info[] = "{\"instance_id_seed\":\"1111111111111111111111111111111111111111\"}";
	struct ds_host_shared hs;
	struct stat st;
	char p[PATH_MAX];

	put(d->src, DS_INSTANCE_INFO_NAME, info, strlen(info));
	put(d->src, DS_ENCRYPTED_ENV_NAME, "\x01\x02\x03", 3);
	put(d->src, DS_USER_CONFIG_NAME, "", 0);
	put(d->src, "unrelated", "x", 1);
	assert_int_equal(ds_host_shared_copy(d->src, d->dst), 0);
	assert_true(exists(d->dst, DS_USER_CONFIG_NAME));
	assert_false(exists(d->dst, "unrelated"));
	path_in(p, d->dst, DS_APP_COMPOSE_NAME);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_size, 719);
	assert_no_temporaries(d->dst);

	assert_int_equal(ds_host_shared_load(d->dst, &hs), 0);
	assert_int_equal(hs.app_compose_raw.len, 719);
	assert_string_equal(hs.app_compose.name, "kvin-nb");
	assert_string_equal(hs.sys_config.host_api_url, "vsock://2:12000/api");
	assert_int_equal(hs.has_instance_info, 1);
	assert_int_equal(hs.instance_info.instance_id_seed.len, 20);
	assert_int_equal(hs.encrypted_env.len, 3);
	ds_host_shared_free(&hs);
}

/* A re-run must not keep an optional file the host no longer provides. */
static void test_rerun_drops_stale_optional_files(void **state)
{
	struct dirs *d = *state;
	struct ds_host_shared hs;
	char p[PATH_MAX];

	put(d->src, DS_ENCRYPTED_ENV_NAME, "old", 3);
	put(d->src, DS_INSTANCE_INFO_NAME, "{}", 2);
	assert_int_equal(ds_host_shared_import(d->src, d->dst), 0);
	assert_true(exists(d->dst, DS_ENCRYPTED_ENV_NAME));
	put(d->src, DS_SYS_CONFIG_NAME, "{\"vm_config\":\"new\"}", 19);
	path_in(p, d->src, DS_ENCRYPTED_ENV_NAME);
	assert_int_equal(unlink(p), 0);
	path_in(p, d->src, DS_INSTANCE_INFO_NAME);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(ds_host_shared_copy(d->src, d->dst), 0);
	assert_false(exists(d->dst, DS_ENCRYPTED_ENV_NAME));
	assert_false(exists(d->dst, DS_INSTANCE_INFO_NAME));
	assert_int_equal(ds_host_shared_load(d->dst, &hs), 0);
	assert_string_equal(hs.sys_config.vm_config, "new");
	assert_int_equal(hs.has_instance_info, 0);
	assert_int_equal(hs.instance_info.app_id.len, 0);
	assert_non_null(hs.instance_info.app_id.data);
	assert_int_equal(hs.encrypted_env.len, 0);
	ds_host_shared_free(&hs);
}

static void test_missing_required(void **state)
{
	struct dirs *d = *state;
	char p[PATH_MAX];

	path_in(p, d->src, DS_SYS_CONFIG_NAME);
	assert_int_equal(unlink(p), 0);
	expect_copy_error(d, "Source file .sys-config.json does not exist");
	assert_false(exists(d->dst, DS_SYS_CONFIG_NAME));
	path_in(p, d->src, DS_APP_COMPOSE_NAME);
	assert_int_equal(unlink(p), 0);
	expect_copy_error(d, "Source file app-compose.json does not exist");
}

static void test_oversized(void **state)
{
	struct dirs *d = *state;
	static char big[DS_SYS_CONFIG_MAX + 1];

	memset(big, ' ', sizeof(big));
	put(d->src, DS_SYS_CONFIG_NAME, big, sizeof(big));
	expect_copy_error(d, "Source file .sys-config.json is too large, max size is 32768 bytes");
	assert_false(exists(d->dst, DS_SYS_CONFIG_NAME));
	/* Exactly at the limit is fine. */
	put(d->src, DS_SYS_CONFIG_NAME, big, sizeof(big) - 1);
	assert_int_equal(ds_host_shared_copy(d->src, d->dst), 0);
}

static void test_symlink_and_special_files(void **state)
{
	struct dirs *d = *state;
	char p[PATH_MAX], target[PATH_MAX];

	/* A symlink to a valid file is refused, even for an optional file. */
	path_in(target, d->src, DS_APP_COMPOSE_NAME);
	path_in(p, d->src, DS_USER_CONFIG_NAME);
	assert_int_equal(symlink(target, p), 0);
	expect_copy_error(d, "Source file .user-config is a symbolic link");
	assert_false(exists(d->dst, DS_USER_CONFIG_NAME));
	assert_int_equal(unlink(p), 0);
	/* A dangling symlink is not "missing" either. */
	assert_int_equal(symlink("/nonexistent", p), 0);
	expect_copy_error(d, "is a symbolic link");
	assert_int_equal(unlink(p), 0);
	/* A FIFO must neither block the copy nor be read. */
	path_in(p, d->src, DS_INSTANCE_INFO_NAME);
	assert_int_equal(mkfifo(p, 0644), 0);
	expect_copy_error(d, "Source file .instance_info is not a regular file");
	assert_int_equal(unlink(p), 0);
	path_in(p, d->src, DS_ENCRYPTED_ENV_NAME);
	assert_int_equal(mkdir(p, 0755), 0);
	expect_copy_error(d, "Source file .encrypted-env is not a regular file");
	assert_int_equal(rmdir(p), 0);
	assert_int_equal(ds_host_shared_copy(d->src, d->dst), 0);
}

static void test_load_errors(void **state)
{
	struct dirs *d = *state;
	struct ds_host_shared hs;

	assert_int_equal(ds_host_shared_copy(d->src, d->dst), 0);
	put(d->dst, DS_INSTANCE_INFO_NAME, "{\"app_id\":\"00\"}", 15);
	assert_int_not_equal(ds_host_shared_load(d->dst, &hs), 0);
	assert_non_null(strstr(ds_err_msg(0), "Failed to load the host-shared files"));
	assert_null(hs.app_compose.name);
	put(d->dst, DS_INSTANCE_INFO_NAME, "{}", 2);
	put(d->dst, DS_APP_COMPOSE_NAME, "{}", 2);
	assert_int_not_equal(ds_host_shared_load(d->dst, &hs), 0);
	assert_non_null(strstr(ds_err_msg(ds_err_depth() - 1), "missing field `manifest_version`"));
}

static void test_fat_label(void **state)
{
	uint8_t sector[512] = { 0 };

	(void)state;
	sector[510] = 0x55;
	sector[511] = 0xaa;
	memcpy(sector + 82, "FAT32   ", 8);
	memcpy(sector + 71, "DSTACKSHR  ", 11);
	assert_true(ds_fat_label_matches(sector, "DSTACKSHR"));
	assert_false(ds_fat_label_matches(sector, "DSTACKSH"));
	assert_false(ds_fat_label_matches(sector, "DSTACKSHR-TOO-LONG"));
	sector[511] = 0;
	assert_false(ds_fat_label_matches(sector, "DSTACKSHR"));
	memset(sector, 0, sizeof(sector));
	sector[510] = 0x55;
	sector[511] = 0xaa;
	memcpy(sector + 54, "FAT16   ", 8);
	memcpy(sector + 43, "DSTACKSHR  ", 11);
	assert_true(ds_fat_label_matches(sector, "DSTACKSHR"));
	memcpy(sector + 54, "EXT4    ", 8);
	assert_false(ds_fat_label_matches(sector, "DSTACKSHR"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_and_load, setup_dirs, teardown_dirs),
		cmocka_unit_test_setup_teardown(test_rerun_drops_stale_optional_files, setup_dirs,
						teardown_dirs),
		cmocka_unit_test_setup_teardown(test_missing_required, setup_dirs, teardown_dirs),
		cmocka_unit_test_setup_teardown(test_oversized, setup_dirs, teardown_dirs),
		cmocka_unit_test_setup_teardown(test_symlink_and_special_files, setup_dirs,
						teardown_dirs),
		cmocka_unit_test_setup_teardown(test_load_errors, setup_dirs, teardown_dirs),
		cmocka_unit_test(test_fat_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
