/* dstack's whitelist of LUKS2 headers (spec system-setup.md 5.1, 5.4): the
 * only layout setup creates and the only one it will open. The validator is
 * a pure function over the header bytes (a header backup, or the first bytes
 * of the device); it never trusts a length before bounding it. */
#ifndef DS_LUKS_LUKS2_HEADER_H
#define DS_LUKS_LUKS2_HEADER_H

#include <stddef.h>
#include <stdint.h>

/* The data segment starts at 16 MiB: everything before it is header area
 * (two header copies and the keyslots area). */
#define DS_LUKS2_PAYLOAD_OFFSET (16ull << 20)
#define DS_LUKS2_BINARY_HEADER_SIZE 4096u
/* Where the secondary header copy starts in the layout setup creates
 * (16 KiB headers: 4 KiB binary + 12 KiB JSON). */
#define DS_LUKS2_SECONDARY_OFFSET 16384u
#define DS_LUKS2_CIPHER "aes-xts-plain64"
#define DS_LUKS2_KEY_BYTES 64            /* AES-256-XTS: two 256-bit keys */
#define DS_LUKS2_SECTOR_SIZE 512
#define DS_LUKS2_AF_STRIPES 4000
#define DS_LUKS2_MIN_ITERATIONS 1000     /* PBKDF2's floor in libcryptsetup */

/* Validates both header copies at the start of data (len bytes): binary
 * fields, checksums, identical copies, and the JSON metadata against the
 * whitelist. On failure the error says what was refused, e.g.
 * "Invalid LUKS keyslot encryption: cipher_null-ecb". */
int ds_luks2_validate(const uint8_t *data, size_t len);

#endif
