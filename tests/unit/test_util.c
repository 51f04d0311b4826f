/* util: hex, base64, error chains, bounded reads, atomic writes, RUST_LOG. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/b64.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"
#include "util/log.h"

static void test_hex(void **state)
{
	struct ds_buf b = { 0 };
	uint8_t fixed[2];
	char out[9];

	(void)state;
	ds_hex_encode((const uint8_t *)"\x00\xab\xcd\xff", 4, out);
	assert_string_equal(out, "00abcdff");
	assert_int_equal(ds_hex_decode("DEadbeef", 8, &b), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "\xde\xad\xbe\xef", 4);
	ds_buf_free(&b);
	assert_int_equal(ds_hex_decode("abc", 3, &b), -EINVAL);
	assert_string_equal(ds_err_msg(0), "Odd number of digits");
	assert_int_equal(ds_hex_decode("0x12", 4, &b), -EINVAL);
	assert_string_equal(ds_err_msg(0), "Invalid character 'x' at position 1");
	assert_string_equal(ds_hex_strip_0x("0x0x12"), "12");
	assert_string_equal(ds_hex_strip_0x("0X12"), "0X12");
	assert_int_equal(ds_hex_decode_exact("abcd", fixed, 2), 0);
	assert_int_not_equal(ds_hex_decode_exact("abcdef", fixed, 2), 0);
}

static void test_b64(void **state)
{
	struct ds_buf b = { 0 };
	char *s;

	(void)state;
	s = ds_b64_encode((const uint8_t *)"\xde\xad\xbe\xef", 4);
	assert_string_equal(s, "3q2+7w==");
	free(s);
	s = ds_b64_encode(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(ds_b64_decode("3q2+7w==", 8, &b), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "\xde\xad\xbe\xef", 4);
	ds_buf_free(&b);
	assert_int_equal(ds_b64_decode("", 0, &b), 0);
	assert_int_equal(b.len, 0);
	ds_buf_free(&b);
	assert_int_not_equal(ds_b64_decode("3q2", 3, &b), 0);
	assert_int_not_equal(ds_b64_decode("3q=+", 4, &b), 0);
	assert_int_not_equal(ds_b64_decode("3q2 7w==", 8, &b), 0);
	assert_int_not_equal(ds_b64_decode("====", 4, &b), 0);
}

static void test_err_format(void **state)
{
	char line[64], tiny[8];

	(void)state;
	ds_err(-EIO, "inner");
	ds_err_ctx(-EIO, "middle");
	ds_err_ctx(-EIO, "outer");
	ds_err_format(line, sizeof(line));
	assert_string_equal(line, "outer: middle: inner");
	ds_err_format(tiny, sizeof(tiny));
	assert_string_equal(tiny, "outer: ");
	ds_err_clear();
	ds_err_format(line, sizeof(line));
	assert_string_equal(line, "");
}

static void test_err_chain(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ds_err(-ENOENT, "inner %d", 1), -ENOENT);
	assert_int_equal(ds_err_ctx(-ENOENT, "middle"), -ENOENT);
	assert_int_equal(ds_err_ctx(-ENOENT, "outer"), -ENOENT);
	assert_int_equal(ds_err_depth(), 3);
	f = open_memstream(&text, &len);
	ds_err_print(f);
	fclose(f);
	assert_string_equal(text, "Error: outer\n\nCaused by:\n    0: middle\n    1: inner 1\n");
	free(text);
	ds_err(-EIO, "only");
	ds_err_ctx(-EIO, "top");
	f = open_memstream(&text, &len);
	ds_err_print(f);
	fclose(f);
	assert_string_equal(text, "Error: top\n\nCaused by:\n    only\n");
	free(text);
	/* A positive code never leaks out as success. */
	assert_true(ds_err(0, "x") < 0);
	for (int i = 0; i < 3 * DS_ERR_MAX_DEPTH; i++)
		ds_err_ctx(-EIO, "ctx %d", i);
	assert_int_equal(ds_err_depth(), DS_ERR_MAX_DEPTH);
	assert_string_equal(ds_err_msg(DS_ERR_MAX_DEPTH - 1), "x");
}

static void test_files(void **state)
{
	char dir[] = "/tmp/ds-util-XXXXXX", path[256], sub[256];
	struct ds_buf b = { 0 };
	struct stat st;
	int fd, more;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/secret", dir);
	assert_int_equal(ds_write_file_atomic(path, "abc", 3, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Public outputs follow the umask as open(2) would; secrets stay 0600. */
	umask(077);
	assert_int_equal(ds_write_file_atomic(path, "x", 1, DS_FILE_MODE_PUBLIC), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	umask(0);
	assert_int_equal(ds_write_file_atomic(path, "x", 1, DS_FILE_MODE_PUBLIC), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666);
	assert_int_equal(ds_write_file_atomic(path, "x", 1, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	umask(022);
	assert_int_equal(ds_write_file_atomic(path, "hello", 5, DS_FILE_MODE_PUBLIC), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(ds_read_file(path, 5, &b), 0);
	assert_memory_equal(b.data, "hello", 5);
	ds_buf_free(&b);
	assert_int_equal(ds_read_file(path, 4, &b), -EFBIG);
	fd = open(path, O_RDONLY);
	assert_int_equal(ds_read_fd_prefix(fd, 2, &b, &more), 0);
	assert_int_equal(b.len, 2);
	assert_true(more);
	ds_buf_free(&b);
	close(fd);
	snprintf(sub, sizeof(sub), "%s/none/x", dir);
	assert_int_not_equal(ds_write_file_atomic(sub, "a", 1, 0600), 0);
	assert_int_equal(ds_read_file(sub, 10, &b), -ENOENT);
	snprintf(sub, sizeof(sub), "%s/a/b/c", dir);
	assert_int_equal(ds_mkdir_p(sub, 0700), 0);
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	snprintf(path, sizeof(path), "rm -rf -- %s", dir);
	assert_int_equal(system(path), 0);
}

/* Entries of dir other than . and .. (leftover temporaries show up here). */
static int count_entries(const char *dir)
{
	char cmd[512];
	FILE *ls;
	int n = 0, c;

	snprintf(cmd, sizeof(cmd), "ls -A %s", dir);
	ls = popen(cmd, "r");
	assert_non_null(ls);
	while ((c = fgetc(ls)) != EOF)
		n += c == '\n';
	pclose(ls);
	return n;
}

static void test_files_group(void **state)
{
	char dir[] = "/tmp/ds-util-XXXXXX", key[256], cert[256], bad[256];
	struct ds_buf b = { 0 };
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(key, sizeof(key), "%s/k", dir);
	snprintf(cert, sizeof(cert), "%s/c", dir);
	snprintf(bad, sizeof(bad), "%s/none/c", dir);
	umask(022);
	{
		const struct ds_file_out files[] = { { key, "key1", 4, 0600 },
						     { cert, "cert1", 5, DS_FILE_MODE_PUBLIC } };
		assert_int_equal(ds_write_files_atomic(files, 2), 0);
	}
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(cert, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* A second file that cannot be written: the first is not replaced. */
	{
		const struct ds_file_out files[] = { { key, "key2", 4, 0600 },
						     { bad, "cert2", 5, 0644 } };
		assert_int_not_equal(ds_write_files_atomic(files, 2), 0);
	}
	assert_int_equal(ds_read_file(key, 16, &b), 0);
	assert_memory_equal(b.data, "key1", 4);
	ds_buf_free(&b);
	assert_int_equal(count_entries(dir), 2);
	/* A rename that fails (the target is a directory) leaves no temporary. */
	snprintf(bad, sizeof(bad), "%s/d", dir);
	assert_int_equal(mkdir(bad, 0700), 0);
	{
		const struct ds_file_out files[] = { { cert, "cert3", 5, 0644 },
						     { bad, "x", 1, 0600 } };
		assert_int_not_equal(ds_write_files_atomic(files, 2), 0);
	}
	assert_int_equal(count_entries(dir), 3);
	assert_int_equal(ds_read_file(cert, 16, &b), 0);
	assert_memory_equal(b.data, "cert3", 5);
	ds_buf_free(&b);
	snprintf(bad, sizeof(bad), "rm -rf -- %s", dir);
	assert_int_equal(system(bad), 0);
}

static void test_env_path(void **state)
{
	const char *p;

	(void)state;
	unsetenv("DS_TEST_PATH");
	assert_int_equal(ds_env_path("DS_TEST_PATH", &p), 0);
	assert_null(p);
	setenv("DS_TEST_PATH", "", 1);
	assert_int_not_equal(ds_env_path("DS_TEST_PATH", &p), 0);
	assert_string_equal(ds_err_msg(0), "empty path override from DS_TEST_PATH");
	setenv("DS_TEST_PATH", "rel", 1);
	assert_int_not_equal(ds_env_path("DS_TEST_PATH", &p), 0);
	setenv("DS_TEST_PATH", "/abs", 1);
	assert_int_equal(ds_env_path("DS_TEST_PATH", &p), 0);
	assert_string_equal(p, "/abs");
}

static void test_log_levels(void **state)
{
	(void)state;
	assert_int_equal(ds_log_parse(NULL), DS_LOG_INFO);
	assert_int_equal(ds_log_parse("debug"), DS_LOG_DEBUG);
	assert_int_equal(ds_log_parse("WARN"), DS_LOG_WARN);
	assert_int_equal(ds_log_parse("warn,dstack_util=debug"), DS_LOG_DEBUG);
	assert_int_equal(ds_log_parse("debug,other=error"), DS_LOG_DEBUG);
	assert_int_equal(ds_log_parse("off"), DS_LOG_OFF);
	assert_int_equal(ds_log_parse("bogus"), DS_LOG_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_err_chain),
		cmocka_unit_test(test_err_format),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_files_group),
		cmocka_unit_test(test_env_path),
		cmocka_unit_test(test_log_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
