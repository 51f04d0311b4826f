/* dstack-tee-simulator: development-only stand-in for the TDX guest kernel
 * interfaces (configfs-tsm quotes, RTMR measurement files, the CCEL), so a
 * VM without TDX can run the production attestation code paths. */
#include "sim.h"
#include "util/err.h"
#include "util/file.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CCEL_MAX (16u << 20)

static const char usage[] =
	"Usage: dstack-tee-simulator --ccel FILE [OPTIONS]\n"
	"\n"
	"Development-only simulator of the TDX guest kernel interfaces. It mounts a FUSE\n"
	"tree shaped like a configfs-tsm report entry (com.intel.dcap) with RTMR\n"
	"measurement files and the CCEL, and runs in the foreground until SIGINT or\n"
	"SIGTERM, then unmounts.\n"
	"\n"
	"Its quotes are NOT Intel-signed: they are signed by a mock PKI derived from the\n"
	"config's seed, whose root is published under RUNTIME_DIR/attestation/.\n"
	"Production verifiers reject them, and they prove nothing about the machine.\n"
	"\n"
	"Options:\n"
	"  --ccel <FILE>         Boot event log to expose and replay into RTMR0-2\n"
	"                        (required: no CCEL is bundled)\n"
	"  --config <FILE>       Simulator config [default: /dstack/.host-shared/.tee-simulator.json]\n"
	"                        {\"mock_attestation_seed\": \"<64 hex>\", \"vm_config\": \"...\"}\n"
	"  --mountpoint <DIR>    Where to mount [default: " SIM_DEFAULT_MOUNTPOINT "]\n"
	"  --runtime-dir <DIR>   Runtime state directory [default: /run/dstack]\n"
	"  -h, --help            Print help\n"
	"\n"
	"Point dstack-util at a non-default mountpoint MNT with:\n"
	"  DCAP_TDX_QUOTE_CONFIGFS_PATH=MNT/com.intel.dcap\n"
	"  DCAP_TDX_RTMR_SYSFS_PATH=MNT/com.intel.dcap/measurements\n"
	"  DSTACK_CCEL_FILE=MNT/com.intel.dcap/ccel\n";

struct options {
	const char *ccel, *config, *mountpoint, *runtime_dir;
};

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "ccel", required_argument, NULL, 'c' },
		{ "config", required_argument, NULL, 'f' },
		{ "mountpoint", required_argument, NULL, 'm' },
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*o = (struct options){ NULL, "/dstack/.host-shared/.tee-simulator.json",
			       SIM_DEFAULT_MOUNTPOINT, "/run/dstack" };
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->ccel = optarg; break;
		case 'f': o->config = optarg; break;
		case 'm': o->mountpoint = optarg; break;
		case 'r': o->runtime_dir = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n\n%s", argv[optind], usage);
		return 2;
	}
	if (!o->ccel) {
		fprintf(stderr, "error: --ccel <FILE> is required (no CCEL is bundled)\n\n%s", usage);
		return 2;
	}
	return -1;
}

/* Boot state: RTMR0-2 from the CCEL, MRTD 0x11.., and a first quote for
 * zero report data. */
static int init_state(const struct options *o, const struct sim_config *cfg, struct sim_state *s)
{
	static const uint8_t zero[64];
	int r;

	r = ds_read_file(o->ccel, CCEL_MAX, &s->ccel);
	if (r)
		return ds_err_ctx(r, "failed to read the CCEL");
	r = sim_ccel_replay(s->ccel.data, s->ccel.len, s->m.rtmr);
	if (r)
		return r;
	memset(s->m.mrtd, 0x11, sizeof(s->m.mrtd));
	r = sim_pki_derive(cfg->seed, &s->pki);
	r = r ?: sim_quote_build(&s->pki, &s->m, zero, &s->outblob);
	strcpy(s->generation_text, "0\n");
	return r;
}

static int run(const struct options *o)
{
	struct sim_config cfg;
	struct sim_state s = { 0 };
	int r;

	/* Before anything is published: never stand in for a real TEE. */
	r = sim_refuse_unsafe(o->mountpoint);
	r = r ?: sim_config_load(o->config, &cfg);
	r = r ?: init_state(o, &cfg, &s);
	OPENSSL_cleanse(&cfg, sizeof(cfg));
	r = r ?: sim_pki_publish(&s.pki, o->runtime_dir);
	r = r ?: sim_prepare_mountpoint(o->mountpoint);
	r = r ?: sim_fs_serve(&s, o->mountpoint);
	sim_pki_free(&s.pki);
	ds_buf_free(&s.ccel);
	ds_buf_free(&s.outblob);
	return r;
}

int main(int argc, char **argv)
{
	struct options o;
	int r = parse_args(argc, argv, &o);

	if (r >= 0)
		return r;
	fputs("dstack-tee-simulator: DEVELOPMENT ONLY: quotes are signed by a mock PKI derived "
	      "from the seed, NOT by Intel\n", stderr);
	if (run(&o)) {
		ds_err_print(stderr);
		return 1;
	}
	fputs("dstack-tee-simulator: unmounted, exiting\n", stderr);
	return 0;
}
