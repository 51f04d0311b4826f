/* The V1 (MessagePack) wire form of the attestation container (spec
 * tdx-attestation.md 5.4): rmp-serde "named" encoding of
 * {version, platform: {kind, data}, stack: {kind, data}}. Internal to
 * container.c, which dispatches on the first byte. */
#ifndef DS_ATTEST_CONTAINER_V1_H
#define DS_ATTEST_CONTAINER_V1_H

#include "attest/container.h"

/* Decodes the whole input (a MessagePack map) into a, which the caller
 * frees on failure too. Only platform tdx is supported. */
int ds_attestation_v1_decode(const uint8_t *data, size_t len, struct ds_attestation *a);
/* Encodes a (platform tdx) as upstream's to_msgpack does, byte for byte. */
int ds_attestation_v1_encode(const struct ds_attestation *a, struct ds_buf *out);

#endif
