/* The host-shared input of setup (spec system-setup.md 1.3): the VMM's files
 * are mounted read-only (a FAT disk labelled DSTACKSHR, else the 9p share),
 * copied under strict rules into WORK/.host-shared, and parsed from there.
 * Everything in them is untrusted until measured. */
#ifndef DS_SETUP_HOST_SHARED_H
#define DS_SETUP_HOST_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/envelope.h"
#include "setup/app_compose.h"
#include "setup/instance_info.h"
#include "setup/shared_files.h"
#include "setup/sys_config.h"
#include "util/buf.h"

/* Temporary mount point of the share, and the label of its disk form. */
#define DS_HOST_SHARED_MOUNT "/tmp/.host-shared"
#define DS_HOST_SHARED_LABEL "DSTACKSHR"

#define DS_USER_CONFIG_MAX (50u << 20)

/* Copies the host files from src_dir to dst_dir (created 0755 if needed):
 * each file opened with O_NOFOLLOW relative to src_dir, regular files only,
 * size limits enforced on the bytes actually read, each destination
 * replaced atomically. A missing required file is an error; a missing
 * optional one removes any stale copy, so a re-run never keeps old input. */
int ds_host_shared_copy(const char *src_dir, const char *dst_dir);

/* Mounts the share read-only at mount_point: the FAT disk labelled
 * DSTACKSHR if there is one and it mounts, else the 9p tag "host-shared"
 * (trans=virtio,version=9p2000.L), as upstream. */
int ds_host_shared_mount(const char *mount_point);
int ds_host_shared_unmount(const char *mount_point);
/* 1 when the first sector of a FAT volume carries label (space padded). */
int ds_fat_label_matches(const uint8_t sector[512], const char *label);

/* The whole import into dst_dir: from plain_dir when given (a directory
 * prepared by a test or simulator; nothing is mounted), else mount the
 * share at DS_HOST_SHARED_MOUNT, copy, unmount (an unmount failure is an
 * error, as upstream). */
int ds_host_shared_import(const char *plain_dir, const char *dst_dir);

/* The parsed copy. */
struct ds_host_shared {
	struct ds_buf app_compose_raw;  /* exact bytes: the compose hash input */
	struct ds_app_compose app_compose;
	struct ds_sys_config sys_config;
	int has_instance_info;
	struct ds_instance_info instance_info; /* all empty when the file is absent */
	struct ds_buf encrypted_env;    /* empty when the file is absent */
};

int ds_host_shared_load(const char *dir, struct ds_host_shared *out);
void ds_host_shared_free(struct ds_host_shared *hs);

#endif
