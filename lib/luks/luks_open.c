#include "luks/cryptsetup_glue.h"
#include "luks/luks2_header.h"
#include "luks/luks_device.h"
#include "util/err.h"
#include "util/log.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

/* What libcryptsetup made of the header must be what was validated. */
static int check_loaded(const struct ds_cs *cs, struct crypt_device *cd)
{
	const char *cipher = cs->get_cipher(cd), *mode = cs->get_cipher_mode(cd);

	if (!cipher || !mode || strcmp(cipher, "aes") || strcmp(mode, "xts-plain64") ||
	    cs->get_volume_key_size(cd) != DS_LUKS2_KEY_BYTES ||
	    cs->get_data_offset(cd) != DS_LUKS2_PAYLOAD_OFFSET / 512 ||
	    cs->get_sector_size(cd) != DS_LUKS2_SECTOR_SIZE)
		return ds_err(-EINVAL, "libcryptsetup loaded unexpected LUKS2 parameters");
	return 0;
}

static int activate_with(const struct ds_cs *cs, struct crypt_device *cd, const char *name,
			 const char *passphrase)
{
	int r = cs->load(cd, CRYPT_LUKS2, NULL);

	if (r < 0)
		return ds_cs_error(r, "Failed to load the validated header");
	r = check_loaded(cs, cd);
	if (r)
		return r;
	r = cs->activate_by_passphrase(cd, name, 0, passphrase, strlen(passphrase), 0);
	if (r < 0)
		return ds_cs_error(r, "Failed to open encrypted data disk");
	return 0;
}

int ds_luks_activate(const struct ds_luks_header *hdr, const char *dev, const char *name,
		     const uint8_t *key, size_t key_len)
{
	char passphrase[2 * DS_LUKS_KEY_MAX + 1], header_path[64];
	struct crypt_device *cd = NULL;
	const struct ds_cs *cs;
	int r;

	if (hdr->fd < 0)
		return ds_err(-EBADF, "no validated LUKS2 header");
	r = ds_luks_passphrase(key, key_len, passphrase, sizeof(passphrase));
	if (r)
		return r;
	ds_info("luks", name ? "Opening the device" : "Checking the disk key");
	snprintf(header_path, sizeof(header_path), "/proc/self/fd/%d", hdr->fd);
	cs = ds_cs();
	if (!cs) {
		OPENSSL_cleanse(passphrase, sizeof(passphrase));
		return ds_err_ctx(-ENOSYS, "Failed to open %s", dev);
	}
	ds_cs_log_attach(cs, NULL);
	r = cs->init_data_device(&cd, header_path, dev);
	if (r < 0) {
		r = ds_cs_error(r, "Failed to attach the header copy");
	} else {
		ds_cs_log_attach(cs, cd);
		r = activate_with(cs, cd, name, passphrase);
	}
	cs->free(cd);
	OPENSSL_cleanse(passphrase, sizeof(passphrase));
	return r ? ds_err_ctx(r, "Failed to open %s", dev) : 0;
}
