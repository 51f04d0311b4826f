/* LUKS2 format and open timings for bench/setup.sh: dstack-util's way
 * (ds_luks_format: PBKDF2 1000 iterations, no benchmark; open through the
 * validated header copy) against upstream's parameters through the same
 * libcryptsetup (PBKDF2 with the default iteration time, i.e. benchmarked).
 * Open checks the passphrase against keyslot 0 (no device-mapper needed).
 * Usage: luks_driver ours|upstream format|open IMAGE; prints milliseconds. */
#include <libcryptsetup.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "luks/luks_device.h"

static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const char passphrase[] = "0102030405060708000000000000000000000000000000000000000000000000";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int upstream_format(const char *img)
{
	struct crypt_pbkdf_type pbkdf = {
		.type = CRYPT_KDF_PBKDF2, .hash = "sha256", .time_ms = 2000, /* cryptsetup default */
	};
	struct crypt_params_luks2 params = { .pbkdf = &pbkdf, .sector_size = 512 };
	struct crypt_device *cd;
	int r = crypt_init(&cd, img);

	if (r < 0)
		return r;
	r = crypt_set_pbkdf_type(cd, &pbkdf);
	if (r >= 0)
		r = crypt_set_data_offset(cd, 32768);
	if (r >= 0)
		r = crypt_format(cd, CRYPT_LUKS2, "aes", "xts-plain64", NULL, NULL, 64, &params);
	if (r >= 0)
		r = crypt_keyslot_add_by_volume_key(cd, 0, NULL, 64, passphrase, strlen(passphrase));
	crypt_free(cd);
	return r < 0 ? r : 0;
}

static int upstream_open(const char *img)
{
	struct crypt_device *cd;
	int r = crypt_init(&cd, img);

	if (r >= 0)
		r = crypt_load(cd, CRYPT_LUKS2, NULL);
	if (r >= 0)
		r = crypt_activate_by_passphrase(cd, NULL, 0, passphrase, strlen(passphrase), 0);
	crypt_free(cd);
	return r < 0 ? r : 0;
}

static int ours_open(const char *img)
{
	struct ds_luks_header hdr = { .fd = -1 };
	int r = ds_luks_header_load(img, &hdr);

	if (r == 0)
		r = ds_luks_activate(&hdr, img, NULL, key, sizeof(key));
	ds_luks_header_close(&hdr);
	return r;
}

static int ours_format(const char *img)
{
	struct ds_luks_header hdr = { .fd = -1 };
	int r = ds_luks_format(img, key, sizeof(key), &hdr);

	r = r ?: ds_luks_header_commit(&hdr, img);
	ds_luks_header_close(&hdr);
	return r;
}

int main(int argc, char **argv)
{
	int ours, format, r;
	double t;

	if (argc != 4)
		return 2;
	ours = !strcmp(argv[1], "ours");
	format = !strcmp(argv[2], "format");
	t = now_ms();
	if (format)
		r = ours ? ours_format(argv[3]) : upstream_format(argv[3]);
	else
		r = ours ? ours_open(argv[3]) : upstream_open(argv[3]);
	t = now_ms() - t;
	if (r) {
		fprintf(stderr, "luks_driver %s %s failed: %d\n", argv[1], argv[2], r);
		return 1;
	}
	printf("%.1f\n", t);
	return 0;
}
