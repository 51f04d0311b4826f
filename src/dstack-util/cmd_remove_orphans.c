#include "cli.h"
#include "compose/compose.h"
#include "docker/api.h"
#include "docker/dataroot.h"
#include "docker/orphan.h"
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *compose_path, *docker_root = DS_DOCKER_DEFAULT_ROOT;
static int dry_run, no_dockerd;

static const struct cli_opt opts[] = {
	{ 'f', "compose", &compose_path, NULL },
	{ 'n', "dry-run", NULL, &dry_run },
	{ 0, "no-dockerd", NULL, &no_dockerd },
	{ 'd', "docker-root", &docker_root, NULL },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util remove-orphans [OPTIONS] --compose <COMPOSE>\n\n"
		 "Remove orphaned containers\n\n"
		 "Options:\n"
		 "  -f, --compose <COMPOSE>          path to the docker-compose.yaml file\n"
		 "  -n, --dry-run                    show what would be removed without actually "
		 "removing\n"
		 "      --no-dockerd                 Offline mode: operate without Docker daemon by "
		 "directly\n"
		 "                                   reading Docker data directory\n"
		 "  -d, --docker-root <DOCKER_ROOT>  Docker data root directory for offline mode "
		 "(default:\n"
		 "                                   /var/lib/docker) [default: /var/lib/docker]\n"
		 "  -h, --help                       Print help\n",
	.opts = opts,
};

/* "<verb> orphaned container <service> <id>", with control characters of
 * the (outside-controlled) label escaped so one container is one line. */
static int print_orphan(const char *service, const char *id)
{
	char line[1024];
	size_t n = (size_t)snprintf(line, sizeof(line), "%s orphaned container ",
				    dry_run ? "would remove" : "removing");

	for (const char *p = service; *p && n < sizeof(line) - 100; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "\\x%02x", c);
		else
			line[n++] = (char)c;
	}
	n += (size_t)snprintf(line + n, sizeof(line) - n, " %s\n", id);
	return cli_write_stdout(line, n);
}

static int remove_online(const struct ds_compose_info *info)
{
	struct ds_orphan_list orphans = { 0 };
	const char *socket;
	int r;

	r = ds_docker_socket(&socket);
	if (r == 0)
		r = ds_docker_find_orphans(socket, info, &orphans);
	for (size_t i = 0; r == 0 && i < orphans.len; i++) {
		const struct ds_orphan *o = &orphans.items[i];

		r = print_orphan(o->service, o->id);
		if (r == 0 && !dry_run && (r = ds_docker_remove(socket, o->id)))
			ds_err_ctx(r, "Failed to remove container %s", o->id);
	}
	ds_orphan_list_free(&orphans);
	return r;
}

static void print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fflush(stdout);
	fprintf(stderr, "Warning: %s\n", msg);
}

static int refuse_if_dockerd_runs(void)
{
	pid_t pid;
	int r = ds_dockerd_running(&pid);

	if (r == 0 && pid)
		r = ds_err(-EBUSY, "dockerd is running (pid %d); offline mode changes the data root "
			   "only while it is stopped", (int)pid);
	return r;
}

static int remove_offline(const struct ds_compose_info *info)
{
	struct ds_orphan_list orphans = { 0 };
	struct ds_data_root dr;
	char short_id[13];
	int r;

	r = dry_run ? 0 : refuse_if_dockerd_runs();
	if (r == 0)
		r = ds_data_root_open(docker_root, &dr);
	if (r)
		return r;
	r = ds_data_root_find_orphans(&dr, info, print_warning, NULL, &orphans);
	for (size_t i = 0; r == 0 && i < orphans.len; i++) {
		const struct ds_orphan *o = &orphans.items[i];

		snprintf(short_id, sizeof(short_id), "%s", o->id);
		r = print_orphan(o->service, short_id);
		if (r == 0 && !dry_run)
			r = ds_data_root_remove(&dr, o);
	}
	ds_orphan_list_free(&orphans);
	ds_data_root_close(&dr);
	return r;
}

int cmd_remove_orphans(int argc, char **argv)
{
	struct ds_compose_info info;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (!compose_path)
		return cli_usage_error(&spec, "the following required arguments were not provided:\n"
				       "  --compose <COMPOSE>");
	r = ds_compose_load(compose_path, &info);
	if (r == 0) {
		r = no_dockerd ? remove_offline(&info) : remove_online(&info);
		ds_compose_info_free(&info);
	}
	return r ? cli_fail_ctx("Failed to remove orphaned containers") : CLI_EXIT_OK;
}
