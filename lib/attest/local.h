/* The guest's own attestation (upstream Attestation::local, spec
 * tdx-attestation.md 4.2 and 5.2): what `show`, `attest`, `quote-report`,
 * RA-TLS certificates, the agent and setup all start from. */
#ifndef DS_ATTEST_LOCAL_H
#define DS_ATTEST_LOCAL_H

#include <stdint.h>

#include "attest/container.h"

/* Gathers, in upstream's order, the VM config from the sys-config at
 * sys_config_path (NULL: the host-shared default), the runtime events, a
 * quote binding report_data, then the full event log, and assembles them
 * into a dstack-tdx container. Fails on anything but a TDX platform. */
int ds_attestation_local(const uint8_t report_data[DS_REPORT_DATA_LEN],
			 const char *sys_config_path, struct ds_attestation *out);

#endif
