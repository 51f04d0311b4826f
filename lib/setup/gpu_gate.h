/* [HEAD] GPU gate (spec system-setup.md 2.11), as far as this dstack-util
 * goes: it counts the display-class PCI devices (class 0x0300/0x0302) and
 * requires all to be NVIDIA (0x10de). It cannot run nvattest, evaluate Rego
 * or set the GPU ready state, so any case that needs one of those fails
 * closed; with no GPU and no Rego policy the boot continues. */
#ifndef DS_SETUP_GPU_GATE_H
#define DS_SETUP_GPU_GATE_H

#include "setup/requirements.h"

#define DS_PCI_DEVICES_DIR "/sys/bus/pci/devices"

struct ds_gpu_inventory {
	unsigned total, nvidia;
};

/* Reads class and vendor of every device under dir (DS_PCI_DEVICES_DIR). */
int ds_gpu_inventory_at(const char *dir, struct ds_gpu_inventory *out);
/* Applies policy to the inventory. */
int ds_gpu_gate(const struct ds_gpu_policy *policy, const struct ds_gpu_inventory *inv);

#endif
