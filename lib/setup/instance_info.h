/* .instance_info (spec system-setup.md 3.5): written by the VMM, then
 * replaced on every boot by what the guest sends in the instance.info
 * notification. Every field is hex; each is empty or exactly 20 bytes. */
#ifndef DS_SETUP_INSTANCE_INFO_H
#define DS_SETUP_INSTANCE_INFO_H

#include <stddef.h>

#include "util/buf.h"

#define DS_INSTANCE_INFO_MAX (10u << 10)
#define DS_INSTANCE_FIELD_LEN 20

struct ds_instance_info {
	struct ds_buf instance_id_seed;
	struct ds_buf instance_id;
	struct ds_buf app_id;
};

/* All three fields empty (the value used when the file is absent). */
int ds_instance_info_init(struct ds_instance_info *info);
int ds_instance_info_parse(const void *data, size_t len, struct ds_instance_info *out);
/* Compact {"instance_id_seed":HEX,"instance_id":HEX,"app_id":HEX}, the
 * instance.info notification payload (malloc'd, NUL-terminated). */
int ds_instance_info_format(const struct ds_instance_info *info, char **out);
void ds_instance_info_free(struct ds_instance_info *info);

#endif
