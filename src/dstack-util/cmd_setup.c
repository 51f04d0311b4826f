#include "cli.h"
#include "setup/setup.h"
#include "util/err.h"

#include <stdlib.h>

static const char *work_dir, *device, *mount_point;

static const struct cli_opt opts[] = {
	{ 0, "work-dir", &work_dir, NULL },
	{ 0, "device", &device, NULL },
	{ 0, "mount-point", &mount_point, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util setup --work-dir <WORK_DIR> --device <DEVICE> "
		 "--mount-point <MOUNT_POINT>\n\n"
		 "Set up the CVM: measure the app, get its keys, open or create the\n"
		 "encrypted data disk and write the env and agent files\n\n"
		 "Options:\n"
		 "      --work-dir <WORK_DIR>        dstack work directory\n"
		 "      --device <DEVICE>            persistent data disk\n"
		 "      --mount-point <MOUNT_POINT>  where the data filesystem is mounted\n"
		 "  -h, --help                       Print help\n\n"
		 "Environment:\n"
		 "  " DS_HOST_SHARED_SOURCE_ENV "  import the host files from this directory\n"
		 "                             instead of mounting the host share\n"
		 "  DSTACK_CMDLINE_FILE        kernel command line file [default: /proc/cmdline]\n",
	.opts = opts,
};

int cmd_setup(int argc, char **argv)
{
	struct ds_setup_opts o = { 0 };
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!work_dir || !device || !mount_point)
		return cli_usage_error(&spec, "the following required arguments were not provided:\n"
				       "  %s", !work_dir ? "--work-dir <WORK_DIR>" :
				       !device ? "--device <DEVICE>" : "--mount-point <MOUNT_POINT>");
	o.work_dir = work_dir;
	o.device = device;
	o.mount_point = mount_point;
	o.host_shared_source = getenv(DS_HOST_SHARED_SOURCE_ENV);
	if (o.host_shared_source && o.host_shared_source[0] != '/')
		return cli_usage_error(&spec, "%s must be an absolute path", DS_HOST_SHARED_SOURCE_ENV);
	r = ds_setup_run(&o);
	return r ? cli_fail_ctx("Failed to set up the system") : CLI_EXIT_OK;
}
