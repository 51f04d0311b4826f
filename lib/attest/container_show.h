/* Human and JSON views of a decoded container: the attest-info lines and
 * the attest-json document (spec tdx-attestation.md 5.5). */
#ifndef DS_ATTEST_CONTAINER_SHOW_H
#define DS_ATTEST_CONTAINER_SHOW_H

#include <stddef.h>

#include "attest/container.h"

/* The attest-info lines (V0 as upstream, V1 as a stable summary), each
 * ending in a newline. */
int ds_attestation_info_text(const struct ds_attestation *a, const char *file,
			     size_t total_bytes, char **out);
/* The attest-json document (pretty, no trailing newline). */
int ds_attestation_json(const struct ds_attestation *a, char **out);

#endif
