/* dstack-guest-agent: serves the guest agent's local API (spec
 * guest-agent-api.md) on a Unix socket from the files setup left in the work
 * dir, with the TDX backend (the simulator off-TEE, through the DCAP_TDX_*
 * overrides). SIGTERM or SIGINT: stop accepting, finish what is in flight,
 * remove the socket, exit 0. */
#include "agent.h"
#include "util/err.h"
#include "util/log.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: dstack-guest-agent --socket <PATH> --work-dir <DIR> [OPTIONS]\n"
	"\n"
	"Serve the dstack guest agent API (GetKey, GetQuote, Attest, Info, GpuInfo,\n"
	"GetTlsKey, Sign, Verify, EmitEvent, Version) over HTTP on a Unix socket, from\n"
	"the files `setup` leaves in DIR/.host-shared (.appkeys.json, app-compose.json,\n"
	".instance_info, .sys-config.json; read once at start). GpuInfo serves\n"
	"/run/nvidia-gpu-attestation/attestation.out ($DSTACK_GPU_ATTESTATION_FILE).\n"
	"Anyone who can connect gets the app's keys: choose the socket mode and its\n"
	"directory with care.\n"
	"\n"
	"Options:\n"
	"  --socket <PATH>        Unix socket to listen on (a stale socket is replaced,\n"
	"                         any other file is refused)\n"
	"  --work-dir <DIR>       Work dir set up by `dstack-util setup`\n"
	"  --socket-mode <OCTAL>  Mode of the socket file [default: 0660]\n"
	"  --threads <N>          Worker threads [default: 4]\n"
	"  --max-connections <N>  Concurrent connections [default: 1024]\n"
	"  --timeout <SECONDS>    Idle connection timeout [default: 10]\n"
	"  -h, --help             Print help\n"
	"\n"
	"Logs go to stderr (level from RUST_LOG, default info).\n";

struct options {
	const char *socket, *work_dir;
	unsigned long mode;
	struct agent_server_opts server;
};

static int parse_num(const char *name, const char *s, int base, unsigned long max,
		     unsigned long *out)
{
	char *end;

	*out = strtoul(s, &end, base);
	if (!*s || *end || *s == '-' || *out == 0 || *out > max) {
		fprintf(stderr, "error: invalid value '%s' for '%s'\n\n%s", s, name, usage);
		return 2;
	}
	return -1;
}

static int parse_option(int c, struct options *o)
{
	unsigned long v = 0;
	int r = -1;

	switch (c) {
	case 's': o->socket = optarg; return -1;
	case 'w': o->work_dir = optarg; return -1;
	case 'm': return parse_num("--socket-mode", optarg, 8, 0777, &o->mode);
	case 't': r = parse_num("--threads", optarg, 10, 64, &v); o->server.threads = v; return r;
	case 'c':
		r = parse_num("--max-connections", optarg, 10, 65536, &v);
		o->server.max_connections = v;
		return r;
	case 'T': r = parse_num("--timeout", optarg, 10, 3600, &v); o->server.timeout_s = v; return r;
	case 'h': fputs(usage, stdout); return 0;
	default: fputs(usage, stderr); return 2;
	}
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "work-dir", required_argument, NULL, 'w' },
		{ "socket-mode", required_argument, NULL, 'm' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-connections", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, r;

	*o = (struct options){ .mode = 0660, .server = { 4, 1024, 10, 10 } };
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		r = parse_option(c, o);
		if (r >= 0)
			return r;
	}
	if (optind < argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n\n%s", argv[optind], usage);
		return 2;
	}
	if (!o->socket || !o->work_dir) {
		fprintf(stderr, "error: --socket <PATH> and --work-dir <DIR> are required\n\n%s", usage);
		return 2;
	}
	return -1;
}

/* Signals are taken synchronously by the main thread; the server threads
 * inherit the blocked mask. */
static int block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	signal(SIGPIPE, SIG_IGN);
	return pthread_sigmask(SIG_BLOCK, set, NULL) ? ds_err(-EINVAL, "cannot block signals") : 0;
}

static int serve(const struct options *o, const struct ds_agentd *a)
{
	struct agent_server *server = NULL;
	sigset_t set;
	ino_t ino;
	int fd, sig, r;

	r = block_signals(&set);
	r = r ?: agent_listen(o->socket, (mode_t)o->mode, &fd, &ino);
	if (r)
		return r;
	r = agent_server_start(a, fd, &o->server, &server);
	if (r) {
		agent_unlisten(o->socket, ino);
		return r;
	}
	ds_info("agent", "listening on %s (mode %04lo, %u threads)", o->socket, o->mode,
		o->server.threads);
	sigwait(&set, &sig);
	ds_info("agent", "%s: shutting down", strsignal(sig));
	agent_unlisten(o->socket, ino);
	agent_server_stop(server);
	ds_info("agent", "stopped");
	return 0;
}

int main(int argc, char **argv)
{
	struct ds_agentd agentd;
	struct options o;
	int r;

	r = parse_args(argc, argv, &o);
	if (r >= 0)
		return r;
	ds_log_init();
	r = ds_agentd_load(o.work_dir, &ds_agentd_tdx_backend, &agentd);
	if (r == 0) {
		agentd.version = DSTACK_VERSION;
		agentd.rev = "";
		r = serve(&o, &agentd);
		ds_agentd_free(&agentd);
	}
	if (r) {
		ds_err_print(stderr);
		return 1;
	}
	return 0;
}
