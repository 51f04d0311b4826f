#include "cli.h"
#include "setup/host_shared.h"

#include <string.h>

static const char *mount_point;

static const struct cli_opt opts[] = {
	{ 0, "mount-point", &mount_point, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util host-shared <COMMAND> --mount-point <MOUNT_POINT>\n\n"
		 "Mount or unmount the host-provided shared directory\n\n"
		 "Commands:\n"
		 "  mount    Mount the host-provided shared directory read-only (the disk labelled\n"
		 "           DSTACKSHR, else the 9p share), nosuid, nodev, noexec\n"
		 "  unmount  Unmount a host-provided shared directory\n\n"
		 "Options:\n"
		 "      --mount-point <MOUNT_POINT>  Directory where the host share is mounted\n"
		 "  -h, --help                       Print help\n",
	.opts = opts,
};

int cmd_host_shared(int argc, char **argv)
{
	const char *verb;
	char **args;
	int nargs, r;

	if (argc < 2 || argv[1][0] == '-') {
		r = cli_parse(argc, argv, &spec, &args, &nargs);
		return r >= 0 ? r : cli_usage_error(&spec, "a subcommand is required (mount or unmount)");
	}
	/* The verb comes first; its options follow it. */
	verb = argv[1];
	r = cli_parse(argc - 1, argv + 1, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!mount_point)
		return cli_usage_error(&spec, "the following required arguments were not provided:\n"
				       "  --mount-point <MOUNT_POINT>");
	if (!strcmp(verb, "mount"))
		return ds_host_shared_mount(mount_point) ? cli_fail() : CLI_EXIT_OK;
	if (!strcmp(verb, "unmount"))
		return ds_host_shared_unmount(mount_point) ? cli_fail() : CLI_EXIT_OK;
	return cli_usage_error(&spec, "unrecognized subcommand '%s'", verb);
}
