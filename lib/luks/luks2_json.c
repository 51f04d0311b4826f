#include "luks/luks2_header.h"
#include "luks/luks2_json.h"
#include "util/b64.h"
#include "util/err.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <string.h>

#define SALT_LEN 32          /* libcryptsetup's LUKS2 salts */
#define DIGEST_LEN 32        /* PBKDF2-SHA256 volume key digest */
#define AREA_ALIGN 4096u

/* Header values are attacker-controlled: only short printable text goes
 * into an error message. */
static const char *shown(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)s[i]))
			return "(unprintable)";
	return n <= 64 ? s : "(too long)";
}

/* obj must be an object with exactly the members in names. */
static int exact_members(const json_t *obj, const char *what, const char *const *names)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return ds_err(-EINVAL, "Invalid LUKS %s: not an object", what);
	for (const char *const *n = names; *n; n++)
		if (!json_object_get(obj, *n))
			return ds_err(-EINVAL, "Invalid LUKS %s: missing `%s`", what, *n);
	json_object_foreach((json_t *)obj, key, v) {
		const char *const *n = names;

		while (*n && strcmp(*n, key))
			n++;
		if (!*n)
			return ds_err(-EINVAL, "Invalid LUKS %s: unexpected member `%s`", what,
				      shown(key));
	}
	return 0;
}

static int expect_string(const json_t *obj, const char *key, const char *want, const char *what)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return ds_err(-EINVAL, "Invalid LUKS %s: not a string", what);
	if (strcmp(json_string_value(v), want))
		return ds_err(-EINVAL, "Invalid LUKS %s: %s", what, shown(json_string_value(v)));
	return 0;
}

static int expect_int(const json_t *obj, const char *key, json_int_t want, const char *what)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) != want)
		return ds_err(-EINVAL, "Invalid LUKS %s", what);
	return 0;
}

static int min_iterations(const json_t *obj, const char *what)
{
	json_t *v = json_object_get(obj, "iterations");

	if (!json_is_integer(v) || json_integer_value(v) < DS_LUKS2_MIN_ITERATIONS ||
	    json_integer_value(v) > UINT32_MAX)
		return ds_err(-EINVAL, "Invalid LUKS %s iterations", what);
	return 0;
}

/* LUKS2 writes 64-bit numbers as canonical decimal strings. */
static int u64_string(const json_t *obj, const char *key, const char *what, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);
	size_t n = s ? strlen(s) : 0;
	uint64_t x = 0;

	if (!s || n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return ds_err(-EINVAL, "Invalid LUKS %s: not a canonical number", what);
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]) || x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return ds_err(-EINVAL, "Invalid LUKS %s: not a canonical number", what);
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*out = x;
	return 0;
}

static int b64_bytes(const json_t *obj, const char *key, size_t want, const char *what)
{
	json_t *v = json_object_get(obj, key);
	struct ds_buf b = { 0 };
	int r;

	if (!json_is_string(v))
		return ds_err(-EINVAL, "Invalid LUKS %s: not a string", what);
	r = ds_b64_decode(json_string_value(v), json_string_length(v), &b);
	if (r == 0 && b.len != want)
		r = -EINVAL;
	ds_buf_free(&b);
	return r ? ds_err(-EINVAL, "Invalid LUKS %s: not %zu bytes of base64", what, want) : 0;
}

/* The one member of a map keyed by id, which must be "0". */
static int only_zero(const json_t *root, const char *name, json_t **out)
{
	json_t *map = json_object_get(root, name);

	if (!json_is_object(map) || json_object_size(map) != 1)
		return ds_err(-EINVAL, "Invalid LUKS %s: expected exactly one, found %zu", name,
			      json_object_size(map));
	*out = json_object_get(map, "0");
	if (!*out)
		return ds_err(-EINVAL, "Invalid LUKS %s: the only id must be 0", name);
	return 0;
}

/* Returns the end of the keyslots area. */
static int check_config(const json_t *root, uint64_t hdr_size, uint64_t *area_end)
{
	static const char *const names[] = { "json_size", "keyslots_size", NULL };
	const json_t *cfg = json_object_get(root, "config");
	uint64_t json_size, keyslots_size;
	int r = exact_members(cfg, "config", names);

	if (!r)
		r = u64_string(cfg, "json_size", "config json_size", &json_size);
	if (!r && json_size != hdr_size - DS_LUKS2_BINARY_HEADER_SIZE)
		r = ds_err(-EINVAL, "Invalid LUKS config json_size: %llu",
			   (unsigned long long)json_size);
	if (!r)
		r = u64_string(cfg, "keyslots_size", "config keyslots_size", &keyslots_size);
	/* 2 * hdr_size <= 8 MiB < the payload offset: no overflow below. */
	if (!r && (keyslots_size % AREA_ALIGN ||
		   keyslots_size > DS_LUKS2_PAYLOAD_OFFSET - 2 * hdr_size))
		r = ds_err(-EINVAL, "Invalid LUKS config keyslots_size: %llu",
			   (unsigned long long)keyslots_size);
	if (!r)
		*area_end = 2 * hdr_size + keyslots_size;
	return r;
}

/* The keyslot's binary area must lie between the two header copies and the
 * payload, inside the keyslots area, so that the host cannot point it at
 * other data. */
static int check_area(const json_t *area, uint64_t hdr_size, uint64_t area_end)
{
	static const char *const names[] = { "type", "offset", "size", "encryption", "key_size", NULL };
	uint64_t offset, size;
	int r = exact_members(area, "keyslot area", names);

	if (!r)
		r = expect_string(area, "type", "raw", "keyslot area type");
	if (!r)
		r = expect_string(area, "encryption", DS_LUKS2_CIPHER, "keyslot encryption");
	if (!r)
		r = u64_string(area, "offset", "keyslot area offset", &offset);
	if (!r)
		r = u64_string(area, "size", "keyslot area size", &size);
	if (r)
		return r;
	if (offset < 2 * hdr_size || offset > area_end || size > area_end - offset ||
	    offset % AREA_ALIGN || size % AREA_ALIGN ||
	    size < (uint64_t)DS_LUKS2_KEY_BYTES * DS_LUKS2_AF_STRIPES)
		return ds_err(-EINVAL, "Invalid LUKS keyslot area: offset=%llu size=%llu",
			      (unsigned long long)offset, (unsigned long long)size);
	return expect_int(area, "key_size", DS_LUKS2_KEY_BYTES, "keyslot key size");
}

static int check_kdf_af(const json_t *ks)
{
	static const char *const kdf_names[] = { "type", "hash", "iterations", "salt", NULL };
	static const char *const af_names[] = { "type", "stripes", "hash", NULL };
	const json_t *kdf = json_object_get(ks, "kdf"), *af = json_object_get(ks, "af");
	int r;

	r = json_is_object(kdf) ? expect_string(kdf, "type", "pbkdf2", "keyslot KDF") :
				  ds_err(-EINVAL, "Invalid LUKS keyslot KDF: not an object");
	if (!r)
		r = exact_members(kdf, "keyslot KDF", kdf_names);
	if (!r)
		r = expect_string(kdf, "hash", "sha256", "keyslot hash");
	if (!r)
		r = min_iterations(kdf, "keyslot KDF");
	if (!r)
		r = b64_bytes(kdf, "salt", SALT_LEN, "keyslot KDF salt");
	if (!r)
		r = exact_members(af, "keyslot AF", af_names);
	if (!r)
		r = expect_string(af, "type", "luks1", "keyslot AF type");
	if (!r)
		r = expect_string(af, "hash", "sha256", "keyslot hash");
	if (!r)
		r = expect_int(af, "stripes", DS_LUKS2_AF_STRIPES, "keyslot stripes");
	return r;
}

static int check_keyslot(const json_t *root, uint64_t hdr_size, uint64_t area_end)
{
	static const char *const names[] = { "type", "key_size", "af", "area", "kdf", NULL };
	json_t *ks;
	int r = only_zero(root, "keyslots", &ks);

	if (!r)
		r = exact_members(ks, "keyslot", names);
	if (!r)
		r = expect_string(ks, "type", "luks2", "keyslot type");
	if (!r)
		r = check_area(json_object_get(ks, "area"), hdr_size, area_end);
	if (!r)
		r = expect_int(ks, "key_size", DS_LUKS2_KEY_BYTES, "keyslot key size");
	if (!r)
		r = check_kdf_af(ks);
	return r;
}

static int check_segment(const json_t *root)
{
	static const char *const names[] = {
		"type", "offset", "size", "iv_tweak", "encryption", "sector_size", NULL,
	};
	json_t *seg;
	int r = only_zero(root, "segments", &seg);

	if (!r)
		r = exact_members(seg, "segment", names);
	if (!r)
		r = expect_string(seg, "type", "crypt", "segment type");
	if (!r)
		r = expect_string(seg, "offset", "16777216", "segment offset");
	if (!r)
		r = expect_string(seg, "size", "dynamic", "segment size");
	if (!r)
		r = expect_string(seg, "iv_tweak", "0", "segment IV tweak");
	if (!r)
		r = expect_string(seg, "encryption", DS_LUKS2_CIPHER, "segment encryption");
	if (!r)
		r = expect_int(seg, "sector_size", DS_LUKS2_SECTOR_SIZE, "segment sector size");
	return r;
}

/* ["0"]: the digest binds keyslot 0 to segment 0 and nothing else. */
static int expect_zero_list(const json_t *obj, const char *key, const char *what)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_array(v) || json_array_size(v) != 1 ||
	    !json_is_string(json_array_get(v, 0)) ||
	    strcmp(json_string_value(json_array_get(v, 0)), "0"))
		return ds_err(-EINVAL, "Invalid LUKS %s", what);
	return 0;
}

static int check_digest(const json_t *root)
{
	static const char *const names[] = {
		"type", "keyslots", "segments", "hash", "iterations", "salt", "digest", NULL,
	};
	json_t *dg;
	int r = only_zero(root, "digests", &dg);

	if (!r)
		r = exact_members(dg, "digest", names);
	if (!r)
		r = expect_string(dg, "type", "pbkdf2", "digest type");
	if (!r)
		r = expect_string(dg, "hash", "sha256", "digest hash");
	if (!r)
		r = expect_zero_list(dg, "keyslots", "digest keyslots");
	if (!r)
		r = expect_zero_list(dg, "segments", "digest segments");
	if (!r)
		r = min_iterations(dg, "digest");
	if (!r)
		r = b64_bytes(dg, "salt", SALT_LEN, "digest salt");
	if (!r)
		r = b64_bytes(dg, "digest", DIGEST_LEN, "digest value");
	return r;
}

static int check_metadata(const json_t *root, uint64_t hdr_size)
{
	static const char *const names[] = { "keyslots", "tokens", "segments", "digests", "config", NULL };
	const json_t *tokens = json_object_get(root, "tokens");
	uint64_t area_end;
	int r = exact_members(root, "metadata", names);

	if (!r && (!json_is_object(tokens) || json_object_size(tokens)))
		r = ds_err(-EINVAL, "Invalid LUKS tokens: expected none, found %zu",
			   json_object_size(tokens));
	if (!r)
		r = check_config(root, hdr_size, &area_end);
	if (!r)
		r = check_keyslot(root, hdr_size, area_end);
	if (!r)
		r = check_segment(root);
	if (!r)
		r = check_digest(root);
	return r;
}

int ds_luks2_validate_json(const char *text, size_t len, uint64_t hdr_size)
{
	json_error_t error;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
	int r;

	if (!root)
		return ds_err(-EINVAL, "Invalid LUKS JSON metadata at column %d: %s", error.column,
			      error.text);
	r = check_metadata(root, hdr_size);
	json_decref(root);
	return r;
}
