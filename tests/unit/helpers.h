/* Small helpers shared by the unit tests (include after cmocka.h). */
#ifndef DS_TEST_HELPERS_H
#define DS_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/file.h"

/* The error chain of the last failure joined with '|', for substring checks. */
static inline const char *err_chain(void)
{
	static char all[4096];

	all[0] = '\0';
	for (int i = 0; i < ds_err_depth(); i++) {
		strncat(all, ds_err_msg(i), sizeof(all) - strlen(all) - 2);
		strcat(all, "|");
	}
	return all;
}

/* expr must fail with text somewhere in its error chain. */
#define assert_fails_with(expr, text)                                           \
	do {                                                                    \
		int r_ = (expr);                                                \
		assert_true(r_ < 0);                                            \
		if (!strstr(err_chain(), (text)))                              \
			fail_msg("error '%s' lacks '%s'", err_chain(), (text)); \
	} while (0)

static inline void write_text(const char *path, const char *text)
{
	assert_int_equal(ds_write_file_atomic(path, text, strlen(text), 0600), 0);
}

/* A fresh directory /tmp/ds-<name>.XXXXXX in out (size 64), and its removal. */
static inline void tmpdir_create(char out[64], const char *name)
{
	snprintf(out, 64, "/tmp/ds-%s.XXXXXX", name);
	assert_non_null(mkdtemp(out));
}

static inline int tmpdir_remove(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

#endif
