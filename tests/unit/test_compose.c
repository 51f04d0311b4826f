/* compose: project name and service set, anchors, aliases, merges, and the
 * inputs that must be refused because they could hide a service. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose/compose.h"
#include "compose/scalar.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "helpers.h"

static int parse(const char *text, struct ds_compose_info *info)
{
	return ds_compose_parse(text, strlen(text), info);
}

/* Parses text and checks the sorted service list, given as "a,b,c". */
static void expect_services(const char *text, const char *project, const char *want)
{
	struct ds_compose_info info;
	char joined[1024] = "";

	if (parse(text, &info) != 0)
		fail_msg("parse failed: %s", ds_err_msg(ds_err_depth() - 1));
	for (size_t i = 0; i < info.n_services; i++) {
		if (i)
			strcat(joined, ",");
		strcat(joined, info.services[i]);
	}
	assert_string_equal(joined, want);
	if (project)
		assert_string_equal(info.project, project);
	else
		assert_null(info.project);
	ds_compose_info_free(&info);
}

/* Parsing must fail with needle somewhere in the error chain. */
static void expect_refused(const char *text, const char *needle)
{
	struct ds_compose_info info;

	assert_fails_with(parse(text, &info), needle);
	assert_null(info.services);
}

/* Upstream's test_yaml_anchor_parsing: the anchor's own service counts. */
static void test_upstream_anchor_parsing(void **state)
{
	(void)state;
	expect_services("name: test-project\n"
			"services:\n"
			"  common: &common-config\n"
			"    image: ubuntu:latest\n"
			"    restart: unless-stopped\n"
			"\n"
			"  service1:\n"
			"    <<: *common-config\n"
			"    container_name: service1\n"
			"\n"
			"  service2:\n"
			"    <<: *common-config\n"
			"    container_name: service2\n"
			"\n"
			"  service3:\n"
			"    image: nginx:latest\n",
			"test-project", "common,service1,service2,service3");
}

/* Upstream's test_yaml_without_anchors. */
static void test_upstream_without_anchors(void **state)
{
	(void)state;
	expect_services("services:\n  web:\n    image: nginx:latest\n  db:\n    image: postgres:14\n",
			NULL, "db,web");
}

/* Aliases used as the services mapping, as a service key and as a body. */
static void test_aliases(void **state)
{
	(void)state;
	expect_services("x-defaults: &defaults {timeout: 30, retries: 3}\n"
			"x-name: &svc api\n"
			"services:\n  web: {config: *defaults}\n  *svc : {config: *defaults}\n",
			NULL, "api,web");
	expect_services("x-all: &all {a: {}, b: {}}\nservices: *all\n", NULL, "a,b");
}

/* Services brought in by merge keys are services (upstream misses them). */
static void test_merged_services(void **state)
{
	(void)state;
	expect_services("x-more: &more {cache: {}, queue: {}}\n"
			"services:\n  <<: *more\n  web: {}\n", NULL, "cache,queue,web");
	expect_services("x-a: &a {a: {}}\nx-b: &b {b: {}, <<: *a}\n"
			"services:\n  <<: [*b, {c: {}}]\n  web: {}\n", NULL, "a,b,c,web");
	/* Explicit merge tag, and a merge at the top level giving name and services. */
	expect_services("x-base: &base {name: merged, services: {one: {}}}\n"
			"<<: *base\n", "merged", "one");
	expect_services("services:\n  !!merge <<: {x: {}}\n", NULL, "x");
	/* The document's own key wins over a merged one. */
	expect_services("x-base: &base {name: merged}\n<<: *base\nname: own\nservices: {s: {}}\n",
			"own", "s");
	/* A quoted "<<" is an ordinary key: keeping it is harmless. */
	expect_services("services:\n  \"<<\": {}\n  web: {}\n", NULL, "<<,web");
}

static void test_numeric_service_names(void **state)
{
	(void)state;
	/* Quoted, they are strings. */
	expect_services("services:\n  \"123\": {}\n  '1.5': {}\n  \"true\": {}\n  \"null\": {}\n",
			NULL, "1.5,123,null,true");
	/* Plain words that only look a little like numbers stay names. */
	expect_services("services:\n  1password: {}\n  3d-render: {}\n  v1.2.3: {}\n  yes: {}\n"
			"  1e: {}\n  _: {}\n", NULL, "1e,1password,3d-render,_,v1.2.3,yes");
	/* Unquoted, a resolver may turn them into numbers, booleans or null:
	 * Compose would name the service differently, so refuse. */
	static const char *const plain[] = {
		"123", "-7", "1.5", "0x1f", "0o17", "0b101", "1_000", "1e3", ".inf", "-.Inf",
		".nan", "inf", "NaN", "true", "False", "null", "~",
	};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char text[128];

		snprintf(text, sizeof(text), "services:\n  web: {}\n  %s: {}\n", plain[i]);
		expect_refused(text, "is not a YAML string (quote it)");
	}
	expect_refused("services:\n  ? [a, b]\n  : {}\n", "is not a scalar");
	expect_refused("services:\n  !custom web: {}\n", "is not a YAML string");
	expect_refused("services:\n  \"a\\0b\": {}\n", "NUL");
}

static void test_project_name(void **state)
{
	(void)state;
	expect_services("name: \"123\"\nservices: {a: {}}\n", "123", "a");
	expect_services("name: My.App\nservices: {a: {}}\n", "My.App", "a");
	expect_services("name: ${PROJECT:-x}\nservices: {a: {}}\n", "${PROJECT:-x}", "a");
	expect_services("name:\nservices: {a: {}}\n", NULL, "a");
	expect_services("name: ~\nservices: {a: {}}\n", NULL, "a");
	expect_refused("name: 123\nservices: {a: {}}\n", "'name' at line 1 is not a YAML string");
	expect_refused("name: true\nservices: {a: {}}\n", "not a YAML string");
	expect_refused("name: [a]\nservices: {a: {}}\n", "not a YAML string");
	expect_refused("name: a\nname: b\nservices: {a: {}}\n", "duplicate key 'name'");
}

static void test_hiding_constructs_refused(void **state)
{
	(void)state;
	expect_refused("include:\n  - other.yaml\nservices: {a: {}}\n", "uses 'include'");
	expect_refused("x: &x {include: [o.yaml]}\n<<: *x\nservices: {a: {}}\n", "uses 'include'");
	expect_refused("services:\n  web:\n    extends: {file: base.yaml, service: web}\n",
		       "service 'web' uses 'extends'");
	expect_refused("x: &x {extends: base}\nservices:\n  web: {<<: *x}\n", "uses 'extends'");
	expect_refused("services:\n  <<: not-a-mapping\n  web: {}\n",
		       "merge key at line 2 does not refer to a mapping");
	expect_refused("services:\n  <<: [{a: {}}, 7]\n", "does not refer to a mapping");
	expect_refused("services:\n  web: {}\n---\nservices:\n  db: {}\n", "more than one YAML document");
	expect_refused("services: {}\n", "defines no services");
	expect_refused("services: {a: {}}\nservices: {b: {}}\n", "duplicate key 'services'");
	/* A merge cycle (libyaml lets an anchor refer to itself). */
	expect_refused("services: &s\n  a: {}\n  <<: *s\n", "a cycle?");
	expect_refused("--- &root\n<<: *root\nservices: {a: {}}\n", "a cycle?");
	/* Allowed: empty include, extends: null, a trailing empty document. */
	expect_services("include:\nservices:\n  web: {extends: ~}\n---\n", NULL, "web");
}

/* Nine aliases per level for eight levels would be 43 million entries. */
static void test_alias_bomb(void **state)
{
	char text[4096];
	size_t off = 0;

	(void)state;
	off += (size_t)snprintf(text + off, sizeof(text) - off, "x0: &l0 {k: v}\n");
	for (int i = 1; i <= 8; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
					"x%d: &l%d {<<: [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, "
					"*l%d, *l%d]}\n", i, i, i - 1, i - 1, i - 1, i - 1, i - 1,
					i - 1, i - 1, i - 1, i - 1);
	snprintf(text + off, sizeof(text) - off, "services: *l8\n");
	expect_refused(text, "expands to more than");
}

/* Empty mappings merged many times over hold no pairs, but cost work. */
static void test_empty_merge_bomb(void **state)
{
	char *text = malloc(1 << 20);
	size_t off = 0;

	(void)state;
	assert_non_null(text);
	off += (size_t)sprintf(text + off, "x: &e {}\ny: &y {<<: [*e");
	for (int i = 0; i < 2000; i++)
		off += (size_t)sprintf(text + off, ", *e");
	off += (size_t)sprintf(text + off, "]}\nservices:\n  web: {}\n  <<: [*y");
	for (int i = 0; i < 2000; i++)
		off += (size_t)sprintf(text + off, ", *y");
	sprintf(text + off, "]\n");
	expect_refused(text, "expands to more than");
	free(text);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_refused("", "empty YAML document");
	expect_refused("# nothing\n", "empty YAML document");
	expect_refused("---\n", "missing or invalid 'services' field");
	expect_refused("- a\n- b\n", "missing or invalid 'services' field");
	expect_refused("name: x\n", "missing or invalid 'services' field");
	expect_refused("services:\n", "missing or invalid 'services' field");
	expect_refused("services: [web]\n", "missing or invalid 'services' field");
	expect_refused("services: {web: [}\n", "failed to parse YAML");
	expect_refused("services:\n  a: *missing\n", "failed to parse YAML");
	expect_refused("services:\n  \xff\xfe: {}\n", "failed to parse YAML");
	expect_refused("services:\n  a: {}\n---\n[\n", "failed to parse YAML");
}

/* Upstream's test_parse_real_compose_file: the fixture in a directory named
 * "build" (copied, not linked: the directory is found after resolving links). */
static void test_fixture_in_build_directory(void **state)
{
	char dir[64], build[80], file[128], link[128];
	struct ds_compose_info info;
	struct ds_buf text = { 0 };

	(void)state;
	tmpdir_create(dir, "compose");
	snprintf(build, sizeof(build), "%s/build", dir);
	snprintf(file, sizeof(file), "%s/docker-compose.yaml", build);
	snprintf(link, sizeof(link), "%s/link.yaml", dir);
	assert_int_equal(mkdir(build, 0755), 0);
	assert_int_equal(ds_read_file(DS_FIXTURES_DIR "/local-key-provider-docker-compose.yaml",
				      DS_COMPOSE_MAX_SIZE, &text), 0);
	assert_int_equal(ds_write_file_atomic(file, text.data, text.len, 0644), 0);
	ds_buf_free(&text);

	assert_int_equal(ds_compose_load(file, &info), 0);
	assert_string_equal(info.project, "build");
	assert_int_equal(info.n_services, 2);
	assert_true(ds_compose_has_service(&info, "aesmd"));
	assert_true(ds_compose_has_service(&info, "local-key-provider"));
	assert_false(ds_compose_has_service(&info, "x-common"));
	ds_compose_info_free(&info);

	/* Through a symbolic link the project is still the real directory. */
	assert_int_equal(symlink(file, link), 0);
	assert_int_equal(ds_compose_load(link, &info), 0);
	assert_string_equal(info.project, "build");
	ds_compose_info_free(&info);

	/* `name:` wins over the directory. */
	write_text(file, "name: named\nservices: {a: {}}\n");
	assert_int_equal(ds_compose_load(file, &info), 0);
	assert_string_equal(info.project, "named");
	ds_compose_info_free(&info);

	unlink(link);
	unlink(file);
	assert_true(ds_compose_load(file, &info) < 0);
	assert_string_equal(ds_err_msg(0), "failed to read docker-compose file");
	assert_int_equal(tmpdir_remove(dir), 0);
}

static void test_plain_scalars(void **state)
{
	(void)state;
	assert_true(ds_yaml_plain_is_null("", 0));
	assert_true(ds_yaml_plain_is_null("NULL", 4));
	assert_false(ds_yaml_plain_is_null("nil", 3));
	assert_true(ds_yaml_plain_is_string("web", 3));
	assert_true(ds_yaml_plain_is_string("0x", 2));
	assert_true(ds_yaml_plain_is_string("0xg", 3));
	assert_true(ds_yaml_plain_is_string("1.2.3", 5));
	assert_true(ds_yaml_plain_is_string("+", 1));
	assert_true(ds_yaml_plain_is_string("1e+", 3));
	assert_true(ds_yaml_plain_is_string("infinite", 8));
	assert_false(ds_yaml_plain_is_string("+12", 3));
	assert_false(ds_yaml_plain_is_string("1.", 2));
	assert_false(ds_yaml_plain_is_string(".5", 2));
	assert_false(ds_yaml_plain_is_string("6.02E+23", 8));
	assert_false(ds_yaml_plain_is_string("0B11", 4));
	assert_false(ds_yaml_plain_is_string("Infinity", 8));
	assert_false(ds_yaml_plain_is_string("TRUE", 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upstream_anchor_parsing),
		cmocka_unit_test(test_upstream_without_anchors),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_merged_services),
		cmocka_unit_test(test_numeric_service_names),
		cmocka_unit_test(test_project_name),
		cmocka_unit_test(test_hiding_constructs_refused),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_empty_merge_bomb),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_fixture_in_build_directory),
		cmocka_unit_test(test_plain_scalars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
