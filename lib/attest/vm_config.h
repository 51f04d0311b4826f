/* The VM configuration bound into app info (spec tdx-attestation.md 4.2):
 * reading the vm_config string of the host-shared sys-config, and checking
 * a VmConfig document the way upstream's typed parser does. */
#ifndef DS_ATTEST_VM_CONFIG_H
#define DS_ATTEST_VM_CONFIG_H

#include <stddef.h>

#include "setup/shared_files.h"
#include "util/buf.h"

/* $DSTACK_HOST_SHARED_DIR/.sys-config.json (absolute override) or the
 * default, into out (size PATH_MAX). */
int ds_sys_config_path(char *out, size_t size);
/* The vm_config string of the sys-config at path: a missing file gives "",
 * anything unreadable or mistyped "Failed to read vm config". */
int ds_sys_config_vm_config(const char *path, char **out);
/* os_image_hash of config' (4.2): "" means {}, and a JSON object with a
 * string vm_config member stands for that string. Every known member must
 * have its upstream type ("Failed to parse vm config"). */
int ds_vm_config_os_image_hash(const char *config, struct ds_buf *out);
/* [HEAD] Whether the VmConfig document config (typed as upstream) selects
 * TDX lite attestation (tdx_attestation_variant "lite"; default legacy). */
int ds_vm_config_tdx_lite(const char *config, int *lite);

#endif
