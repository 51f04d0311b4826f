#include "luks/cryptsetup_glue.h"
#include "luks/cryptsetup_lib.h"
#include "luks/luks_device.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[256];

static void on_log(int level, const char *msg, void *arg)
{
	size_t n = strcspn(msg, "\n");

	(void)arg;
	if (level == CRYPT_LOG_ERROR) {
		snprintf(last_error, sizeof(last_error), "%.*s", (int)n, msg);
		ds_debug("cryptsetup", "%s", last_error);
	} else if (level == CRYPT_LOG_NORMAL || level == CRYPT_LOG_VERBOSE) {
		ds_debug("cryptsetup", "%.*s", (int)n, msg);
	}
}

void ds_cs_log_attach(const struct ds_cs *cs, struct crypt_device *cd)
{
	if (!cd)
		last_error[0] = '\0';
	cs->set_log_callback(cd, on_log, NULL);
}

int ds_cs_error(int r, const char *what)
{
	if (r >= 0)
		r = -EIO;
	if (last_error[0])
		return ds_err(r, "%s: %s", what, last_error);
	return ds_err(r, "%s: %s", what, strerror(-r));
}

int ds_luks_passphrase(const uint8_t *key, size_t key_len, char *out, size_t size)
{
	if (key_len == 0 || key_len > DS_LUKS_KEY_MAX || size < 2 * key_len + 1)
		return ds_err(-EINVAL, "invalid disk key length %zu", key_len);
	ds_hex_encode(key, key_len, out);
	return 0;
}
