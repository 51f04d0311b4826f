/* The firmware's boot event log (CCEL): TCG2 crypto-agile parsing, the
 * conversion to dstack events and the ACPI DATA labels (spec
 * tdx-attestation.md 3.1-3.3). */
#ifndef DS_ATTEST_CCEL_H
#define DS_ATTEST_CCEL_H

#include <stddef.h>
#include <stdint.h>

#include "attest/event.h"
#include "util/buf.h"

#define DS_CCEL_DEFAULT_PATH "/sys/firmware/acpi/tables/data/CCEL"
/* Largest CCEL file read (real log areas are 64 KiB). */
#define DS_CCEL_FILE_MAX (16u << 20)
/* Upstream's bound on digest_count and event_size. */
#define DS_TCG_VEC_MAX 65536u

struct ds_tcg_digest {
	uint16_t alg_id;
	struct ds_buf value;
};

/* One TCG_PCR_EVENT2 as stored: mr_index is the 1-based CC MR index. */
struct ds_tcg_event {
	uint32_t mr_index;
	uint32_t event_type;
	struct ds_tcg_digest *digests;
	uint32_t digest_count;
	struct ds_buf data;
};

struct ds_tcg_log {
	struct ds_tcg_event *events;
	size_t len;
};

/* Parses the Spec ID header (not validated, as upstream) and the events up
 * to the 0xFFFFFFFF terminator, which is required. */
int ds_tcg_parse(const uint8_t *data, size_t len, struct ds_tcg_log *out);
void ds_tcg_log_free(struct ds_tcg_log *log);

/* Converts to dstack events (imr = mr_index - 1, one digest each). New
 * rules drop mr_index 0 and keep any digest length; old rules (v0.5.4)
 * reject both. */
enum ds_ccel_rules { DS_CCEL_NEW, DS_CCEL_OLD };
int ds_ccel_convert(const struct ds_tcg_log *log, enum ds_ccel_rules rules,
		    struct ds_event_list *out);
/* Names the first three RTMR0 "ACPI DATA" events acpi-loader, acpi-rsdp,
 * acpi-tables (new rules only). */
int ds_ccel_label_acpi(struct ds_event_list *events);
/* Parse + convert (+ label for the new rules): "failed to decode CCEL". */
int ds_ccel_decode(const uint8_t *data, size_t len, enum ds_ccel_rules rules,
		   struct ds_event_list *out);

/* $DSTACK_CCEL_FILE (absolute) or the ACPI data file. */
int ds_ccel_path(const char **out);
/* Reads and decodes the CCEL file. */
int ds_ccel_read(enum ds_ccel_rules rules, struct ds_event_list *out);

#endif
