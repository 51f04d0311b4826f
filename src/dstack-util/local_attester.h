/* The attestation source of the commands that put evidence into
 * certificates (gen-ca-cert, gen-app-keys). */
#ifndef DS_CLI_LOCAL_ATTESTER_H
#define DS_CLI_LOCAL_ATTESTER_H

#include "crypto/ratls.h"

const struct ds_attester *cli_local_attester(void);

#endif
