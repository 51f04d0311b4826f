/* The app-compose members whose JSON shape is more than one plain type
 * (internal to app_compose.c). Each reads member `key` of obj; absent leaves
 * the caller's default. */
#ifndef DS_SETUP_APP_COMPOSE_FIELDS_H
#define DS_SETUP_APP_COMPOSE_FIELDS_H

#include <jansson.h>

#include "setup/app_compose.h"

/* Number 1 or 2, or a canonical decimal string; at most DS_MANIFEST_VERSION_MAX. */
int ds_compose_manifest_version(const json_t *obj, uint32_t *out);
/* A string or an array of at most DS_INIT_SCRIPTS_MAX strings, or null. */
int ds_compose_init_scripts(const json_t *obj, char ***out, size_t *n);
/* Bytes as a number, or a string: decimal, 0x hex, or K/M/G/T (x1024). */
int ds_compose_swap_size(const json_t *obj, uint64_t *out);
/* "zfs" or "ext4" in any case, or null. */
int ds_compose_storage_fs(const json_t *obj, enum ds_storage_fs *out);
/* [HEAD] "overlayfs" or "stargz", or null; *given when one is named. */
int ds_compose_snapshotter(const json_t *obj, int *given);
/* "none", "kms" or "local", or null. */
int ds_compose_key_provider(const json_t *obj, int *given, enum ds_key_provider_kind *out);

#endif
