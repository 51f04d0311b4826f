#include "crypto/sealbox.h"
#include "util/err.h"

#include <errno.h>
#include <sodium.h>

int ds_sealbox_open(const uint8_t pk[DS_SEALBOX_KEY_LEN], const uint8_t sk[DS_SEALBOX_KEY_LEN],
		    const uint8_t *sealed, size_t len, struct ds_buf *out)
{
	int r;

	*out = (struct ds_buf){ 0 };
	if (sodium_init() < 0)
		return ds_err(-EIO, "libsodium failed to initialise");
	if (len < crypto_box_SEALBYTES)
		return ds_err(-EINVAL, "sealed box too short: %zu bytes", len);
	r = ds_buf_alloc(out, len - crypto_box_SEALBYTES);
	if (r)
		return r;
	if (crypto_box_seal_open(out->data, sealed, len, pk, sk) != 0) {
		ds_buf_wipe(out);
		return ds_err(-EBADMSG, "failed to open the sealed box");
	}
	return 0;
}
