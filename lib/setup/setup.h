/* `dstack-util setup` (spec system-setup.md 2): turns a booting CVM into a
 * measured, keyed system with its data disk mounted. HEAD's flow; gateway
 * and docker registry setup are not part of it. */
#ifndef DS_SETUP_SETUP_H
#define DS_SETUP_SETUP_H

/* Imports the host share from this plain directory instead of mounting it
 * (tests and the simulator); unset in a real CVM. */
#define DS_HOST_SHARED_SOURCE_ENV "DSTACK_HOST_SHARED_SOURCE"

struct ds_setup_opts {
	const char *work_dir;
	const char *device;
	const char *mount_point;
	const char *host_shared_source;  /* NULL: mount the share */
};

/* The whole flow. Prints the app info JSON on stdout (the only output). */
int ds_setup_run(const struct ds_setup_opts *opts);

#endif
