#include "luks/cryptsetup_lib.h"
#include "util/dynlib.h"
#include "util/err.h"

#include <errno.h>
#include <pthread.h>

#define LIBCRYPTSETUP_SONAME "libcryptsetup.so.12"

static struct ds_cs api;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	const struct ds_dynsym syms[] = {
		{ "crypt_init", (void **)&api.init },
		{ "crypt_init_data_device", (void **)&api.init_data_device },
		{ "crypt_free", (void **)&api.free },
		{ "crypt_set_log_callback", (void **)&api.set_log_callback },
		{ "crypt_set_pbkdf_type", (void **)&api.set_pbkdf_type },
		{ "crypt_set_data_offset", (void **)&api.set_data_offset },
		{ "crypt_format", (void **)&api.format },
		{ "crypt_keyslot_add_by_volume_key", (void **)&api.keyslot_add_by_volume_key },
		{ "crypt_load", (void **)&api.load },
		{ "crypt_activate_by_passphrase", (void **)&api.activate_by_passphrase },
		{ "crypt_get_cipher", (void **)&api.get_cipher },
		{ "crypt_get_cipher_mode", (void **)&api.get_cipher_mode },
		{ "crypt_get_volume_key_size", (void **)&api.get_volume_key_size },
		{ "crypt_get_data_offset", (void **)&api.get_data_offset },
		{ "crypt_get_sector_size", (void **)&api.get_sector_size },
	};

	ds_dynlib_open(LIBCRYPTSETUP_SONAME, syms, sizeof(syms) / sizeof(syms[0]), &load_error);
}

const struct ds_cs *ds_cs(void)
{
	pthread_once(&once, load);
	if (load_error) {
		ds_err(-ENOSYS, "cannot load %s: %s", LIBCRYPTSETUP_SONAME, load_error);
		return NULL;
	}
	return &api;
}
