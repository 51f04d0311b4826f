/* Picks the quote transport (spec tdx-attestation.md 1.3, 1.4). An explicit
 * configfs override and an existing configfs-tsm base are final: once the
 * kernel offers configfs, falling back to another transport would only hide
 * its errors. */
#include "tdx/abi.h"
#include "tdx/configfs.h"
#include "tdx/tdvmcall.h"
#include "tdx/tdx.h"
#include "tdx/tdx_err.h"
#include "tdx/vsock.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

#include <pthread.h>
#include <unistd.h>

/* The kernel interfaces are shared per process; upstream serialises too. */
static pthread_mutex_t quote_lock = PTHREAD_MUTEX_INITIALIZER;

static int quote_locked(const uint8_t report_data[64], struct ds_buf *quote)
{
	const char *entry;
	uint32_t port;
	int connected = 0, r;

	r = ds_env_path(DS_TDX_CONFIGFS_ENV, &entry);
	if (r)
		return r;
	if (entry)
		return ds_tdx_configfs_check(entry) ?: ds_tdx_configfs_quote(entry, report_data, quote);
	r = ds_tdx_conf_port(&port);
	if (r)
		return r;
	if (port) {
		r = ds_tdx_vsock_quote(port, report_data, quote, &connected);
		if (r == 0 || connected)
			return r;
		ds_debug("quote", "QGS on vsock port %u unreachable (%s), trying configfs", port,
			 ds_err_msg(0));
		ds_err_clear();
	}
	if (ds_tdx_is_dir(DS_TDX_CONFIGFS_BASE) || ds_tdx_is_dir(DS_TDX_CONFIGFS_DEFAULT))
		return ds_tdx_configfs_prepare_default() ?:
		       ds_tdx_configfs_quote(DS_TDX_CONFIGFS_DEFAULT, report_data, quote);
	if (access(DS_TDX_GUEST_DEVICE, F_OK) == 0)
		return ds_tdx_tdvmcall_quote(report_data, quote);
	if (port)
		return ds_tdx_err(DS_TDX_NOT_SUPPORTED, "no quote method available (configfs not "
				  "mounted, QGS on vsock port %u unreachable)", port);
	return ds_tdx_err(DS_TDX_NOT_SUPPORTED,
			  "no quote method available (configfs not mounted, no vsock port configured)");
}

int ds_tdx_get_quote(const uint8_t report_data[DS_TDX_REPORT_DATA_LEN], struct ds_buf *quote)
{
	int r;

	ds_debug("tdx", "generating a TD quote");
	pthread_mutex_lock(&quote_lock);
	r = quote_locked(report_data, quote);
	pthread_mutex_unlock(&quote_lock);
	return r;
}
