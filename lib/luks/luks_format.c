#include "luks/cryptsetup_glue.h"
#include "luks/luks2_header.h"
#include "luks/luks_device.h"
#include "luks/luks_header_copy.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* ds_luks_header_commit writes sector 0 (the primary magic) last, after
 * everything else including the secondary header: what it leaves when cut
 * off before that last write is told apart from foreign data. */
static enum ds_disk_state classify(const uint8_t *p, size_t len)
{
	static const uint8_t luks_magic[6] = { 'L', 'U', 'K', 'S', 0xba, 0xbe };
	static const uint8_t secondary_magic[6] = { 'S', 'K', 'U', 'L', 0xba, 0xbe };
	const size_t secondary = DS_LUKS2_SECONDARY_OFFSET;

	if (len >= sizeof(luks_magic) && !memcmp(p, luks_magic, sizeof(luks_magic)))
		return DS_DISK_LUKS;
	if (all_zero(p, len))
		return DS_DISK_BLANK;
	if (len >= secondary + sizeof(secondary_magic) && all_zero(p, DS_LUKS2_SECTOR_SIZE) &&
	    !memcmp(p + secondary, secondary_magic, sizeof(secondary_magic)))
		return DS_DISK_INTERRUPTED;
	return DS_DISK_FOREIGN;
}

int ds_disk_probe(const char *dev, enum ds_disk_state *state)
{
	struct ds_buf head = { 0 };
	int fd, more, r;

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ds_err(-errno, "Failed to open %s: %s", dev, strerror(errno));
	r = ds_read_fd_prefix(fd, DS_DISK_PROBE_BYTES, &head, &more);
	close(fd);
	if (r)
		return ds_err_ctx(r, "Failed to read %s", dev);
	*state = classify(head.data, head.len);
	ds_buf_free(&head);
	return 0;
}

static int format_with(const struct ds_cs *cs, struct crypt_device *cd, const char *passphrase)
{
	struct crypt_pbkdf_type pbkdf = {
		.type = CRYPT_KDF_PBKDF2,
		.hash = "sha256",
		.iterations = DS_LUKS2_MIN_ITERATIONS,
		.flags = CRYPT_PBKDF_NO_BENCHMARK,
	};
	struct crypt_params_luks2 params = {
		.pbkdf = &pbkdf,
		.sector_size = DS_LUKS2_SECTOR_SIZE,
	};
	int r;

	r = cs->set_pbkdf_type(cd, &pbkdf);
	if (r < 0)
		return ds_cs_error(r, "Failed to set the PBKDF");
	r = cs->set_data_offset(cd, DS_LUKS2_PAYLOAD_OFFSET / 512);
	if (r < 0)
		return ds_cs_error(r, "Failed to set the data offset");
	r = cs->format(cd, CRYPT_LUKS2, "aes", "xts-plain64", NULL, NULL, DS_LUKS2_KEY_BYTES,
			 &params);
	if (r < 0)
		return ds_cs_error(r, "Failed to format the LUKS2 header");
	r = cs->keyslot_add_by_volume_key(cd, 0, NULL, DS_LUKS2_KEY_BYTES, passphrase,
					    strlen(passphrase));
	if (r < 0)
		return ds_cs_error(r, "Failed to add the keyslot");
	return 0;
}

/* libcryptsetup formats the memfd as a detached header of dev: it reads
 * dev's size but writes nothing to it. */
static int format_into(const struct ds_cs *cs, int mfd, const char *dev, const char *passphrase)
{
	struct crypt_device *cd = NULL;
	char header_path[64];
	int r;

	snprintf(header_path, sizeof(header_path), "/proc/self/fd/%d", mfd);
	ds_cs_log_attach(cs, NULL);
	r = cs->init_data_device(&cd, header_path, dev);
	if (r < 0) {
		r = ds_cs_error(r, "Failed to attach the header copy");
	} else {
		ds_cs_log_attach(cs, cd);
		r = format_with(cs, cd, passphrase);
	}
	cs->free(cd);
	return r;
}

int ds_luks_format(const char *dev, const uint8_t *key, size_t key_len, struct ds_luks_header *hdr)
{
	char passphrase[2 * DS_LUKS_KEY_MAX + 1];
	const struct ds_cs *cs = NULL;
	enum ds_disk_state state;
	int mfd = -1, r;

	hdr->fd = -1;
	r = ds_disk_probe(dev, &state);
	if (r == 0 && state == DS_DISK_INTERRUPTED)
		ds_warn("luks", "%s holds the LUKS2 header of a first boot that was cut off before "
			"it finished: formatting it again", dev);
	else if (r == 0 && state != DS_DISK_BLANK)
		r = ds_err(-EEXIST, "%s is not blank; refusing to format it", dev);
	r = r ?: ds_luks_passphrase(key, key_len, passphrase, sizeof(passphrase));
	if (r)
		return ds_err_ctx(r, "Failed to format %s", dev);
	ds_info("luks", "Formatting encrypted disk");
	cs = ds_cs();
	r = cs ? ds_luks_copy_create(&mfd) : -ENOSYS;
	if (r == 0) {
		r = format_into(cs, mfd, dev, passphrase);
		if (r)
			close(mfd);
	}
	OPENSSL_cleanse(passphrase, sizeof(passphrase));
	r = r ?: ds_luks_copy_seal(mfd, hdr);
	return r ? ds_err_ctx(r, "Failed to format %s", dev) : 0;
}
