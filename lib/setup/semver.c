#include "setup/semver.h"
#include "util/err.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pos { POS_MAJOR, POS_MINOR, POS_PATCH, POS_PRE, POS_BUILD };

static const char *pos_name(enum pos p)
{
	static const char *const names[] = { "major version number", "minor version number",
					     "patch version number", "pre-release identifier",
					     "build metadata" };
	return names[p];
}

/* The crate prints the offending character with Rust's {:?}. */
static int bad_char(const char *fmt_before, enum pos p, char c, int after)
{
	char q[16];

	if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
		snprintf(q, sizeof(q), "'%c'", c);
	else
		snprintf(q, sizeof(q), "'\\u{%x}'", (unsigned char)c);
	if (fmt_before)
		return ds_err(-EINVAL, "%s %s, found %s", fmt_before, pos_name(p), q);
	return ds_err(-EINVAL, after ? "unexpected character %s after %s" :
			       "unexpected character %s while parsing %s", q, pos_name(p));
}

static int numeric(const char **s, enum pos p, uint64_t *out)
{
	const char *t = *s;
	uint64_t v = 0;

	for (; *t >= '0' && *t <= '9'; t++) {
		unsigned d = (unsigned)(*t - '0');

		if (v == 0 && t > *s)
			return ds_err(-EINVAL, "invalid leading zero in %s", pos_name(p));
		if (v > (UINT64_MAX - d) / 10)
			return ds_err(-ERANGE, "value of %s exceeds u64::MAX", pos_name(p));
		v = v * 10 + d;
	}
	if (t == *s)
		return *t ? bad_char(NULL, p, *t, 0) :
			    ds_err(-EINVAL, "unexpected end of input while parsing %s", pos_name(p));
	*s = t;
	*out = v;
	return 0;
}

static int ident_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
	       (c >= '0' && c <= '9');
}

/* Dot-separated [0-9A-Za-z-]+ segments; an empty result is an error here
 * (every caller has seen the '-' or '+' that announces one). */
static int identifier(const char **s, enum pos p, char **out)
{
	const char *start = *s, *seg = start, *t = start;

	for (;; t++) {
		int digits_only = 1;

		for (seg = t; ident_char(*t); t++)
			digits_only &= *t >= '0' && *t <= '9';
		if (t == seg)
			return ds_err(-EINVAL, "empty identifier segment in %s", pos_name(p));
		if (p == POS_PRE && digits_only && t - seg > 1 && *seg == '0')
			return ds_err(-EINVAL, "invalid leading zero in %s", pos_name(p));
		if (*t != '.')
			break;
	}
	*out = strndup(start, (size_t)(t - start));
	if (!*out)
		return ds_err(-ENOMEM, "out of memory");
	*s = t;
	return 0;
}

static int dot(const char **s, enum pos p)
{
	if (**s == '.') {
		(*s)++;
		return 0;
	}
	return **s ? bad_char(NULL, p, **s, 1) :
		     ds_err(-EINVAL, "unexpected end of input while parsing %s", pos_name(p));
}

static int version_text(const char *s, struct ds_semver *v)
{
	enum pos p = POS_PATCH;
	int r;

	if (!*s)
		return ds_err(-EINVAL, "empty string, expected a semver version");
	r = numeric(&s, POS_MAJOR, &v->major);
	r = r ?: dot(&s, POS_MAJOR);
	r = r ?: numeric(&s, POS_MINOR, &v->minor);
	r = r ?: dot(&s, POS_MINOR);
	r = r ?: numeric(&s, POS_PATCH, &v->patch);
	if (r == 0 && *s == '-') {
		s++;
		p = POS_PRE;
		r = identifier(&s, p, &v->pre);
	}
	if (r == 0 && *s == '+') {
		s++;
		p = POS_BUILD;
		r = identifier(&s, p, &v->build);
	}
	if (r == 0 && *s)
		r = bad_char(NULL, p, *s, 1);
	return r;
}

int ds_semver_parse(const char *text, struct ds_semver *out)
{
	int r;

	*out = (struct ds_semver){ 0 };
	r = version_text(text, out);
	if (r == 0 && !out->pre)
		out->pre = strdup("");
	if (r == 0 && !out->pre)
		r = ds_err(-ENOMEM, "out of memory");
	if (r)
		ds_semver_free(out);
	return r;
}

static int is_wildcard(char c)
{
	return c == '*' || c == 'x' || c == 'X';
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

static enum ds_semver_op parse_op(const char **s, int *given)
{
	static const struct { const char *text; enum ds_semver_op op; } ops[] = {
		{ ">=", DS_SEMVER_GREATER_EQ }, { "<=", DS_SEMVER_LESS_EQ },
		{ "=", DS_SEMVER_EXACT }, { ">", DS_SEMVER_GREATER }, { "<", DS_SEMVER_LESS },
		{ "~", DS_SEMVER_TILDE }, { "^", DS_SEMVER_CARET },
	};

	*given = 1;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(*s, ops[i].text, strlen(ops[i].text))) {
			*s += strlen(ops[i].text);
			return ops[i].op;
		}
	*given = 0;
	return DS_SEMVER_CARET;
}

/* One comparator; *s is left after its trailing spaces, *p at the last
 * position read (for the comma error). */
static int comparator(const char **s, struct ds_semver_comparator *c, enum pos *p)
{
	int given, wild = 0, r;
	char *build = NULL;

	c->op = parse_op(s, &given);
	*s = skip_spaces(*s);
	*p = POS_MAJOR;
	r = numeric(s, POS_MAJOR, &c->major);
	if (r == 0 && **s == '.') {
		(*s)++;
		*p = POS_MINOR;
		if (is_wildcard(**s)) {
			(*s)++;
			wild = 1;
		} else {
			r = numeric(s, POS_MINOR, &c->minor);
			c->has_minor = 1;
		}
	}
	if (r == 0 && **s == '.') {
		(*s)++;
		*p = POS_PATCH;
		if (is_wildcard(**s)) {
			(*s)++;
			wild = 1;
		} else if (wild) {
			return ds_err(-EINVAL, "unexpected character after wildcard in version req");
		} else {
			r = numeric(s, POS_PATCH, &c->patch);
			c->has_patch = 1;
		}
	}
	if (r == 0 && wild && !given)
		c->op = DS_SEMVER_WILDCARD;
	if (r == 0 && c->has_patch && **s == '-') {
		(*s)++;
		*p = POS_PRE;
		r = identifier(s, POS_PRE, &c->pre);
	}
	if (r == 0 && c->has_patch && **s == '+') {
		(*s)++;
		*p = POS_BUILD;
		r = identifier(s, POS_BUILD, &build);
		free(build);
	}
	*s = skip_spaces(*s);
	return r;
}

/* A lone leading wildcard that failed as a comparator: the crate reports
 * the misuse instead of the character error. */
static int wildcard_misuse(const char *s, int r)
{
	if (is_wildcard(*s)) {
		const char *rest = skip_spaces(s + 1);

		if (!*rest || *rest == ',') {
			ds_err_clear();
			return ds_err(-EINVAL, "wildcard req (%c) must be the only comparator in the "
				      "version req", *s);
		}
	}
	return r;
}

static int req_text(const char *s, struct ds_semver_req *req)
{
	s = skip_spaces(s);
	if (is_wildcard(*s)) {
		const char *rest = skip_spaces(s + 1);

		if (!*rest)
			return 0;
		if (*rest == ',')
			return ds_err(-EINVAL, "wildcard req (%c) must be the only comparator in the "
				      "version req", *s);
		return ds_err(-EINVAL, "unexpected character after wildcard in version req");
	}
	for (;;) {
		struct ds_semver_comparator *c = &req->items[req->n++];
		const char *start = s;
		enum pos p;
		int r = comparator(&s, c, &p);

		if (r)
			return wildcard_misuse(start, r);
		if (!*s)
			return 0;
		if (*s != ',')
			return bad_char("expected comma after", p, *s, 0);
		s = skip_spaces(s + 1);
		if (req->n == DS_SEMVER_MAX_COMPARATORS)
			return ds_err(-E2BIG, "excessive number of version comparators");
	}
}

int ds_semver_req_parse(const char *text, struct ds_semver_req *out)
{
	int r;

	*out = (struct ds_semver_req){ 0 };
	r = req_text(text, out);
	for (size_t i = 0; r == 0 && i < out->n; i++)
		if (!out->items[i].pre && !(out->items[i].pre = strdup("")))
			r = ds_err(-ENOMEM, "out of memory");
	if (r)
		ds_semver_req_free(out);
	return r;
}

static int all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int cmp_segment(const char *a, size_t na, const char *b, size_t nb)
{
	int da = all_digits(a, na), db = all_digits(b, nb), c;

	if (da != db)
		return da ? -1 : 1;
	if (da && na != nb)
		return na < nb ? -1 : 1;
	c = memcmp(a, b, na < nb ? na : nb);
	if (c || na == nb)
		return c < 0 ? -1 : c > 0;
	return na < nb ? -1 : 1;
}

/* Pre-release precedence: none ranks above any pre-release; otherwise
 * segment by segment, numbers below words, a longer list above its prefix. */
static int cmp_pre(const char *a, const char *b)
{
	if (!*a || !*b)
		return !*a - !*b;
	for (;;) {
		size_t na = strcspn(a, "."), nb = strcspn(b, ".");
		int c = cmp_segment(a, na, b, nb);

		if (c)
			return c;
		a += na;
		b += nb;
		if (!*a || !*b)
			return !*b - !*a;
		a++;
		b++;
	}
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Compares v with c part by part; a part c leaves out is a wildcard
 * (result 0 and *partial set). */
static int cmp_parts(const struct ds_semver_comparator *c, const struct ds_semver *v, int *partial)
{
	int r = cmp_u64(v->major, c->major);

	*partial = 0;
	if (r)
		return r;
	if (!c->has_minor) {
		*partial = 1;
		return 0;
	}
	r = cmp_u64(v->minor, c->minor);
	if (r)
		return r;
	if (!c->has_patch) {
		*partial = 1;
		return 0;
	}
	r = cmp_u64(v->patch, c->patch);
	return r ? r : cmp_pre(v->pre, c->pre);
}

static int exact(const struct ds_semver_comparator *c, const struct ds_semver *v)
{
	int partial, r = cmp_parts(c, v, &partial);

	return r == 0 && (!partial || !*v->pre);
}

static int tilde(const struct ds_semver_comparator *c, const struct ds_semver *v)
{
	if (v->major != c->major || (c->has_minor && v->minor != c->minor))
		return 0;
	if (c->has_patch && v->patch != c->patch)
		return v->patch > c->patch;
	return cmp_pre(v->pre, c->pre) >= 0;
}

static int caret(const struct ds_semver_comparator *c, const struct ds_semver *v)
{
	if (v->major != c->major)
		return 0;
	if (!c->has_minor)
		return 1;
	if (!c->has_patch)
		return c->major > 0 ? v->minor >= c->minor : v->minor == c->minor;
	if (c->major > 0) {
		if (v->minor != c->minor)
			return v->minor > c->minor;
		if (v->patch != c->patch)
			return v->patch > c->patch;
	} else if (c->minor > 0) {
		if (v->minor != c->minor)
			return 0;
		if (v->patch != c->patch)
			return v->patch > c->patch;
	} else if (v->minor != c->minor || v->patch != c->patch) {
		return 0;
	}
	return cmp_pre(v->pre, c->pre) >= 0;
}

static int matches_one(const struct ds_semver_comparator *c, const struct ds_semver *v)
{
	int partial, r;

	switch (c->op) {
	case DS_SEMVER_EXACT:
	case DS_SEMVER_WILDCARD:
		return exact(c, v);
	case DS_SEMVER_TILDE:
		return tilde(c, v);
	case DS_SEMVER_CARET:
		return caret(c, v);
	default:
		break;
	}
	r = cmp_parts(c, v, &partial);
	/* within the parts c names: > and < never hold, >= and <= only as
	 * "exactly", which needs a release */
	if (r == 0 && partial)
		return (c->op == DS_SEMVER_GREATER_EQ || c->op == DS_SEMVER_LESS_EQ) && !*v->pre;
	switch (c->op) {
	case DS_SEMVER_GREATER: return r > 0;
	case DS_SEMVER_GREATER_EQ: return r >= 0;
	case DS_SEMVER_LESS: return r < 0;
	default: return r <= 0;
	}
}

int ds_semver_matches(const struct ds_semver_req *req, const struct ds_semver *v)
{
	for (size_t i = 0; i < req->n; i++)
		if (!matches_one(&req->items[i], v))
			return 0;
	if (!*v->pre)
		return 1;
	for (size_t i = 0; i < req->n; i++) {
		const struct ds_semver_comparator *c = &req->items[i];

		if (c->major == v->major && c->has_minor && c->minor == v->minor &&
		    c->has_patch && c->patch == v->patch && *c->pre)
			return 1;
	}
	return 0;
}

char *ds_semver_format(const struct ds_semver *v)
{
	char *out = NULL;

	if (asprintf(&out, "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "%s%s%s%s", v->major, v->minor,
		     v->patch, *v->pre ? "-" : "", v->pre, v->build ? "+" : "",
		     v->build ? v->build : "") < 0)
		return NULL;
	return out;
}

static int append_comparator(FILE *f, const struct ds_semver_comparator *c)
{
	static const char *const ops[] = { "=", ">", ">=", "<", "<=", "~", "^", "" };
	int wild = c->op == DS_SEMVER_WILDCARD;

	fprintf(f, "%s%" PRIu64, ops[c->op], c->major);
	if (c->has_minor) {
		fprintf(f, ".%" PRIu64, c->minor);
		if (c->has_patch)
			fprintf(f, ".%" PRIu64 "%s%s", c->patch, *c->pre ? "-" : "", c->pre);
		else if (wild)
			fputs(".*", f);
	} else if (wild) {
		fputs(".*", f);
	}
	return 0;
}

char *ds_semver_req_format(const struct ds_semver_req *req)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	if (!req->n)
		fputs("*", f);
	for (size_t i = 0; i < req->n; i++) {
		if (i)
			fputs(", ", f);
		append_comparator(f, &req->items[i]);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

void ds_semver_free(struct ds_semver *v)
{
	free(v->pre);
	free(v->build);
	*v = (struct ds_semver){ 0 };
}

void ds_semver_req_free(struct ds_semver_req *req)
{
	for (size_t i = 0; i < req->n; i++)
		free(req->items[i].pre);
	*req = (struct ds_semver_req){ 0 };
}
