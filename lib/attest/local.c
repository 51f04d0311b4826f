#include "attest/local.h"
#include "attest/event_log.h"
#include "attest/runtime_event.h"
#include "attest/vm_config.h"
#include "tdx/tdx.h"
#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

/* Only dstack-tdx is supported: the SEV-SNP, GCP and Nitro variants of
 * upstream's platform detection are out of scope. */
static int require_tdx(void)
{
	if (!ds_tdx_available())
		return ds_err(-ENOTSUP, "Unsupported platform: Dstack(-tdx/-amd-sev-snp)");
	return 0;
}

static int read_config(const char *sys_config_path, char **config)
{
	char path[PATH_MAX];
	int r = 0;

	if (!sys_config_path) {
		r = ds_sys_config_path(path, sizeof(path));
		sys_config_path = path;
	}
	return r ? r : ds_sys_config_vm_config(sys_config_path, config);
}

int ds_attestation_local(const uint8_t report_data[DS_REPORT_DATA_LEN],
			 const char *sys_config_path, struct ds_attestation *out)
{
	struct ds_event_list runtime = { 0 }, event_log = { 0 };
	struct ds_buf quote = { 0 };
	char log_path[PATH_MAX];
	char *config = NULL;
	int r;

	r = require_tdx();
	if (r)
		return r;
	r = read_config(sys_config_path, &config);
	if (r)
		return r;
	/* The runtime log is read before the quote and the full log after it,
	 * as upstream does, so a concurrent event shows in the full log. */
	r = ds_runtime_log_file(DS_RUNTIME_LOG_NAME, log_path, sizeof(log_path));
	r = r ?: ds_runtime_log_read(log_path, &runtime);
	if (r) {
		ds_err_ctx(r, "Failed to read runtime events");
		goto out;
	}
	r = ds_tdx_get_quote(report_data, &quote);
	if (r) {
		ds_err_ctx(r, "Failed to get quote");
		goto out;
	}
	r = ds_event_log_read(&event_log);
	if (r) {
		ds_err_ctx(r, "Failed to read event log");
		goto out;
	}
	/* Upstream's verifiers require the preimage of every V2 runtime event
	 * (validate_v2_preimages); upstream's guest agent fills them, its
	 * dstack-util does not, which leaves its V1 containers unverifiable.
	 * Only V1 containers carry them; V0 ones have no V2 event. */
	r = ds_runtime_fill_v2_preimages(&event_log);
	r = r ?: ds_attestation_build(quote.data, quote.len, &event_log, &runtime, report_data,
				      config, out);
out:
	ds_event_list_free(&runtime);
	ds_event_list_free(&event_log);
	ds_buf_free(&quote);
	free(config);
	return r;
}
