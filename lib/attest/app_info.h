/* App info, the identity summary printed by `show` (spec
 * tdx-attestation.md 4.1, 4.2), as pure functions of a quote, the events
 * and the VM config, so every vector can be checked without TDX. */
#ifndef DS_ATTEST_APP_INFO_H
#define DS_ATTEST_APP_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "attest/event.h"
#include "util/buf.h"

struct ds_app_info {
	struct ds_buf app_id, compose_hash, instance_id, os_image_hash, key_provider_info;
	uint8_t device_id[32];
	uint8_t mr_system[32];
	uint8_t mr_aggregated[32];
	/* v0.5.4 only: the quote's MRTD and the replayed RTMRs */
	uint8_t mrtd[48];
	uint8_t rtmr[4][48];
	/* HEAD only: payloads of init-script-hash events before system-ready */
	struct ds_buf *init_script_hashes;
	size_t n_init_script_hashes;
};

/* HEAD (4.2): runtime_events are the parsed runtime log (or a container's
 * runtime_events), config the vm_config text. RTMR0-2 come from the quote,
 * RTMR3 is replayed (to boot-mr-done when boottime). */
int ds_app_info_new(const uint8_t *quote, size_t quote_len,
		    const struct ds_event_list *runtime_events, const char *config, int boottime,
		    struct ds_app_info *out);
/* v0.5.4 (4.1): log is the old full event log (CCEL + old runtime log);
 * every RTMR is replayed and a compose-hash event is required. */
int ds_app_info_old(const uint8_t *quote, size_t quote_len, const struct ds_event_list *log,
		    int boottime, struct ds_app_info *out);
void ds_app_info_free(struct ds_app_info *info);

/* The HEAD app info as rmp_serde::to_vec writes upstream's AppInfo (the
 * certificate extension 1.9, spec crypto-and-certs.md 2.2): an array of the
 * nine fields in order, every byte field a bin, init_script_hashes an array
 * of bin (TDX always binds the list, so never nil). */
int ds_app_info_msgpack(const struct ds_app_info *info, struct ds_buf *out);

/* Pretty JSON (no trailing newline) in the member order of 4.2 / 4.1. */
int ds_app_info_new_json(const struct ds_app_info *info, char **out);
int ds_app_info_old_json(const struct ds_app_info *info, char **out);

#endif
