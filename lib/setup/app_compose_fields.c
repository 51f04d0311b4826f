#include "setup/app_compose_fields.h"
#include "util/err.h"
#include "util/json.h"
#include "util/num.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Rust's u64::from_str_radix (radix 10 or 16): an optional '+', then at
 * least one digit, no overflow. */
static int parse_u64(const char *s, size_t len, unsigned radix, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = len && s[0] == '+';

	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned d = isdigit(c) ? (unsigned)(c - '0') :
			     isxdigit(c) ? (unsigned)(tolower(c) - 'a' + 10) : radix;

		if (d >= radix || v > (UINT64_MAX - d) / radix)
			return -EINVAL;
		v = v * radix + d;
	}
	*out = v;
	return 0;
}

/* Bounds of s without leading and trailing ASCII whitespace. */
static void trim(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	*start = s;
	*len = n;
}

/* Rust's str::parse::<u32> on the trimmed text, then the canonical form. */
static int manifest_version_string(const char *text, uint32_t *out)
{
	const char *s;
	size_t len;
	int64_t v;

	trim(text, &s, &len);
	if (len == 0)
		return ds_err(-EINVAL, "manifest_version must not be empty");
	if (ds_parse_int(s, len, 0, UINT32_MAX, &v))
		return ds_err(-EINVAL, "manifest_version must be a positive integer string, got \"%s\"",
			      text);
	if (v == 0)
		return ds_err(-EINVAL, "manifest_version must be greater than 0");
	if (s[0] < '1' || s[0] > '9')
		return ds_err(-EINVAL, "manifest_version must be a canonical integer string, got \"%s\"",
			      text);
	*out = (uint32_t)v;
	return 0;
}

int ds_compose_manifest_version(const json_t *obj, uint32_t *out)
{
	json_t *v;
	int r = ds_json_member(obj, "manifest_version", DS_JSON_REQUIRED, &v);

	if (r)
		return r;
	if (json_is_string(v)) {
		r = manifest_version_string(json_string_value(v), out);
	} else if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if (n < 0)
			return ds_err(-EINVAL, "manifest_version must be a positive integer");
		if (n != 1 && n != 2)
			return ds_err(-EINVAL, "numeric manifest_version is only supported for legacy "
				      "versions 1 and 2; use a string for newer versions");
		*out = (uint32_t)n;
	} else {
		return ds_err(-EINVAL, "invalid type for field `manifest_version`: expected a string "
			      "manifest version, or legacy numeric 1/2");
	}
	if (r == 0 && *out > DS_MANIFEST_VERSION_MAX)
		return ds_err(-EINVAL, "Unsupported manifest_version %u (this guest supports up to %d)",
			      *out, DS_MANIFEST_VERSION_MAX);
	return r;
}

int ds_compose_init_scripts(const json_t *obj, char ***out, size_t *n)
{
	json_t *v;
	int r = ds_json_member(obj, "init_script", DS_JSON_NULLABLE, &v);

	if (r)
		return r;
	if (v && json_is_string(v)) {
		char **one = calloc(2, sizeof(*one));

		if (!one || !(one[0] = strdup(json_string_value(v)))) {
			free(one);
			return ds_err(-ENOMEM, "out of memory");
		}
		*out = one;
		*n = 1;
		return 0;
	}
	r = ds_json_string_array(obj, "init_script", DS_JSON_NULLABLE, out, n);
	if (r == 0 && *n > DS_INIT_SCRIPTS_MAX) {
		ds_strv_free(*out);
		*out = NULL;
		return ds_err(-EINVAL, "init_script supports at most %d scripts", DS_INIT_SCRIPTS_MAX);
	}
	return r;
}

static int all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Where the last UTF-8 character of s[0..len) starts (len > 0). */
static size_t last_char_start(const char *s, size_t len)
{
	size_t i = len - 1;

	while (i && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* upstream's size-parser crate (MemorySize::parse), case by case: 0x hex,
 * plain digits, else a K/M/G/T suffix (x1024), every repeat of which is
 * stripped (Rust's trim_end_matches) before the number is read. */
static int human_size(const char *text, uint64_t *out)
{
	static const char suffixes[] = "kmgt";
	const char *s, *suffix;
	size_t len;
	uint64_t mult = 1, v;
	char last;

	trim(text, &s, &len);
	if (len == 0)
		return ds_err(-EINVAL, "Empty memory size");
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (parse_u64(s + 2, len - 2, 16, out))
			return ds_err(-EINVAL, "Invalid hexadecimal value: %.*s", (int)len - 2, s + 2);
		return 0;
	}
	if (all_digits(s, len)) {
		if (parse_u64(s, len, 10, out))
			return ds_err(-EINVAL, "Invalid numeric value: %.*s", (int)len, s);
		return 0;
	}
	last = s[len - 1];
	suffix = strchr(suffixes, tolower((unsigned char)last));
	if (!suffix) {
		size_t c = last_char_start(s, len);

		return ds_err(-EINVAL, "Unknown memory size suffix: %.*s", (int)(len - c), s + c);
	}
	for (long i = suffix - suffixes; i >= 0; i--)
		mult *= 1024;
	while (len && s[len - 1] == last)
		len--;
	if (parse_u64(s, len, 10, &v))
		return ds_err(-EINVAL, "Invalid numeric value: %.*s", (int)len, s);
	if (v > UINT64_MAX / mult)
		return ds_err(-ERANGE, "Overflow in memory size calculation");
	*out = v * mult;
	return 0;
}

int ds_compose_swap_size(const json_t *obj, uint64_t *out)
{
	json_t *v;
	int r = ds_json_member(obj, "swap_size", 0, &v);

	if (r || !v)
		return r;
	if (json_is_string(v))
		r = human_size(json_string_value(v), out);
	else
		r = ds_json_uint(obj, "swap_size", 0, UINT64_MAX, out);
	return r ? ds_err_ctx(r, "invalid swap_size") : 0;
}

int ds_compose_storage_fs(const json_t *obj, enum ds_storage_fs *out)
{
	char *s;
	int r = ds_json_string(obj, "storage_fs", DS_JSON_NULLABLE, &s);

	if (r || !s)
		return r;
	if (!strcasecmp(s, "zfs"))
		*out = DS_STORAGE_FS_ZFS;
	else if (!strcasecmp(s, "ext4"))
		*out = DS_STORAGE_FS_EXT4;
	else
		r = ds_err(-EINVAL, "unsupported storage_fs \"%s\" (expected zfs or ext4)", s);
	free(s);
	return r;
}

int ds_compose_key_provider(const json_t *obj, int *given, enum ds_key_provider_kind *out)
{
	char *s;
	int r = ds_json_string(obj, "key_provider", DS_JSON_NULLABLE, &s);

	*given = 0;
	if (r || !s)
		return r;
	/* tpm is an upstream kind but not a TDX one: setup only knows these. */
	if (strcmp(s, "tpm") && ds_key_provider_kind_parse(s, out) == 0)
		*given = 1;
	else
		r = ds_err(-EINVAL, "unsupported key_provider \"%s\" (expected none, kms or local)", s);
	free(s);
	return r;
}

int ds_compose_snapshotter(const json_t *obj, int *given)
{
	char *s;
	int r = ds_json_string(obj, "snapshotter", DS_JSON_NULLABLE, &s);

	*given = s != NULL;
	if (r == 0 && s && strcmp(s, "overlayfs") && strcmp(s, "stargz"))
		r = ds_err(-EINVAL, "unknown variant `%s` for field `snapshotter`, expected "
			   "`overlayfs` or `stargz`", s);
	free(s);
	return r;
}
