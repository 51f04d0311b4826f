/* State shared by the steps of setup (internal to lib/setup). */
#ifndef DS_SETUP_SETUP_INTERNAL_H
#define DS_SETUP_SETUP_INTERNAL_H

#include <limits.h>
#include <stdint.h>

#include "crypto/appkeys.h"
#include "hostapi/host_api.h"
#include "setup/host_shared.h"
#include "setup/setup.h"

struct ds_setup {
	const struct ds_setup_opts *opts;
	char shared_dir[PATH_MAX];          /* WORK/.host-shared */
	struct ds_host_shared hs;           /* hs.instance_info is updated in place */
	struct ds_host_api api;
	enum ds_key_provider_kind kp;
	uint8_t compose_hash[DS_COMPOSE_HASH_LEN];
	uint8_t (*init_script_hashes)[32];
	size_t n_init_script_hashes;
	struct ds_app_keys keys;
};

/* setup_measure.c: refuses a second measurement in one boot; fills app id,
 * seed and instance id; emits the identity events up to boot-mr-done. */
int ds_setup_measure_app(struct ds_setup *s);
/* Prints the app info JSON (as `show`) on stdout. */
int ds_setup_print_app_info(void);

/* setup_keys.c: the app keys from the provider, checked against
 * mr_config_id and the key_provider_id pin, then the key-provider event
 * and SHARED/.appkeys.json. */
int ds_setup_app_keys(struct ds_setup *s);

/* setup_disk.c: storage-fs event, then the data disk opened or created and
 * mounted at MNT, then its swap. */
int ds_setup_data_disk(struct ds_setup *s);

/* setup_stage1.c: env files, links, agent.json. */
int ds_setup_stage1(struct ds_setup *s);

#endif
