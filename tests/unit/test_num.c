/* Integer parsing with Rust's str::parse rules and messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "util/err.h"
#include "util/num.h"

static int parse(const char *s, int64_t min, int64_t max, int64_t *v)
{
	return ds_parse_int(s, strlen(s), min, max, v);
}

static void assert_rejects(const char *s, int64_t min, int64_t max, const char *msg)
{
	int64_t v;

	assert_true(parse(s, min, max, &v) < 0);
	assert_string_equal(ds_err_msg(0), msg);
}

static void test_accepts(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(parse("0", INT64_MIN, INT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse("+17", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, 17);
	assert_int_equal(parse("-42", INT64_MIN, INT64_MAX, &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(parse("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(parse("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse("4294967295", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, 4294967295u);
}

static void test_rejects(void **state)
{
	(void)state;
	assert_rejects("", 0, 10, "cannot parse integer from empty string");
	assert_rejects("+", 0, 10, "invalid digit found in string");
	assert_rejects("-", INT64_MIN, 10, "invalid digit found in string");
	assert_rejects("-1", 0, 10, "invalid digit found in string");
	assert_rejects(" 1", 0, 10, "invalid digit found in string");
	assert_rejects("1 ", 0, 10, "invalid digit found in string");
	assert_rejects("1x", 0, 10, "invalid digit found in string");
	assert_rejects("11", 0, 10, "number too large to fit in target type");
	assert_rejects("4294967296", 0, UINT32_MAX, "number too large to fit in target type");
	assert_rejects("9223372036854775808", INT64_MIN, INT64_MAX, "number too large to fit in target type");
	assert_rejects("-9223372036854775809", INT64_MIN, INT64_MAX, "number too small to fit in target type");
	assert_rejects("99999999999999999999999", INT64_MIN, INT64_MAX, "number too large to fit in target type");
	assert_rejects("5", 0, 0, "number too large to fit in target type");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
