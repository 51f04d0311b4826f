#include "docker/dataroot.h"
#include "util/err.h"
#include "util/file.h"
#include "util/dir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_FILE "config.v2.json"

/* One pass over containers/: where warnings go. */
struct scan {
	const struct ds_data_root *dr;
	const struct ds_compose_info *info;
	ds_warn_fn warn;
	void *warn_ctx;
	struct ds_orphan_list *out;
};

static void warn(const struct scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reports an entry that is skipped. */
static void warn(const struct scan *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->warn)
		s->warn(s->warn_ctx, msg);
}

/* Returns 0 or a negative errno, without recording an error. */
static int open_containers(const char *root, int *fd)
{
	struct stat st;
	int root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

	*fd = -1;
	if (root_fd < 0)
		return -errno;
	*fd = openat(root_fd, "containers", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	err = errno;
	/* A link fails as "not a directory"; say what it is. */
	if (*fd < 0 && err == ENOTDIR && fstatat(root_fd, "containers", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		err = ELOOP;
	close(root_fd);
	return *fd < 0 ? -err : 0;
}

int ds_data_root_open(const char *root, struct ds_data_root *dr)
{
	struct stat st;
	int r;

	dr->fd = -1;
	if ((size_t)snprintf(dr->path, sizeof(dr->path), "%s/containers", root) >= sizeof(dr->path))
		return ds_err(-ENAMETOOLONG, "Docker root path too long: %s", root);
	r = open_containers(root, &dr->fd);
	if (r == -ENOENT)
		return 0;
	if (r == 0 && fstat(dr->fd, &st) < 0)
		r = -errno;
	if (r) {
		ds_data_root_close(dr);
		ds_err(r, "%s%s", strerror(-r), r == -ELOOP ? " (symbolic links are not followed)" : "");
		return ds_err_ctx(r, "Failed to read containers directory: %s", dr->path);
	}
	dr->dev = st.st_dev;
	return 0;
}

void ds_data_root_close(struct ds_data_root *dr)
{
	if (dr->fd >= 0)
		close(dr->fd);
	dr->fd = -1;
}

int ds_container_config_labels(const void *data, size_t len, json_t **doc,
			       const json_t **labels)
{
	json_error_t jerr;
	json_t *config;
	int r = 0;

	*labels = NULL;
	/* Duplicate keys: the last one wins, as in dockerd's own decoder, so
	 * both judge the same labels. */
	*doc = json_loadb(data, len, 0, &jerr);
	if (!*doc)
		return ds_err(-EINVAL, "%s at line %d column %d", jerr.text, jerr.line, jerr.column);
	config = json_object_get(*doc, "Config");
	if (!json_is_object(*doc))
		r = ds_err(-EINVAL, "not a JSON object");
	else if (config && !json_is_null(config) && !json_is_object(config))
		r = ds_err(-EINVAL, "Config is not an object");
	else if (json_is_object(config))
		*labels = json_object_get(config, "Labels");
	if (r) {
		json_decref(*doc);
		*doc = NULL;
	}
	return r;
}

/* Reads containers/<id>/config.v2.json through the directory's descriptor.
 * False when the entry is to be skipped: no such file, or warned about. */
static bool read_config(const struct scan *s, int dir_fd, const char *path, struct ds_buf *text)
{
	struct stat st;
	int fd, r;

	/* O_NONBLOCK: a FIFO planted here must not hang the boot. */
	fd = openat(dir_fd, CONFIG_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			warn(s, "Failed to read %s: %s", path,
			     errno == ELOOP ? "a symbolic link (not followed)" : strerror(errno));
		return false;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		warn(s, "Failed to read %s: not a regular file", path);
		return false;
	}
	r = ds_read_fd(fd, DS_CONTAINER_CONFIG_MAX, text);
	close(fd);
	if (r)
		warn(s, "Failed to read %s: %s", path, ds_err_msg(0));
	return r == 0;
}

/* Judges the config of one container directory. */
static int judge(const struct scan *s, const char *id, int dir_fd, const struct stat *st)
{
	char path[PATH_MAX + 128];
	struct ds_buf text = { 0 };
	const json_t *labels;
	const char *service;
	json_t *doc = NULL;
	int r;

	snprintf(path, sizeof(path), "%s/%s/%s", s->dr->path, id, CONFIG_FILE);
	if (!read_config(s, dir_fd, path, &text))
		return 0;
	r = ds_container_config_labels(text.data, text.len, &doc, &labels);
	if (r == 0)
		r = ds_orphan_check(labels, s->info, &service);
	if (r) {
		warn(s, "Failed to parse %s: %s", path, ds_err_msg(0));
		r = 0;
	} else if (service) {
		r = ds_orphan_add(s->out, id, service, st->st_dev, st->st_ino);
	}
	json_decref(doc);
	ds_buf_free(&text);
	return r;
}

static int scan_entry(const struct scan *s, const char *name)
{
	const char *reason = NULL;
	struct stat st, opened;
	int fd, r;

	if (fstatat(s->dr->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ds_err(-errno, "failed to stat %s/%s: %s", s->dr->path, name, strerror(errno));
	if (S_ISLNK(st.st_mode))
		reason = "a symbolic link (not followed)";
	else if (S_ISDIR(st.st_mode) && !ds_container_id_valid(name))
		reason = "not a container id";
	else if (S_ISDIR(st.st_mode) && st.st_dev != s->dr->dev)
		reason = "a mount point";
	if (reason)
		warn(s, "skipping %s/%s: %s", s->dr->path, name, reason);
	if (reason || !S_ISDIR(st.st_mode))
		return 0;
	fd = openat(s->dr->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ds_err(-errno, "failed to open %s/%s: %s", s->dr->path, name, strerror(errno));
	if (fstat(fd, &opened) < 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev)
		r = ds_err(-ESTALE, "%s/%s changed while it was inspected", s->dr->path, name);
	else
		r = judge(s, name, fd, &st);
	close(fd);
	return r;
}

int ds_data_root_find_orphans(const struct ds_data_root *dr, const struct ds_compose_info *info,
			      ds_warn_fn warn_fn, void *warn_ctx, struct ds_orphan_list *out)
{
	struct scan s = { .dr = dr, .info = info, .warn = warn_fn, .warn_ctx = warn_ctx, .out = out };
	struct dirent *e;
	size_t entries = 0;
	DIR *d = NULL;
	int r;

	if (dr->fd < 0)
		return 0;
	r = ds_opendir_fd(dr->fd, &d);
	while (r == 0 && (r = ds_readdir(d, &e)) == 0 && e) {
		if (++entries > DS_CONTAINERS_MAX_ENTRIES)
			r = ds_err(-E2BIG, "%s holds more than %d entries", dr->path,
				   DS_CONTAINERS_MAX_ENTRIES);
		else
			r = scan_entry(&s, e->d_name);
	}
	if (d)
		closedir(d);
	return r ? ds_err_ctx(r, "Failed to read containers directory: %s", dr->path) : 0;
}

int ds_data_root_remove(const struct ds_data_root *dr, const struct ds_orphan *orphan)
{
	int r;

	if (dr->fd < 0 || !ds_container_id_valid(orphan->id))
		return ds_err(-EINVAL, "not a container directory: %s", orphan->id);
	r = ds_remove_tree_at(dr->fd, orphan->id, orphan->dev, orphan->ino);
	if (r)
		return ds_err_ctx(r, "Failed to remove container directory: %s/%s", dr->path,
				  orphan->id);
	return 0;
}

int ds_dockerd_running(pid_t *pid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	*pid = 0;
	if (!d)
		return ds_err(-errno, "failed to list /proc: %s", strerror(errno));
	while (!*pid && (e = readdir(d))) {
		char path[300];
		struct ds_buf comm = { 0 };

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (ds_read_file(path, 64, &comm)) {
			ds_err_clear();   /* the process has gone */
			continue;
		}
		if (comm.len == 8 && memcmp(comm.data, "dockerd\n", 8) == 0)
			*pid = (pid_t)atoi(e->d_name);
		ds_buf_free(&comm);
	}
	closedir(d);
	return 0;
}
