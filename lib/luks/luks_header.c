/* The private header copy: a sealed memfd holding the whole header area
 * (both copies and the keyslots), validated against the whitelist. Opening
 * fills it from the device; a first boot formats into it and writes it to
 * the device only once the filesystem exists (ds_luks_header_commit). */
#include "luks/luks2_header.h"
#include "luks/luks_device.h"
#include "luks/luks_header_copy.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEADER_AREA ((size_t)DS_LUKS2_PAYLOAD_OFFSET)
#define SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)
/* The sector holding the LUKS magic, written last: the commit record. */
#define MAGIC_SECTOR 512u

int ds_luks_copy_create(int *mfd)
{
	*mfd = memfd_create("dstack-luks-header", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (*mfd < 0)
		return ds_err(-errno, "memfd_create failed: %s", strerror(errno));
	if (ftruncate(*mfd, (off_t)HEADER_AREA) == 0)
		return 0;
	close(*mfd);
	*mfd = -1;
	return ds_err(-errno, "Failed to size the header copy: %s", strerror(errno));
}

static int map_area(int mfd, int prot, uint8_t **map)
{
	*map = mmap(NULL, HEADER_AREA, prot, MAP_SHARED, mfd, 0);
	if (*map != MAP_FAILED)
		return 0;
	*map = NULL;
	return ds_err(-errno, "Failed to map the header copy: %s", strerror(errno));
}

static int read_area(const char *dev, uint8_t *out)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return ds_err(-errno, "Failed to open %s: %s", dev, strerror(errno));
	r = ds_read_exact(fd, out, HEADER_AREA);
	close(fd);
	return r ? ds_err_ctx(r, "Failed to read the LUKS2 header area of %s", dev) : 0;
}

static int fill_from(int mfd, const char *dev)
{
	uint8_t *map;
	int r = map_area(mfd, PROT_READ | PROT_WRITE, &map);

	if (r)
		return r;
	r = read_area(dev, map);
	munmap(map, HEADER_AREA);
	return r;
}

/* Validates the sealed bytes themselves: what libcryptsetup will read. */
static int validate_sealed(int mfd)
{
	uint8_t *map;
	int r = map_area(mfd, PROT_READ, &map);

	if (r)
		return r;
	r = ds_luks2_validate(map, HEADER_AREA);
	munmap(map, HEADER_AREA);
	return r;
}

int ds_luks_copy_seal(int mfd, struct ds_luks_header *hdr)
{
	int r = 0;

	if (fcntl(mfd, F_ADD_SEALS, SEALS) < 0)
		r = ds_err(-errno, "Failed to seal the header copy: %s", strerror(errno));
	r = r ?: validate_sealed(mfd);
	if (r) {
		close(mfd);
		return r;
	}
	hdr->fd = mfd;
	return 0;
}

int ds_luks_header_load(const char *dev, struct ds_luks_header *hdr)
{
	int mfd, r;

	hdr->fd = -1;
	ds_info("luks", "Loading the LUKS2 header");
	r = ds_luks_copy_create(&mfd);
	if (r == 0) {
		r = fill_from(mfd, dev);
		if (r)
			close(mfd);
	}
	r = r ?: ds_luks_copy_seal(mfd, hdr);
	return r ? ds_err_ctx(r, "Failed to validate LUKS2 header of %s", dev) : 0;
}

void ds_luks_header_close(struct ds_luks_header *hdr)
{
	if (hdr->fd >= 0)
		close(hdr->fd);
	hdr->fd = -1;
}

static int write_synced(int fd, const uint8_t *data, size_t len, off_t off)
{
	int r;

	if (lseek(fd, off, SEEK_SET) < 0)
		return ds_err(-errno, "lseek failed: %s", strerror(errno));
	r = ds_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = ds_err(-errno, "fsync failed: %s", strerror(errno));
	return r;
}

/* Everything but the magic sector first, then that sector: until the
 * magic is on the disk no boot takes the disk for an initialised one. */
static int write_area(const char *dev, const uint8_t *area)
{
	int fd = open(dev, O_WRONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return ds_err(-errno, "Failed to open %s: %s", dev, strerror(errno));
	r = write_synced(fd, area + MAGIC_SECTOR, HEADER_AREA - MAGIC_SECTOR, MAGIC_SECTOR);
	r = r ?: write_synced(fd, area, MAGIC_SECTOR, 0);
	close(fd);
	return r;
}

/* The device must now read back as exactly the validated header. */
static int verify_written(const char *dev, const uint8_t *area)
{
	struct ds_luks_header ondisk = { .fd = -1 };
	uint8_t *map = NULL;
	int r = ds_luks_header_load(dev, &ondisk);

	r = r ?: map_area(ondisk.fd, PROT_READ, &map);
	if (r == 0 && memcmp(map, area, HEADER_AREA))
		r = ds_err(-EIO, "the header read back from %s differs from the one written", dev);
	if (map)
		munmap(map, HEADER_AREA);
	ds_luks_header_close(&ondisk);
	return r;
}

int ds_luks_header_commit(const struct ds_luks_header *hdr, const char *dev)
{
	uint8_t *area;
	int r;

	if (hdr->fd < 0)
		return ds_err(-EBADF, "no validated LUKS2 header");
	ds_info("luks", "Writing the LUKS2 header");
	r = map_area(hdr->fd, PROT_READ, &area);
	if (r)
		return ds_err_ctx(r, "Failed to write the LUKS2 header to %s", dev);
	r = write_area(dev, area);
	r = r ?: verify_written(dev, area);
	munmap(area, HEADER_AREA);
	return r ? ds_err_ctx(r, "Failed to write the LUKS2 header to %s", dev) : 0;
}
