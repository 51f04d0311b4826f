#include "attest/local.h"
#include "attest/event_log.h"
#include "attest/quote.h"
#include "attest/replay.h"
#include "attest/runtime_event.h"
#include "attest/vm_config.h"
#include "tdx/tdx.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

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

/* A shared lock on the runtime event lock: emitters hold it exclusively
 * around append + extend, so while it is held the log and RTMR3 agree.
 * Upstream takes no lock here (spec 9.1); without one a concurrent event
 * can make the quote and the log disagree. Returns the descriptor, or -1
 * when no event was ever emitted (no lock file yet). */
static int lock_runtime_log(int *fd)
{
	char path[PATH_MAX];
	int r = ds_runtime_log_file(DS_RUNTIME_LOCK_NAME, path, sizeof(path));

	*fd = -1;
	if (r)
		return r;
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd < 0)
		return errno == ENOENT ? 0 : ds_err(-errno, "open %s: %s", path, strerror(errno));
	while (flock(*fd, LOCK_SH) < 0) {
		if (errno != EINTR) {
			r = ds_err(-errno, "flock %s: %s", path, strerror(errno));
			close(*fd);
			*fd = -1;
			return r;
		}
	}
	return 0;
}

/* The quote must bind the requested report data, and the runtime events
 * must replay to its RTMR3: an attestation whose log does not explain its
 * measurement cannot be verified by anyone. */
static int check_consistent(const struct ds_attestation *a)
{
	uint8_t rtmr3[DS_SHA384_LEN];
	const struct ds_td10 *td;
	struct ds_quote q;
	int r = ds_quote_parse(a->quote.data, a->quote.len, &q);

	r = r ?: ds_quote_td_report(&q, &td);
	if (r)
		return ds_err_ctx(r, "Failed to parse quote");
	if (memcmp(td->report_data, a->report_data, sizeof(td->report_data)))
		return ds_err(-EPROTO, "the quote does not carry the requested report data");
	r = ds_replay_rtmr3(&a->runtime_events, NULL, rtmr3);
	if (r)
		return r;
	if (memcmp(rtmr3, td->rt_mr[3], sizeof(rtmr3)))
		return ds_err(-EPROTO, "the runtime event log does not replay to RTMR3 of the quote");
	return 0;
}

static int gather(const uint8_t report_data[DS_REPORT_DATA_LEN], const char *config,
		  struct ds_attestation *out)
{
	struct ds_event_list runtime = { 0 }, event_log = { 0 };
	struct ds_buf quote = { 0 };
	char log_path[PATH_MAX];
	int lock_fd, r;

	r = lock_runtime_log(&lock_fd);
	if (r)
		return ds_err_ctx(r, "Failed to lock the runtime event log");
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
	if (lock_fd >= 0)
		close(lock_fd);
	ds_event_list_free(&runtime);
	ds_event_list_free(&event_log);
	ds_buf_free(&quote);
	return r;
}

int ds_attestation_local(const uint8_t report_data[DS_REPORT_DATA_LEN],
			 const char *sys_config_path, struct ds_attestation *out)
{
	char *config = NULL;
	int r;

	r = require_tdx();
	r = r ?: read_config(sys_config_path, &config);
	if (r)
		return r;
	/* Once more if the first event of the boot raced the lock's creation. */
	for (int attempt = 0; attempt < 2; attempt++) {
		r = gather(report_data, config, out);
		if (r)
			break;
		r = check_consistent(out);
		if (r == 0)
			break;
		ds_attestation_free(out);
	}
	free(config);
	return r;
}
