/* luks: formatting an image file with libcryptsetup, the header whitelist
 * against tampered copies, and opening through the sealed private copy
 * (key check only: there is no device-mapper here). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "luks/luks2_header.h"
#include "luks/luks_device.h"
#include "util/err.h"

#define HDR 16384u            /* metadata size libcryptsetup picks for this layout */
#define AREA (2 * HDR)        /* both header copies */
#define IMAGE_SIZE (32u << 20)

struct fixture {
	char dir[64], image[96];
	uint8_t key[32], good[AREA];
};

static struct fixture *fx;

static void make_image(const char *path, size_t size)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

static void write_at(const char *path, off_t off, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, off), (ssize_t)len);
	close(fd);
}

/* Formats path as setup does on a first boot: the header is made in
 * memory, then written to the disk. */
static void format_image(const char *path)
{
	struct ds_luks_header hdr;

	assert_int_equal(ds_luks_format(path, fx->key, sizeof(fx->key), &hdr), 0);
	assert_int_equal(ds_luks_header_commit(&hdr, path), 0);
	ds_luks_header_close(&hdr);
}

static int setup_group(void **state)
{
	int fd;

	(void)state;
	fx = calloc(1, sizeof(*fx));
	strcpy(fx->dir, "/tmp/ds-luks.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->image, sizeof(fx->image), "%s/disk.img", fx->dir);
	for (size_t i = 0; i < sizeof(fx->key); i++)
		fx->key[i] = (uint8_t)i;
	make_image(fx->image, IMAGE_SIZE);
	format_image(fx->image);
	fd = open(fx->image, O_RDONLY | O_CLOEXEC);
	assert_int_equal(pread(fd, fx->good, AREA, 0), AREA);
	close(fd);
	return 0;
}

static int teardown_group(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* Recomputes the checksum of one header copy, as libcryptsetup would. */
static void fix_checksum(uint8_t *h)
{
	unsigned int len;

	memset(h + 448, 0, 64);
	assert_int_equal(EVP_Digest(h, HDR, h + 448, &len, EVP_sha256(), NULL), 1);
}

static void set_json(uint8_t *h, const char *json)
{
	assert_true(strlen(json) < HDR - 4096);
	memset(h + 4096, 0, HDR - 4096);
	memcpy(h + 4096, json, strlen(json));
	fix_checksum(h);
}

/* Applies edit to the metadata of both copies, with valid checksums. */
static void tamper(uint8_t *area, void (*edit)(json_t *root))
{
	json_t *root = json_loads((const char *)area + 4096, 0, NULL);
	char *text;

	assert_non_null(root);
	edit(root);
	text = json_dumps(root, JSON_COMPACT);
	set_json(area, text);
	set_json(area + HDR, text);
	free(text);
	json_decref(root);
}

static void expect_refused(const uint8_t *area, size_t len, const char *text)
{
	if (ds_luks2_validate(area, len) == 0)
		fail_msg("accepted a header that should fail with '%s'", text);
	if (!strstr(ds_err_msg(0), text))
		fail_msg("validator said '%s', expected '%s'", ds_err_msg(0), text);
}

static json_t *at(json_t *root, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(json_object_get(root, a), b);

	return c ? json_object_get(v, c) : v;
}

static void null_cipher(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "area"), "encryption", json_string("cipher_null-ecb")); }
static void null_segment(json_t *r) { json_object_set_new(at(r, "segments", "0", NULL), "encryption", json_string("cipher_null-ecb")); }
static void area_low(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "area"), "offset", json_string("768")); }
static void area_leading_zero(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "area"), "offset", json_string("00768")); }
static void area_high(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "area"), "offset", json_string("16773120")); }
static void area_wrap(json_t *r)
{
	json_object_set_new(at(r, "keyslots", "0", "area"), "offset", json_string("18446744073709547520"));
	json_object_set_new(at(r, "keyslots", "0", "area"), "size", json_string("8192"));
}
static void area_overflow(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "area"), "size", json_string("99999999999999999999999")); }
static void extra_segment(json_t *r) { json_object_set(json_object_get(r, "segments"), "1", at(r, "segments", "0", NULL)); }
static void extra_keyslot(json_t *r) { json_object_set(json_object_get(r, "keyslots"), "1", at(r, "keyslots", "0", NULL)); }
static void renumbered_keyslot(json_t *r)
{
	json_t *ks = json_object_get(r, "keyslots");

	json_object_set(ks, "7", json_object_get(ks, "0"));
	json_object_del(ks, "0");
}
static void with_token(json_t *r) { json_object_set_new(json_object_get(r, "tokens"), "0", json_pack("{s:s}", "type", "luks2-keyring")); }
static void sector_4096(json_t *r) { json_object_set_new(at(r, "segments", "0", NULL), "sector_size", json_integer(4096)); }
static void segment_offset(json_t *r) { json_object_set_new(at(r, "segments", "0", NULL), "offset", json_string("0")); }
static void segment_integrity(json_t *r) { json_object_set_new(at(r, "segments", "0", NULL), "integrity", json_pack("{s:s}", "type", "hmac(sha256)")); }
static void argon2(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "kdf"), "type", json_string("argon2id")); }
static void few_iterations(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "kdf"), "iterations", json_integer(1)); }
static void priority(json_t *r) { json_object_set_new(at(r, "keyslots", "0", NULL), "priority", json_integer(2)); }
static void small_key(json_t *r) { json_object_set_new(at(r, "keyslots", "0", NULL), "key_size", json_integer(32)); }
static void stripes(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "af"), "stripes", json_integer(1)); }
static void config_flags(json_t *r) { json_object_set_new(json_object_get(r, "config"), "flags", json_pack("[s]", "allow-discards")); }
static void config_requirements(json_t *r) { json_object_set_new(json_object_get(r, "config"), "requirements", json_pack("{s:[s]}", "mandatory", "online-reencrypt")); }
static void json_size(json_t *r) { json_object_set_new(json_object_get(r, "config"), "json_size", json_string("4096")); }
static void keyslots_size(json_t *r) { json_object_set_new(json_object_get(r, "config"), "keyslots_size", json_string("16777216")); }
static void digest_keyslots(json_t *r) { json_object_set_new(at(r, "digests", "0", NULL), "keyslots", json_pack("[s,s]", "0", "1")); }
static void digest_hash(json_t *r) { json_object_set_new(at(r, "digests", "0", NULL), "hash", json_string("sha1")); }
static void short_salt(json_t *r) { json_object_set_new(at(r, "keyslots", "0", "kdf"), "salt", json_string("AAAA")); }
static void extra_top(json_t *r) { json_object_set_new(r, "hidden", json_true()); }

static void test_format_layout(void **state)
{
	const char *json = (const char *)fx->good + 4096;

	(void)state;
	assert_int_equal(ds_luks2_validate(fx->good, AREA), 0);
	/* The parameters, as libcryptsetup wrote them. */
	assert_non_null(strstr(json, "\"encryption\":\"aes-xts-plain64\",\"key_size\":64"));
	assert_non_null(strstr(json, "\"kdf\":{\"type\":\"pbkdf2\",\"hash\":\"sha256\",\"iterations\":1000,"));
	assert_non_null(strstr(json, "\"offset\":\"16777216\",\"size\":\"dynamic\""));
	assert_non_null(strstr(json, "\"sector_size\":512"));
	assert_non_null(strstr(json, "\"area\":{\"type\":\"raw\",\"offset\":\"32768\",\"size\":\"258048\""));
	assert_non_null(strstr(json, "\"config\":{\"json_size\":\"12288\",\"keyslots_size\":\"16744448\"}"));
}

static int image_is_zero(const char *path)
{
	static uint8_t buf[IMAGE_SIZE];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t i = 0;

	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	while (i < sizeof(buf) && !buf[i])
		i++;
	return i == sizeof(buf);
}

/* Formatting writes nothing to the disk: a setup killed before the commit
 * leaves it blank. The header in memory already opens with the key, and
 * the commit puts exactly those bytes on the disk. */
static void test_format_in_memory_then_commit(void **state)
{
	struct ds_luks_header hdr, ondisk;
	static uint8_t mem[AREA], disk[AREA];
	enum ds_disk_state st;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/commit.img", fx->dir);
	make_image(path, IMAGE_SIZE);
	assert_int_equal(ds_luks_format(path, fx->key, sizeof(fx->key), &hdr), 0);
	assert_true(image_is_zero(path));
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_BLANK);
	assert_int_equal(ds_luks_activate(&hdr, path, NULL, fx->key, sizeof(fx->key)), 0);
	assert_int_equal(pread(hdr.fd, mem, AREA, 0), AREA);
	assert_int_equal(ds_luks2_validate(mem, AREA), 0);

	assert_int_equal(ds_luks_header_commit(&hdr, path), 0);
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_LUKS);
	assert_int_equal(ds_luks_header_load(path, &ondisk), 0);
	assert_int_equal(pread(ondisk.fd, disk, AREA, 0), AREA);
	assert_memory_equal(mem, disk, AREA);
	assert_int_equal(ds_luks_activate(&ondisk, path, NULL, fx->key, sizeof(fx->key)), 0);
	ds_luks_header_close(&ondisk);
	ds_luks_header_close(&hdr);
	assert_int_equal(ds_luks_header_commit(&hdr, path), -EBADF);
}

static void test_probe_and_format_refusals(void **state)
{
	struct ds_luks_header hdr;
	char path[128];
	enum ds_disk_state st;
	uint8_t junk = 0x5a;

	(void)state;
	assert_int_equal(ds_disk_probe(fx->image, &st), 0);
	assert_int_equal(st, DS_DISK_LUKS);
	assert_int_equal(ds_luks_format(fx->image, fx->key, sizeof(fx->key), &hdr), -EEXIST);
	assert_int_equal(hdr.fd, -1);
	assert_non_null(strstr(ds_err_msg(1), "is not blank; refusing to format it"));

	snprintf(path, sizeof(path), "%s/other.img", fx->dir);
	make_image(path, IMAGE_SIZE);
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_BLANK);
	write_at(path, DS_DISK_PROBE_BYTES - 1, &junk, 1);
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_FOREIGN);
	assert_int_equal(ds_luks_format(path, fx->key, sizeof(fx->key), &hdr), -EEXIST);
	/* Only the first MiB is looked at. */
	make_image(path, IMAGE_SIZE);
	write_at(path, DS_DISK_PROBE_BYTES, &junk, 1);
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_BLANK);
	/* Everything of a header but sector 0, as a cut-off commit leaves it:
	 * never opened, formatted again. */
	make_image(path, IMAGE_SIZE);
	write_at(path, 512, fx->good + 512, AREA - 512);
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_INTERRUPTED);
	assert_int_equal(ds_luks_format(path, fx->key, sizeof(fx->key), &hdr), 0);
	ds_luks_header_close(&hdr);
	/* With anything in sector 0 it is foreign data. */
	write_at(path, 0, &junk, 1);
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_FOREIGN);
	/* Partial header bytes without the secondary header are foreign too. */
	make_image(path, IMAGE_SIZE);
	write_at(path, 512, fx->good + 512, HDR - 512);
	assert_int_equal(ds_disk_probe(path, &st), 0);
	assert_int_equal(st, DS_DISK_FOREIGN);
	make_image(path, IMAGE_SIZE);
	assert_int_not_equal(ds_luks_format(path, fx->key, 0, &hdr), 0);
	assert_int_not_equal(ds_disk_probe("/nonexistent/disk", &st), 0);
}

static void test_open_checks_key(void **state)
{
	struct ds_luks_header hdr;
	uint8_t wrong[32];

	(void)state;
	assert_int_equal(ds_luks_header_load(fx->image, &hdr), 0);
	assert_true(hdr.fd >= 0);
	assert_int_equal(ds_luks_activate(&hdr, fx->image, NULL, fx->key, sizeof(fx->key)), 0);
	memcpy(wrong, fx->key, sizeof(wrong));
	wrong[31] ^= 1;
	assert_int_not_equal(ds_luks_activate(&hdr, fx->image, NULL, wrong, sizeof(wrong)), 0);
	assert_non_null(strstr(ds_err_msg(1), "Failed to open encrypted data disk"));
	/* The passphrase is the lowercase hex of the key, nothing else. */
	assert_int_not_equal(ds_luks_activate(&hdr, fx->image, NULL, fx->key, 16), 0);
	/* The copy is sealed: nobody can rewrite it after validation. */
	assert_true(write(hdr.fd, "x", 1) < 0);
	assert_int_equal(errno, EPERM);
	ds_luks_header_close(&hdr);
	assert_int_equal(hdr.fd, -1);
	assert_int_equal(ds_luks_activate(&hdr, fx->image, NULL, fx->key, sizeof(fx->key)), -EBADF);
}

/* Changing the disk after validation cannot change what is opened. */
static void test_open_uses_validated_copy(void **state)
{
	char path[128];
	struct ds_luks_header hdr;
	static uint8_t zeros[AREA];

	(void)state;
	snprintf(path, sizeof(path), "%s/swap.img", fx->dir);
	make_image(path, IMAGE_SIZE);
	format_image(path);
	assert_int_equal(ds_luks_header_load(path, &hdr), 0);
	write_at(path, 0, zeros, sizeof(zeros));
	assert_int_equal(ds_luks_activate(&hdr, path, NULL, fx->key, sizeof(fx->key)), 0);
	ds_luks_header_close(&hdr);
	assert_int_not_equal(ds_luks_header_load(path, &hdr), 0);
	assert_non_null(strstr(ds_err_msg(0), "Failed to validate LUKS2 header"));
	assert_int_equal(hdr.fd, -1);
}

static void test_tampered_device_refused(void **state)
{
	char path[128];
	struct ds_luks_header hdr;
	uint8_t area[AREA];

	(void)state;
	snprintf(path, sizeof(path), "%s/tampered.img", fx->dir);
	make_image(path, IMAGE_SIZE);
	memcpy(area, fx->good, AREA);
	tamper(area, null_cipher);
	write_at(path, 0, area, AREA);
	assert_int_not_equal(ds_luks_header_load(path, &hdr), 0);
	assert_non_null(strstr(ds_err_msg(1), "Invalid LUKS keyslot encryption: cipher_null-ecb"));
	/* A device too small to hold the header area. */
	make_image(path, 1 << 20);
	write_at(path, 0, fx->good, AREA);
	assert_int_not_equal(ds_luks_header_load(path, &hdr), 0);
	assert_non_null(strstr(ds_err_msg(1), "Failed to read the LUKS2 header area"));
	assert_string_equal(ds_err_msg(2), "failed to fill whole buffer");
}

static void test_metadata_tampering(void **state)
{
	static const struct {
		void (*edit)(json_t *root);
		const char *error;
	} cases[] = {
		{ null_cipher, "Invalid LUKS keyslot encryption: cipher_null-ecb" },
		{ null_segment, "Invalid LUKS segment encryption: cipher_null-ecb" },
		{ area_low, "Invalid LUKS keyslot area: offset=768 size=258048" },
		{ area_leading_zero, "Invalid LUKS keyslot area offset: not a canonical number" },
		{ area_high, "Invalid LUKS keyslot area: offset=16773120" },
		{ area_wrap, "Invalid LUKS keyslot area: offset=18446744073709547520 size=8192" },
		{ area_overflow, "Invalid LUKS keyslot area size: not a canonical number" },
		{ extra_segment, "Invalid LUKS segments: expected exactly one, found 2" },
		{ extra_keyslot, "Invalid LUKS keyslots: expected exactly one, found 2" },
		{ renumbered_keyslot, "Invalid LUKS keyslots: the only id must be 0" },
		{ with_token, "Invalid LUKS tokens: expected none, found 1" },
		{ sector_4096, "Invalid LUKS segment sector size" },
		{ segment_offset, "Invalid LUKS segment offset: 0" },
		{ segment_integrity, "Invalid LUKS segment: unexpected member `integrity`" },
		{ argon2, "Invalid LUKS keyslot KDF: argon2id" },
		{ few_iterations, "Invalid LUKS keyslot KDF iterations" },
		{ priority, "Invalid LUKS keyslot: unexpected member `priority`" },
		{ small_key, "Invalid LUKS keyslot key size" },
		{ stripes, "Invalid LUKS keyslot stripes" },
		{ config_flags, "Invalid LUKS config: unexpected member `flags`" },
		{ config_requirements, "Invalid LUKS config: unexpected member `requirements`" },
		{ json_size, "Invalid LUKS config json_size: 4096" },
		{ keyslots_size, "Invalid LUKS config keyslots_size: 16777216" },
		{ digest_keyslots, "Invalid LUKS digest keyslots" },
		{ digest_hash, "Invalid LUKS digest hash: sha1" },
		{ short_salt, "Invalid LUKS keyslot KDF salt: not 32 bytes of base64" },
		{ extra_top, "Invalid LUKS metadata: unexpected member `hidden`" },
	};
	uint8_t area[AREA];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(area, fx->good, AREA);
		tamper(area, cases[i].edit);
		expect_refused(area, AREA, cases[i].error);
	}
}

static void test_binary_tampering(void **state)
{
	uint8_t area[AREA];
	char *json;

	(void)state;
	/* Any change without a matching checksum, in either copy. */
	memcpy(area, fx->good, AREA);
	area[4096 + 10] ^= 1;
	expect_refused(area, AREA, "Invalid LUKS header checksum (header 0)");
	memcpy(area, fx->good, AREA);
	area[HDR + 4096 + 10] ^= 1;
	expect_refused(area, AREA, "Invalid LUKS header checksum (header 1)");
	memcpy(area, fx->good, AREA);
	area[448] ^= 1;
	expect_refused(area, AREA, "Invalid LUKS header checksum (header 0)");
	/* Corrupted JSON with a valid checksum. */
	memcpy(area, fx->good, AREA);
	set_json(area, "{\"keyslots\":");
	set_json(area + HDR, "{\"keyslots\":");
	expect_refused(area, AREA, "Invalid LUKS JSON metadata");
	/* Copies that disagree, each valid on its own. */
	memcpy(area, fx->good, AREA);
	/* Same metadata with one more blank before the final brace. */
	assert_true(asprintf(&json, "%.*s }", (int)strlen((const char *)area + 4096) - 1,
			     (const char *)area + 4096) > 0);
	set_json(area + HDR, json);
	free(json);
	expect_refused(area, AREA, "LUKS header copies have different metadata");
	memcpy(area, fx->good, AREA);
	area[HDR + 23] ^= 1;
	fix_checksum(area + HDR);
	expect_refused(area, AREA, "different sequence ids");
	/* Binary fields. */
	memcpy(area, fx->good, AREA);
	area[0] = 'X';
	expect_refused(area, AREA, "Invalid LUKS magic in header 0");
	memcpy(area, fx->good, AREA);
	area[HDR] = 'L';
	expect_refused(area, AREA, "Invalid LUKS magic in header 1");
	memcpy(area, fx->good, AREA);
	area[7] = 1;
	expect_refused(area, AREA, "Invalid LUKS version: 1");
	memcpy(area, fx->good, AREA);
	area[24] = 'x';
	fix_checksum(area);
	expect_refused(area, AREA, "Invalid LUKS label");
	memcpy(area, fx->good, AREA);
	area[208] = 'x';
	fix_checksum(area);
	expect_refused(area, AREA, "Invalid LUKS subsystem");
	memcpy(area, fx->good, AREA);
	memcpy(area + 72, "sha1\0\0", 6);
	expect_refused(area, AREA, "Invalid LUKS checksum algorithm");
	memcpy(area, fx->good, AREA);
	area[HDR + 256 + 6] = 0x3f;
	expect_refused(area, AREA, "Invalid LUKS header offset: 16128 (header 1)");
	memcpy(area, fx->good, AREA);
	area[4000] = 1;
	expect_refused(area, AREA, "Invalid LUKS header padding");
	/* hdr_size: a huge value must not lead to a huge read. */
	memcpy(area, fx->good, AREA);
	memset(area + 8, 0xff, 8);
	expect_refused(area, AREA, "Invalid LUKS header size: 18446744073709551615");
	memcpy(area, fx->good, AREA);
	area[8 + 5] = 0x01;   /* 64 KiB + 16 KiB: not a power of two */
	expect_refused(area, AREA, "Invalid LUKS header size");
	/* Data hidden after the JSON text. */
	memcpy(area, fx->good, AREA);
	area[HDR - 1] = 'x';
	area[2 * HDR - 1] = 'x';
	fix_checksum(area);
	fix_checksum(area + HDR);
	expect_refused(area, AREA, "LUKS JSON area has data after its end");
	/* Truncated input. */
	expect_refused(fx->good, AREA - 1, "too short for two 16384-byte headers");
	expect_refused(fx->good, 100, "too short");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_layout),
		cmocka_unit_test(test_format_in_memory_then_commit),
		cmocka_unit_test(test_probe_and_format_refusals),
		cmocka_unit_test(test_open_checks_key),
		cmocka_unit_test(test_open_uses_validated_copy),
		cmocka_unit_test(test_tampered_device_refused),
		cmocka_unit_test(test_metadata_tampering),
		cmocka_unit_test(test_binary_tampering),
	};

	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
