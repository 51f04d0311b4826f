/* Semantic versions and version requirements with the semantics of Rust's
 * semver crate (1.x), which upstream uses for requirements.os_version:
 * comma-separated comparators (at most 32), operators = > >= < <= ~ ^
 * (^ when none), partial versions and x, X and * wildcards, and the pre-release
 * rule (a pre-release version only matches a comparator on the same
 * major.minor.patch that names a pre-release). Error texts are the crate's. */
#ifndef DS_SETUP_SEMVER_H
#define DS_SETUP_SEMVER_H

#include <stddef.h>
#include <stdint.h>

#define DS_SEMVER_MAX_COMPARATORS 32

struct ds_semver {
	uint64_t major, minor, patch;
	char *pre;                 /* "" when none; build metadata is dropped */
	char *build;               /* kept only for display */
};

enum ds_semver_op {
	DS_SEMVER_EXACT, DS_SEMVER_GREATER, DS_SEMVER_GREATER_EQ, DS_SEMVER_LESS,
	DS_SEMVER_LESS_EQ, DS_SEMVER_TILDE, DS_SEMVER_CARET, DS_SEMVER_WILDCARD,
};

struct ds_semver_comparator {
	enum ds_semver_op op;
	uint64_t major, minor, patch;
	int has_minor, has_patch;
	char *pre;                 /* "" when none */
};

struct ds_semver_req {
	struct ds_semver_comparator items[DS_SEMVER_MAX_COMPARATORS];
	size_t n;                  /* 0 is "*" (matches any release) */
};

int ds_semver_parse(const char *text, struct ds_semver *out);
int ds_semver_req_parse(const char *text, struct ds_semver_req *out);
int ds_semver_matches(const struct ds_semver_req *req, const struct ds_semver *v);
/* The crate's Display forms; malloc'd text or NULL on allocation failure. */
char *ds_semver_format(const struct ds_semver *v);
char *ds_semver_req_format(const struct ds_semver_req *req);
void ds_semver_free(struct ds_semver *v);
void ds_semver_req_free(struct ds_semver_req *req);

#endif
