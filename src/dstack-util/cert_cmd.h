/* The --ca-level option of the certificate-making commands (gen-ca-cert,
 * gen-app-keys). */
#ifndef DS_CLI_CERT_CMD_H
#define DS_CLI_CERT_CMD_H

#include <stdint.h>

#include "cli.h"

/* Parses --ca-level (0..255, default 1 when arg is NULL). Returns -1 to go
 * on, or the exit status of a usage error. */
int cli_ca_level(const struct cli_spec *spec, const char *arg, uint8_t *level);

#endif
