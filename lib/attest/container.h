/* The versioned attestation container of HEAD (spec tdx-attestation.md 5):
 * one model for both wire forms, SCALE V0 (dstack-tdx) and MessagePack V1
 * (platform tdx, stack dstack or dstack-pod); decoding, encoding in the
 * recorded wire version, stripping, and building a container from the parts
 * the guest gathers. */
#ifndef DS_ATTEST_CONTAINER_H
#define DS_ATTEST_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "attest/event.h"
#include "util/buf.h"

#define DS_ATTESTATION_MAX (10u << 20)
#define DS_REPORT_DATA_LEN 64

/* AttestationQuote variants, in wire order. Only DstackTdx is decoded. */
enum ds_att_variant {
	DS_ATT_DSTACK_TDX,
	DS_ATT_DSTACK_GCP_TDX,
	DS_ATT_DSTACK_NITRO_ENCLAVE,
	DS_ATT_DSTACK_AMD_SEV_SNP,
	DS_ATT_DSTACK_AWS_NITRO_TPM,
	DS_ATT_VARIANT_COUNT,
};

/* The wire form: decoding records it, encoding follows it. */
enum ds_att_wire {
	DS_ATT_WIRE_V0,         /* SCALE, first byte 0x00 */
	DS_ATT_WIRE_V1,         /* rmp-serde named MessagePack */
};

struct ds_attestation {
	enum ds_att_wire wire;
	enum ds_att_variant variant;            /* V1 platform tdx = DstackTdx */
	struct ds_buf quote;                    /* raw TDX quote, padding kept */
	struct ds_event_list event_log;         /* TdxEvent list, digests as stored */
	struct ds_event_list runtime_events;    /* digest recomputed (by version) */
	uint8_t report_data[DS_REPORT_DATA_LEN];
	char *config;                           /* vm_config JSON text, may be "" */
	char *report_data_payload;              /* V1 stack dstack-pod only, else NULL */
};

/* "DstackTdx" (attest-info's mode) and "dstack-tdx" (attest-json's mode). */
const char *ds_att_variant_name(enum ds_att_variant v);
const char *ds_att_variant_id(enum ds_att_variant v);

/* Decodes a whole container (at most DS_ATTESTATION_MAX bytes). */
int ds_attestation_decode(const uint8_t *data, size_t len, struct ds_attestation *out);
/* Reads and decodes a container file: "Failed to read attestation file" /
 * "Failed to decode attestation"; *total gets the file size. */
int ds_attestation_read_file(const char *path, struct ds_attestation *out, size_t *total);
/* Encodes in a->wire; V0 cannot carry V2 runtime events, preimages or a
 * dstack-pod payload, and refuses them. */
int ds_attestation_encode(const struct ds_attestation *a, struct ds_buf *out);
/* An RTMR0 marker event of type 10 with payload "ACPI DATA". */
int ds_event_is_acpi_data(const struct ds_event *ev);
/* into_stripped (5.3): keeps the ACPI DATA events and the RTMR3 events,
 * runtime events without digest and others without payload. */
int ds_attestation_strip(struct ds_attestation *a);
/* A dstack-tdx container from the guest's parts (5.2). The event lists are
 * moved into it (left empty), the quote and config copied. The wire is V0
 * unless a runtime event uses digest version 2 (upstream's into_versioned). */
int ds_attestation_build(const uint8_t *quote, size_t quote_len, struct ds_event_list *event_log,
			 struct ds_event_list *runtime_events,
			 const uint8_t report_data[DS_REPORT_DATA_LEN], const char *config,
			 struct ds_attestation *out);
void ds_attestation_free(struct ds_attestation *a);

#endif
