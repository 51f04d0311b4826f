/* The encrypted data disk through libcryptsetup (never the CLI): probing,
 * formatting with dstack's parameters, and opening through a validated
 * private copy of the header (spec system-setup.md 5.1-5.3, 5.6).
 * The passphrase is always hex(key), built and wiped here. */
#ifndef DS_LUKS_LUKS_DEVICE_H
#define DS_LUKS_LUKS_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#define DS_LUKS_MAPPER_NAME "dstack_data_disk"
/* How much of the start of a disk must be zero for it to count as blank. */
#define DS_DISK_PROBE_BYTES (1u << 20)
/* Keys are 32 bytes for every key provider; the passphrase is their hex. */
#define DS_LUKS_KEY_MAX 64

enum ds_disk_state {
	DS_DISK_BLANK,       /* the first DS_DISK_PROBE_BYTES (or the whole disk) are zero */
	DS_DISK_LUKS,        /* starts with the LUKS magic: open it, never format it */
	DS_DISK_FOREIGN,     /* anything else: an error for setup, never formatted */
	DS_DISK_INTERRUPTED, /* sector 0 zero, LUKS2 secondary header at 16 KiB: a first
			      * boot's header commit cut off before its last write */
};

int ds_disk_probe(const char *dev, enum ds_disk_state *state);

/* The header area (both copies and the keyslots, 16 MiB) in a sealed memfd:
 * private memory that nobody can change any more, validated there. */
struct ds_luks_header {
	int fd;
};

/* Formats a header for a blank device into hdr, writing nothing to dev:
 * LUKS2, aes-xts-plain64 with a 512-bit key, sha256, PBKDF2 with 1000
 * iterations and no benchmark, 512-byte sectors, data at 16 MiB, keyslot 0
 * opened by hex(key) -- the layout a format on the device itself gives. A
 * device that is neither blank nor DS_DISK_INTERRUPTED is refused. dev may be
 * a regular file. */
int ds_luks_format(const char *dev, const uint8_t *key, size_t key_len, struct ds_luks_header *hdr);

/* Writes a formatted header onto dev and checks that dev now reads back as
 * it (validated). The sector with the LUKS magic goes last, so a disk
 * only counts as initialised once the whole header is on it. Called after
 * the filesystem is made: a setup killed before this leaves a disk without a
 * header, and one killed during it a disk probed DS_DISK_INTERRUPTED; the
 * next boot formats either again. */
int ds_luks_header_commit(const struct ds_luks_header *hdr, const char *dev);

/* Copies dev's header area into hdr and validates it. */
int ds_luks_header_load(const char *dev, struct ds_luks_header *hdr);
void ds_luks_header_close(struct ds_luks_header *hdr);

/* Opens dev with the validated copy as its detached header, so the host
 * cannot swap the on-disk metadata after validation: activates
 * /dev/mapper/<name>, or with name NULL only checks that key opens
 * keyslot 0 (no device-mapper needed). A wrong key is an error. */
int ds_luks_activate(const struct ds_luks_header *hdr, const char *dev, const char *name,
		     const uint8_t *key, size_t key_len);

#endif
