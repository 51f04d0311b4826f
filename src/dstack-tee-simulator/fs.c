/* The FUSE tree of spec tdx-attestation.md 7.1: a configfs-tsm report entry
 * com.intel.dcap with its measurements directory. Single-threaded, so the
 * state needs no lock; timestamps are the epoch, the owner is the daemon,
 * nothing is cached by the kernel (TTL 0, direct I/O). */
#include "sim.h"
#include "util/err.h"

#include <errno.h>
#include <fuse.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum node_id {
	N_ROOT, N_ENTRY, N_PROVIDER, N_INBLOB, N_OUTBLOB, N_GENERATION, N_CCEL, N_MEASUREMENTS,
	N_RTMR0, N_RTMR1, N_RTMR2, N_RTMR3, N_COUNT
};

static const struct node {
	const char *path;
	enum node_id parent;
	mode_t mode;
} nodes[N_COUNT] = {
	[N_ROOT] = { "/", N_ROOT, S_IFDIR | 0755 },
	[N_ENTRY] = { "/" SIM_ENTRY, N_ROOT, S_IFDIR | 0755 },
	[N_PROVIDER] = { "/" SIM_ENTRY "/provider", N_ENTRY, S_IFREG | 0400 },
	[N_INBLOB] = { "/" SIM_ENTRY "/inblob", N_ENTRY, S_IFREG | 0200 },
	[N_OUTBLOB] = { "/" SIM_ENTRY "/outblob", N_ENTRY, S_IFREG | 0400 },
	[N_GENERATION] = { "/" SIM_ENTRY "/generation", N_ENTRY, S_IFREG | 0400 },
	[N_CCEL] = { "/" SIM_ENTRY "/ccel", N_ENTRY, S_IFREG | 0400 },
	[N_MEASUREMENTS] = { "/" SIM_ENTRY "/measurements", N_ENTRY, S_IFDIR | 0755 },
	[N_RTMR0] = { "/" SIM_ENTRY "/measurements/rtmr0:sha384", N_MEASUREMENTS, S_IFREG | 0600 },
	[N_RTMR1] = { "/" SIM_ENTRY "/measurements/rtmr1:sha384", N_MEASUREMENTS, S_IFREG | 0600 },
	[N_RTMR2] = { "/" SIM_ENTRY "/measurements/rtmr2:sha384", N_MEASUREMENTS, S_IFREG | 0600 },
	[N_RTMR3] = { "/" SIM_ENTRY "/measurements/rtmr3:sha384", N_MEASUREMENTS, S_IFREG | 0600 },
};

static struct sim_state *state(void)
{
	return fuse_get_context()->private_data;
}

static int lookup(const char *path)
{
	for (int i = 0; i < N_COUNT; i++)
		if (!strcmp(nodes[i].path, path))
			return i;
	return -1;
}

static const char *basename_of(enum node_id id)
{
	return strrchr(nodes[id].path, '/') + 1;
}

/* What a read returns; inblob reads as empty. */
static struct ds_buf content(struct sim_state *s, enum node_id id)
{
	static const char provider[] = "tdx_guest\n";

	switch (id) {
	case N_PROVIDER: return (struct ds_buf){ (uint8_t *)provider, sizeof(provider) - 1 };
	case N_OUTBLOB: return s->outblob;
	case N_GENERATION:
		return (struct ds_buf){ (uint8_t *)s->generation_text, strlen(s->generation_text) };
	case N_CCEL: return s->ccel;
	case N_RTMR0: case N_RTMR1: case N_RTMR2: case N_RTMR3:
		return (struct ds_buf){ s->m.rtmr[id - N_RTMR0], 48 };
	default: return (struct ds_buf){ 0 };
	}
}

static int sim_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int id = lookup(path);

	(void)fi;
	if (id < 0)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_ino = (ino_t)id + 1;
	st->st_mode = nodes[id].mode;
	st->st_nlink = S_ISDIR(nodes[id].mode) ? 2 : 1;
	st->st_uid = geteuid();
	st->st_gid = getegid();
	st->st_size = (off_t)content(state(), id).len;
	st->st_blksize = 4096;
	return 0;
}

static int sim_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		       struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	int id = lookup(path);

	(void)off;
	(void)fi;
	(void)flags;
	if (id < 0)
		return -ENOENT;
	if (!S_ISDIR(nodes[id].mode))
		return -ENOTDIR;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	for (int i = 1; i < N_COUNT; i++)
		if (nodes[i].parent == (enum node_id)id)
			fill(buf, basename_of(i), NULL, 0, 0);
	return 0;
}

static int sim_open(const char *path, struct fuse_file_info *fi)
{
	int id = lookup(path);

	if (id < 0)
		return -ENOENT;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int sim_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	int id = lookup(path);
	struct ds_buf data;

	(void)fi;
	if (id < 0)
		return -ENOENT;
	data = content(state(), id);
	if (off < 0 || (size_t)off >= data.len)
		return 0;
	if (size > data.len - (size_t)off)
		size = data.len - (size_t)off;
	memcpy(buf, data.data + off, size);
	return (int)size;
}

static int sim_write(const char *path, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	int id = lookup(path), r;

	(void)fi;
	if (id == N_INBLOB)
		r = sim_state_request_quote(state(), (const uint8_t *)buf, size, off);
	else if (id >= N_RTMR0 && id <= N_RTMR3)
		r = sim_state_extend(state(), (unsigned)(id - N_RTMR0), (const uint8_t *)buf, size, off);
	else
		return id < 0 ? -ENOENT : -EACCES;
	return r ? r : (int)size;
}

/* Truncating inblob or an RTMR file to 0 is a no-op, so that shell ">"
 * redirection works; every other attribute change is refused. */
static int sim_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	int id = lookup(path);

	(void)fi;
	if (id < 0)
		return -ENOENT;
	if (size == 0 && (id == N_INBLOB || (id >= N_RTMR0 && id <= N_RTMR3)))
		return 0;
	return -EACCES;
}

static int sim_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)mode;
	(void)fi;
	return lookup(path) < 0 ? -ENOENT : -EACCES;
}

static int sim_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	(void)uid;
	(void)gid;
	(void)fi;
	return lookup(path) < 0 ? -ENOENT : -EACCES;
}

static int sim_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	(void)tv;
	(void)fi;
	return lookup(path) < 0 ? -ENOENT : -EACCES;
}

static void *sim_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	cfg->use_ino = 1;
	return state();
}

static const struct fuse_operations ops = {
	.init = sim_init,
	.getattr = sim_getattr,
	.readdir = sim_readdir,
	.open = sim_open,
	.read = sim_read,
	.write = sim_write,
	.truncate = sim_truncate,
	.chmod = sim_chmod,
	.chown = sim_chown,
	.utimens = sim_utimens,
};

int sim_fs_serve(struct sim_state *s, const char *mountpoint)
{
	char *argv[] = { "dstack-tee-simulator", "-o",
			 "fsname=dstack-tee-simulator-tdx,default_permissions,nosuid,nodev,noexec", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fuse *fuse = fuse_new(&args, &ops, sizeof(ops), s);
	int r = 0;

	if (!fuse)
		return ds_err(-EIO, "failed to set up FUSE");
	if (fuse_mount(fuse, mountpoint) != 0) {
		r = ds_err(-EIO, "failed to mount FUSE at %s", mountpoint);
		goto out;
	}
	if (fuse_set_signal_handlers(fuse_get_session(fuse)) != 0) {
		r = ds_err(-EIO, "failed to install signal handlers");
		goto unmount;
	}
	fprintf(stderr, "dstack-tee-simulator: ready at %s\n", mountpoint);
	if (fuse_loop(fuse) < 0)
		r = ds_err(-EIO, "the FUSE session failed");
	fuse_remove_signal_handlers(fuse_get_session(fuse));
unmount:
	fuse_unmount(fuse);
out:
	fuse_destroy(fuse);
	fuse_opt_free_args(&args);
	return r;
}
