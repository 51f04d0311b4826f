/* libcryptsetup, loaded on first use: with its dependencies (devmapper,
 * json-c, blkid, udev, selinux, ...) it cost every dstack-util process about
 * 0.7 ms and 2.5 MiB of resident memory, while only setup opens disks. The
 * table keeps libcryptsetup.h's prototypes, so calls stay type-checked. */
#ifndef DS_LUKS_CRYPTSETUP_LIB_H
#define DS_LUKS_CRYPTSETUP_LIB_H

#include <libcryptsetup.h>

struct ds_cs {
	__typeof__(crypt_init) *init;
	__typeof__(crypt_init_data_device) *init_data_device;
	__typeof__(crypt_free) *free;
	__typeof__(crypt_set_log_callback) *set_log_callback;
	__typeof__(crypt_set_pbkdf_type) *set_pbkdf_type;
	__typeof__(crypt_set_data_offset) *set_data_offset;
	__typeof__(crypt_format) *format;
	__typeof__(crypt_keyslot_add_by_volume_key) *keyslot_add_by_volume_key;
	__typeof__(crypt_load) *load;
	__typeof__(crypt_activate_by_passphrase) *activate_by_passphrase;
	__typeof__(crypt_get_cipher) *get_cipher;
	__typeof__(crypt_get_cipher_mode) *get_cipher_mode;
	__typeof__(crypt_get_volume_key_size) *get_volume_key_size;
	__typeof__(crypt_get_data_offset) *get_data_offset;
	__typeof__(crypt_get_sector_size) *get_sector_size;
};

/* Loads libcryptsetup once per process; NULL (with an error message) when
 * it cannot be loaded. */
const struct ds_cs *ds_cs(void);

#endif
