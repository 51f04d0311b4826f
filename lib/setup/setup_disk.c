/* The data disk (spec system-setup.md 2.8, 5): LUKS2 through libcryptsetup
 * unless dstack.storage_encrypted=0, then ext4 or zfs, then the swap of
 * app-compose's swap_size (checked before the disk is touched, and only on
 * an encrypted disk). First boot
 * versus later boot is read from the disk itself (HEAD); a disk that is
 * neither blank nor ours is an error and is never formatted. The LUKS
 * header reaches the disk only after the filesystem is made, with its
 * magic sector last, so a first boot killed before or while it is written
 * leaves a disk that the next boot formats again (ds_disk_probe tells a
 * cut-off header write from foreign data; a power loss that reorders that
 * write can still leave one that is refused with an error). */
#include "attest/runtime_emit.h"
#include "luks/luks_device.h"
#include "setup/setup_internal.h"
#include "setup/storage.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

#include <errno.h>
#include <string.h>

#define MAPPER_PATH "/dev/mapper/" DS_LUKS_MAPPER_NAME

/* Decides first boot from the LUKS state and leaves the volume open with
 * hdr as its header: on a first boot hdr is not on the disk yet. */
static int prepare_encrypted(const struct ds_setup *s, struct ds_luks_header *hdr,
			     int *first_boot)
{
	const struct ds_buf *key = &s->keys.disk_crypt_key;
	const char *dev = s->opts->device;
	enum ds_disk_state state;
	int r = ds_disk_probe(dev, &state);

	if (r)
		return r;
	if (state == DS_DISK_FOREIGN)
		return ds_err(-EEXIST, "%s holds data that is not a dstack LUKS2 volume; "
				       "refusing to format it", dev);
	if (state == DS_DISK_LUKS && s->keys.key_provider.kind == DS_KP_NONE)
		return ds_err(-EKEYREJECTED,
			      "%s was formatted on an earlier boot, but the none key provider makes a "
			      "new random key on every boot: it cannot be opened (it is never "
			      "re-formatted)", dev);
	*first_boot = state == DS_DISK_BLANK || state == DS_DISK_INTERRUPTED;
	ds_host_api_notify_quiet(&s->api, "boot.progress",
				 *first_boot ? "initializing data disk" : "mounting data disk");
	if (*first_boot) {
		ds_info("disk", "Setting up disk encryption");
		r = ds_luks_format(dev, key->data, key->len, hdr);
	} else {
		ds_info("disk", "Mounting encrypted data disk");
		r = ds_luks_header_load(dev, hdr);
	}
	return r ?: ds_luks_activate(hdr, dev, DS_LUKS_MAPPER_NAME, key->data, key->len);
}

static int prepare_plain(const struct ds_setup *s, enum ds_storage_fs fs, int *first_boot)
{
	const char *dev = s->opts->device;
	enum ds_disk_state state;
	int present, r = ds_fs_present(fs, dev, &present);

	if (r == 0 && !present)
		r = ds_disk_probe(dev, &state);
	if (r)
		return r;
	if (!present && state != DS_DISK_BLANK)
		return ds_err(-EEXIST, "%s is not blank and holds no dstack %s filesystem; "
				       "refusing to format it", dev, ds_storage_fs_name(fs));
	*first_boot = !present;
	ds_host_api_notify_quiet(&s->api, "boot.progress",
				 *first_boot ? "initializing data disk" : "mounting data disk");
	return 0;
}

int ds_setup_data_disk(struct ds_setup *s)
{
	struct ds_luks_header hdr = { .fd = -1 };
	const char *fs_name;
	struct ds_storage_opts so;
	struct ds_swap_plan swap;
	int first_boot = 0, r;

	r = ds_storage_opts_load(s->hs.app_compose.storage_fs, &so);
	r = r ?: ds_swap_plan(so.fs, s->hs.app_compose.swap_size, s->opts->mount_point, &swap);
	/* Stricter than upstream: swapped-out guest memory holds the app keys. */
	if (r == 0 && swap.bytes && !so.encrypted)
		r = ds_err(-EPERM, "swap_size needs an encrypted data disk: on a plaintext one "
			   "(dstack.storage_encrypted=0) swap would put guest memory, keys "
			   "included, where the host can read it");
	if (r)
		return r;
	fs_name = ds_storage_fs_name(so.fs);
	r = ds_runtime_emit("storage-fs", (const uint8_t *)fs_name, strlen(fs_name));
	if (r)
		return ds_err_ctx(r, "Failed to extend RTMR3 with storage-fs");
	r = ds_mkdir_p(s->opts->mount_point, 0755);
	r = r ?: so.encrypted ? prepare_encrypted(s, &hdr, &first_boot) :
				prepare_plain(s, so.fs, &first_boot);
	r = r ?: ds_fs_run(so.fs, first_boot, so.encrypted ? MAPPER_PATH : s->opts->device,
			   s->opts->mount_point);
	/* Only now is the disk initialised: see ds_luks_header_commit(). */
	if (r == 0 && so.encrypted && first_boot)
		r = ds_luks_header_commit(&hdr, s->opts->device);
	ds_luks_header_close(&hdr);
	if (r)
		return ds_err_ctx(r, "Failed to set up the data disk %s", s->opts->device);
	return ds_swap_run(&swap);
}
