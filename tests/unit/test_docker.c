/* docker: the orphan verdict on labels, config.v2.json parsing, and the
 * removal that must not be redirected. */
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
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose/compose.h"
#include "docker/dataroot.h"
#include "docker/orphan.h"
#include "util/dir.h"
#include "util/err.h"
#include "util/file.h"
#include "helpers.h"

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const char *verdict(const char *labels_json, int *rc)
{
	static char service[64];
	struct ds_compose_info info;
	const char *text = "name: app\nservices: {web: {}, db: {}}\n", *s = NULL;
	json_t *labels = labels_json ? json_loads(labels_json, 0, NULL) : NULL;

	assert_int_equal(ds_compose_parse(text, strlen(text), &info), 0);
	*rc = ds_orphan_check(labels, &info, &s);
	snprintf(service, sizeof(service), "%s", s ? s : "");
	json_decref(labels);
	ds_compose_info_free(&info);
	return service;
}

static void test_orphan_verdict(void **state)
{
	int rc;

	(void)state;
	assert_string_equal(verdict("{\"com.docker.compose.project\":\"app\","
				    "\"com.docker.compose.service\":\"old\"}", &rc), "old");
	assert_int_equal(rc, 0);
	/* Kept: a live service, another project (case matters), no service
	 * label, no labels at all. */
	assert_string_equal(verdict("{\"com.docker.compose.project\":\"app\","
				    "\"com.docker.compose.service\":\"web\"}", &rc), "");
	assert_string_equal(verdict("{\"com.docker.compose.project\":\"App\","
				    "\"com.docker.compose.service\":\"old\"}", &rc), "");
	assert_string_equal(verdict("{\"com.docker.compose.project\":\"app\"}", &rc), "");
	assert_string_equal(verdict("{\"com.docker.compose.service\":\"old\"}", &rc), "");
	assert_string_equal(verdict("{}", &rc), "");
	assert_string_equal(verdict("null", &rc), "");
	assert_string_equal(verdict(NULL, &rc), "");
	assert_int_equal(rc, 0);
	/* Not an object of strings: an error, never a verdict. */
	verdict("[]", &rc);
	assert_int_equal(rc, -EINVAL);
	verdict("{\"com.docker.compose.project\":\"app\",\"com.docker.compose.service\":7}", &rc);
	assert_int_equal(rc, -EINVAL);
}

static void test_container_id(void **state)
{
	(void)state;
	assert_true(ds_container_id_valid(ID_A));
	assert_false(ds_container_id_valid(ID_A "a"));
	assert_false(ds_container_id_valid("aaaa"));
	assert_false(ds_container_id_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
					   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	assert_false(ds_container_id_valid("../../" ID_A));
	assert_false(ds_container_id_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/../"
					   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

/* Parses a config.v2.json text; *project is its label "p" (or ""). */
static int config_labels(const char *text, const char **project)
{
	static char copy[64];
	const json_t *labels;
	json_t *doc;
	int r = ds_container_config_labels(text, strlen(text), &doc, &labels);
	const char *p = r ? NULL : json_string_value(json_object_get(labels, "p"));

	snprintf(copy, sizeof(copy), "%s", p ? p : "");
	*project = copy;
	json_decref(doc);
	return r;
}

static void test_config_labels(void **state)
{
	const char *p;

	(void)state;
	assert_int_equal(config_labels("{\"ID\":\"x\",\"Config\":{\"Labels\":{\"p\":\"app\"}}}", &p), 0);
	assert_string_equal(p, "app");
	assert_int_equal(config_labels("{}", &p), 0);
	assert_string_equal(p, "");
	assert_int_equal(config_labels("{\"Config\":null}", &p), 0);
	assert_int_equal(config_labels("{\"Config\":{\"Labels\":null}}", &p), 0);
	assert_int_equal(config_labels("{\"Config\":{}}", &p), 0);
	assert_int_equal(config_labels("{\"Config\":7}", &p), -EINVAL);
	assert_string_equal(ds_err_msg(0), "Config is not an object");
	assert_int_equal(config_labels("[]", &p), -EINVAL);
	assert_int_equal(config_labels("{\"Config\":", &p), -EINVAL);
	assert_int_equal(config_labels("{\"Config\":{\"Labels\":{\"p\":\"a\"}},"
				       "\"Config\":{\"Labels\":{\"p\":\"b\",\"p\":\"c\"}}}", &p), 0);
	assert_string_equal(p, "c");
}

static void stat_at(const char *dir, const char *name, struct stat *st)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(lstat(path, st), 0);
}

static int exists_at(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

/* The directory goes with its contents; a link inside goes as a link; a
 * directory swapped in after inspection and a link in its place are
 * refused. */
static void test_remove_tree(void **state)
{
	char dir[64], path[256];
	struct stat st;
	int fd;

	(void)state;
	tmpdir_create(dir, "docker");
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "%s/victim", dir);
	assert_int_equal(ds_mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/victim/keep", dir);
	write_text(path, "x");
	snprintf(path, sizeof(path), "%s/t/a/b/c", dir);
	assert_int_equal(ds_mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/t/a/b/c/file", dir);
	write_text(path, "x");
	snprintf(path, sizeof(path), "%s/t/a/escape", dir);
	assert_int_equal(symlink("../../victim", path), 0);
	snprintf(path, sizeof(path), "%s/t/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);

	stat_at(dir, "t", &st);
	assert_int_equal(ds_remove_tree_at(fd, "t", st.st_dev, st.st_ino + 1), -ESTALE);
	assert_true(exists_at(dir, "t/a/b/c/file"));
	assert_int_equal(ds_remove_tree_at(fd, "t", st.st_dev, st.st_ino), 0);
	assert_false(exists_at(dir, "t"));
	assert_true(exists_at(dir, "victim/keep"));

	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink("victim", path), 0);
	stat_at(dir, "victim", &st);
	assert_true(ds_remove_tree_at(fd, "link", st.st_dev, st.st_ino) < 0);
	assert_true(exists_at(dir, "victim/keep"));
	close(fd);
	assert_int_equal(tmpdir_remove(dir), 0);
}

/* A file system mounted inside the tree is never entered. */
static void test_remove_tree_mount_point(void **state)
{
	char dir[64], path[300], mnt[256];
	struct stat st;
	int fd;

	(void)state;
	tmpdir_create(dir, "docker");
	snprintf(mnt, sizeof(mnt), "%s/t/mounts/shm", dir);
	assert_int_equal(ds_mkdir_p(mnt, 0755), 0);
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") < 0) {
		print_message("skipped: cannot mount a tmpfs here (%s)\n", strerror(errno));
		assert_int_equal(tmpdir_remove(dir), 0);
		return;
	}
	snprintf(path, sizeof(path), "%s/data", mnt);
	write_text(path, "x");
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	stat_at(dir, "t", &st);
	assert_int_equal(ds_remove_tree_at(fd, "t", st.st_dev, st.st_ino), -EXDEV);
	assert_true(exists_at(dir, "t/mounts/shm/data"));
	assert_int_equal(umount(mnt), 0);
	assert_int_equal(ds_remove_tree_at(fd, "t", st.st_dev, st.st_ino), 0);
	close(fd);
	assert_int_equal(tmpdir_remove(dir), 0);
}

static void test_remove_tree_depth(void **state)
{
	char dir[64], path[1024];
	struct stat st;
	size_t n;
	int fd;

	(void)state;
	tmpdir_create(dir, "docker");
	n = (size_t)snprintf(path, sizeof(path), "%s/t", dir);
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "/d");
	assert_int_equal(ds_mkdir_p(path, 0755), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	stat_at(dir, "t", &st);
	assert_int_equal(ds_remove_tree_at(fd, "t", st.st_dev, st.st_ino), -ELOOP);
	close(fd);
	assert_int_equal(tmpdir_remove(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orphan_verdict),
		cmocka_unit_test(test_container_id),
		cmocka_unit_test(test_config_labels),
		cmocka_unit_test(test_remove_tree),
		cmocka_unit_test(test_remove_tree_mount_point),
		cmocka_unit_test(test_remove_tree_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
