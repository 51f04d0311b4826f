/* Runtime event emission against a fake RTMR sysfs directory of plain files
 * (DCAP_TDX_RTMR_SYSFS_PATH): the version file rules, the log line and the
 * extended digest, and the rollback that keeps log and RTMR3 consistent
 * when either step fails. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest/runtime_emit.h"
#include "attest/runtime_event.h"
#include "tdx/tdx.h"
#include "util/err.h"
#include "util/file.h"
#include "helpers.h"
#include "util/hex.h"

static char tmpdir[64], logdir[128], sysfs[128], rtmr3[192], logfile[192], versionfile[192];

/* Contents of path ("" when missing). */
static char *slurp(const char *path, size_t *len)
{
	struct ds_buf b = { 0 };
	char *s;

	if (ds_read_file(path, 1 << 20, &b) != 0) {
		ds_err_clear();
		*len = 0;
		return calloc(1, 1);
	}
	s = calloc(1, b.len + 1);
	memcpy(s, b.data, b.len);
	*len = b.len;
	ds_buf_free(&b);
	return s;
}

/* A fresh log directory (not created yet: emit must create it) and a fake
 * measurements directory whose rtmr3 file is a plain empty file. */
static int setup(void **state)
{
	(void)state;
	tmpdir_create(tmpdir, "emit-unit");
	snprintf(logdir, sizeof(logdir), "%s/run/log/dstack", tmpdir);
	snprintf(sysfs, sizeof(sysfs), "%s/measurements", tmpdir);
	snprintf(rtmr3, sizeof(rtmr3), "%s/rtmr3:sha384", sysfs);
	snprintf(logfile, sizeof(logfile), "%s/" DS_RUNTIME_LOG_NAME, logdir);
	snprintf(versionfile, sizeof(versionfile), "%s/" DS_RUNTIME_VERSION_NAME, logdir);
	assert_int_equal(mkdir(sysfs, 0700), 0);
	write_text(rtmr3, "");
	setenv("DSTACK_RUNTIME_LOG_DIR", logdir, 1);
	setenv(DS_TDX_RTMR_SYSFS_ENV, sysfs, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(tmpdir);
}

/* Writes the version file by hand, as setup would. */
static void set_version_text(const char *text)
{
	assert_int_equal(ds_mkdir_p(logdir, 0700), 0);
	write_text(versionfile, text);
}

static void test_version_rules(void **state)
{
	int version = 0;

	(void)state;
	assert_fails_with(ds_runtime_version_read(&version),
			  "runtime event version is not configured; complete dstack system setup before emitting events");
	assert_fails_with(ds_runtime_version_set(3), "invalid runtime event version: 3");
	assert_int_equal(ds_runtime_version_set(1), 0);
	assert_int_equal(ds_runtime_version_read(&version), 0);
	assert_int_equal(version, 1);
	assert_int_equal(ds_runtime_version_set(1), 0);   /* repeating is fine */
	assert_fails_with(ds_runtime_version_set(2),
			  "runtime event version is already set to 1 for this boot and cannot be changed to 2");
	assert_true(strstr(err_chain(), "restart the CVM") != NULL);

	{
		struct stat st;
		size_t len;
		char *text = slurp(versionfile, &len);

		assert_string_equal(text, "1");  /* no newline */
		free(text);
		assert_int_equal(stat(versionfile, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(stat(logdir, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}

	set_version_text(" 2\n");      /* trimmed */
	assert_int_equal(ds_runtime_version_read(&version), 0);
	assert_int_equal(version, 2);
	assert_int_equal(ds_runtime_version_set(2), 0);
	set_version_text("3");
	assert_fails_with(ds_runtime_version_read(&version), "invalid runtime event version: 3");
	set_version_text("");
	assert_fails_with(ds_runtime_version_read(&version), "invalid runtime event version: ");
	assert_int_equal(ds_write_file_atomic(versionfile, "1\0", 2, 0600), 0);
	assert_fails_with(ds_runtime_version_read(&version), "contains a NUL byte");
	set_version_text("1111111111111111111111111111111111111111111111111111111111111111111");
	assert_fails_with(ds_runtime_version_read(&version), "not configured");
}

static void test_emit_without_version(void **state)
{
	size_t len;
	char *rtmr;

	(void)state;
	assert_fails_with(ds_runtime_emit("app-id", (const uint8_t *)"\1", 1),
			  "runtime event version is not configured");
	assert_int_equal(access(logfile, F_OK), -1);
	assert_int_equal(access(logdir, F_OK), -1);   /* nothing created under /run */
	rtmr = slurp(rtmr3, &len);
	assert_int_equal(len, 0);
	free(rtmr);
}

static void assert_rtmr3_holds(const char *name, const uint8_t *payload, size_t plen, int version)
{
	uint8_t digest[48];
	size_t len;
	char *rtmr = slurp(rtmr3, &len);

	assert_int_equal(ds_runtime_digest(name, payload, plen, version, digest), 0);
	assert_int_equal(len, 48);
	assert_memory_equal(rtmr, digest, 48);
	free(rtmr);
}

static void test_emit_appends_and_extends(void **state)
{
	const uint8_t deadbeef[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct ds_event_list events = { 0 };
	struct stat st;
	size_t len;
	char *log;

	(void)state;
	set_version_text("1");
	assert_int_equal(ds_runtime_emit("app-id", deadbeef, 4), 0);
	assert_rtmr3_holds("app-id", deadbeef, 4, 1);
	write_text(rtmr3, "");
	assert_int_equal(ds_runtime_emit("system-ready", NULL, 0), 0);
	assert_rtmr3_holds("system-ready", NULL, 0, 1);
	log = slurp(logfile, &len);
	assert_string_equal(log, "{\"event\":\"app-id\",\"payload\":\"3q2+7w==\"}\n"
				 "{\"event\":\"system-ready\",\"payload\":\"\"}\n");
	free(log);
	assert_int_equal(stat(logfile, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	set_version_text("2");
	assert_int_equal(ds_runtime_emit("compose-hash", (const uint8_t *)"\xab\xcd", 2), 0);
	assert_rtmr3_holds("compose-hash", (const uint8_t *)"\xab\xcd", 2, 2);
	assert_int_equal(ds_runtime_log_read(logfile, &events), 0);
	assert_int_equal(events.len, 3);
	assert_int_equal(events.items[2].version, 2);
	ds_event_list_free(&events);
}

/* The extend fails: the line just appended is taken back. */
static void test_failed_extend_rolls_back(void **state)
{
	size_t before_len, after_len;
	char *before, *after;

	(void)state;
	set_version_text("1");
	assert_int_equal(ds_runtime_emit("first", NULL, 0), 0);
	before = slurp(logfile, &before_len);

	/* The "kernel" refuses the write (as root, a read-only file would not). */
	assert_int_equal(unlink(rtmr3), 0);
	assert_int_equal(symlink("/dev/full", rtmr3), 0);
	assert_fails_with(ds_runtime_emit("second", (const uint8_t *)"x", 1), "Failed to extend TDX RTMR");
	assert_true(strstr(err_chain(), "extend failure: write ") != NULL);
	after = slurp(logfile, &after_len);
	assert_int_equal(after_len, before_len);
	assert_string_equal(after, before);
	free(after);

	/* No measurement interface at all. */
	assert_int_equal(unlink(rtmr3), 0);
	assert_fails_with(ds_runtime_emit("third", NULL, 0), "extend failure: open ");
	after = slurp(logfile, &after_len);
	assert_string_equal(after, before);
	free(after);
	setenv(DS_TDX_RTMR_SYSFS_ENV, "/nonexistent-measurements", 1);
	assert_fails_with(ds_runtime_emit("fourth", NULL, 0), "invalid RTMR sysfs path");
	after = slurp(logfile, &after_len);
	assert_string_equal(after, before);
	free(after);
	free(before);
	setenv(DS_TDX_RTMR_SYSFS_ENV, sysfs, 1);
}

/* The append fails: nothing is extended. */
static void test_failed_append_extends_nothing(void **state)
{
	size_t len;
	char *rtmr;

	(void)state;
	set_version_text("1");
	assert_int_equal(mkdir(logfile, 0700), 0);   /* the log path is unusable */
	assert_fails_with(ds_runtime_emit("app-id", NULL, 0), "Failed to emit runtime event");
	rtmr = slurp(rtmr3, &len);
	assert_int_equal(len, 0);
	free(rtmr);
}

static void test_bad_events(void **state)
{
	static uint8_t big[DS_RUNTIME_LINE_MAX];
	size_t len;
	char *rtmr;

	(void)state;
	set_version_text("1");
	assert_fails_with(ds_runtime_emit("\xff", NULL, 0), "not valid UTF-8");
	/* A line the reader would refuse is never written. */
	assert_fails_with(ds_runtime_emit("big", big, sizeof(big)), "runtime event line longer than");
	/* V1 cannot tell "a:b" + "c" from "a" + "b:c"; V2 can. */
	assert_fails_with(ds_runtime_emit("a:b", (const uint8_t *)"c", 1), "contains ':'");
	assert_int_equal(access(logfile, F_OK), -1);
	rtmr = slurp(rtmr3, &len);
	assert_int_equal(len, 0);
	free(rtmr);
}

/* Anyone else able to write the log directory could redirect the append. */
static void test_log_dir_must_be_private(void **state)
{
	char link[256];

	(void)state;
	set_version_text("1");
	assert_int_equal(chmod(logdir, 0777), 0);
	assert_fails_with(ds_runtime_emit("x", NULL, 0), "writable by no one else");
	assert_int_equal(chmod(logdir, 0700), 0);
	snprintf(link, sizeof(link), "%s/linked", tmpdir);
	assert_int_equal(symlink(logdir, link), 0);
	setenv("DSTACK_RUNTIME_LOG_DIR", link, 1);
	assert_fails_with(ds_runtime_emit("x", NULL, 0), "must be a directory");
	setenv("DSTACK_RUNTIME_LOG_DIR", logdir, 1);
	assert_int_equal(access(logfile, F_OK), -1);
	assert_int_equal(ds_runtime_emit("x", NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emit_without_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emit_appends_and_extends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_extend_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_append_extends_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_dir_must_be_private, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
