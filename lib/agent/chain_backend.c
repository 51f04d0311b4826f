/* The primitives the signature-chain check runs on. Empty in this build:
 * the lead wires lib/crypto's Keccak-256 and k256 recovery in here. */
#include "agent/chain.h"

const struct ds_chain_backend ds_chain_backend_default = {
	.keccak256 = NULL,
	.recover = NULL,
};
