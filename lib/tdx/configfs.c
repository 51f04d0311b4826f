#include "tdx/abi.h"
#include "tdx/configfs.h"
#include "tdx/tdx.h"
#include "tdx/tdx_err.h"
#include "util/err.h"
#include "util/file.h"
#include "util/num.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROVIDER_MAX 4096
#define GENERATION_MAX 64
#define RETRIES 3
#define BUSY_RETRY_SECONDS 10
#define GENERATION_TIMEOUT_MS 5000
#define GENERATION_POLL_MS 10

int ds_tdx_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void join(char out[PATH_MAX], const char *dir, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

static const char *trim_left(const uint8_t *p, size_t *len)
{
	while (*len && isspace(*p)) {
		p++;
		(*len)--;
	}
	return (const char *)p;
}

/* *yes = whether <entry>/provider names the TDX guest driver. */
static int provider_is_tdx(const char *entry, int *yes)
{
	char path[PATH_MAX];
	struct ds_buf text = { 0 };
	const char *s;
	size_t len;
	int r;

	join(path, entry, "provider");
	r = ds_read_file(path, PROVIDER_MAX, &text);
	if (r)
		return ds_tdx_err(DS_TDX_UNEXPECTED, "read %s: " DS_OS_ERR_FMT, path, DS_OS_ERR(-r));
	len = text.len;
	s = trim_left(text.data, &len);
	*yes = len >= 9 && memcmp(s, "tdx_guest", 9) == 0;
	ds_buf_free(&text);
	return 0;
}

int ds_tdx_configfs_check(const char *entry)
{
	int yes = 0, r;

	if (strlen(entry) < DS_TDX_OVERRIDE_PATH_MAX && ds_tdx_is_dir(entry)) {
		r = provider_is_tdx(entry, &yes);
		if (r)
			return r;
	}
	if (!yes)
		return ds_tdx_err(DS_TDX_NOT_SUPPORTED, "invalid configfs path from env: %s", entry);
	return 0;
}

static pthread_mutex_t mkdir_lock = PTHREAD_MUTEX_INITIALIZER;
static int mkdir_tried;

int ds_tdx_configfs_prepare_default(void)
{
	char provider[PATH_MAX];
	int yes = 0, tried, r;

	if (ds_tdx_is_dir(DS_TDX_CONFIGFS_DEFAULT)) {
		r = provider_is_tdx(DS_TDX_CONFIGFS_DEFAULT, &yes);
		if (r || yes)
			return r;
	}
	pthread_mutex_lock(&mkdir_lock);
	tried = mkdir_tried;
	mkdir_tried = 1;
	pthread_mutex_unlock(&mkdir_lock);
	if (tried)
		return ds_tdx_err(DS_TDX_NOT_SUPPORTED, "configfs already tried");
	if (!ds_tdx_is_dir(DS_TDX_CONFIGFS_BASE))
		return ds_tdx_err(DS_TDX_NOT_SUPPORTED, "configfs base not found: " DS_TDX_CONFIGFS_BASE);
	join(provider, DS_TDX_CONFIGFS_DEFAULT, "provider");
	/* The kernel populates a new entry asynchronously: look a few times. */
	if (mkdir(DS_TDX_CONFIGFS_DEFAULT, 0770) == 0 || ds_tdx_is_dir(DS_TDX_CONFIGFS_DEFAULT)) {
		for (unsigned i = 0; i < 5; i++) {
			if (access(provider, F_OK) == 0) {
				r = provider_is_tdx(DS_TDX_CONFIGFS_DEFAULT, &yes);
				if (r || yes)
					return r;
				break;
			}
			usleep(i);
		}
	}
	return ds_tdx_err(DS_TDX_NOT_SUPPORTED, "failed to prepare configfs: " DS_TDX_CONFIGFS_DEFAULT);
}

static int read_generation(const char *path, int64_t *gen)
{
	struct ds_buf text = { 0 };
	const char *s;
	size_t len;
	int r = ds_read_file(path, GENERATION_MAX, &text);

	if (r)
		return ds_tdx_err(DS_TDX_UNEXPECTED, "read %s: " DS_OS_ERR_FMT, path, DS_OS_ERR(-r));
	len = text.len;
	s = trim_left(text.data, &len);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	r = ds_parse_int(s, len, INT64_MIN, INT64_MAX, gen);
	ds_buf_free(&text);
	return r ? ds_tdx_err(DS_TDX_UNEXPECTED, "parse generation: %s", ds_err_msg(0)) : 0;
}

/* The driver answers EBUSY while another quote is in flight: wait, retry. */
static int write_inblob(const char *path, const uint8_t report_data[64])
{
	int last = 0;

	for (int attempt = 0; attempt < RETRIES; attempt++) {
		ssize_t n;
		int fd = open(path, O_WRONLY | O_CLOEXEC);

		if (fd < 0) {
			last = errno;
			continue;
		}
		do
			n = write(fd, report_data, 64);
		while (n < 0 && errno == EINTR);
		last = errno;
		close(fd);
		if (n == 64)
			return 0;
		if (n >= 0)
			return ds_tdx_err(DS_TDX_UNEXPECTED, "write %s: failed to write whole buffer", path);
		if (last != EBUSY)
			break;
		if (attempt + 1 < RETRIES)
			sleep(BUSY_RETRY_SECONDS);
	}
	if (last == EBUSY)
		return ds_tdx_err(DS_TDX_BUSY, NULL);
	return ds_tdx_err(DS_TDX_UNEXPECTED, "write %s: " DS_OS_ERR_FMT, path, DS_OS_ERR(last));
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_generation(const char *path, int64_t old, int64_t *gen)
{
	int64_t deadline = now_ms() + GENERATION_TIMEOUT_MS;

	for (;;) {
		int r = read_generation(path, gen);

		if (r || *gen != old)
			return r;
		if (now_ms() >= deadline)
			return ds_tdx_err(DS_TDX_QUOTE, "timed out waiting for configfs generation to advance");
		usleep(GENERATION_POLL_MS * 1000);
	}
}

/* One read() of at most DS_TDX_OUTBLOB_MAX bytes, as upstream does. */
static int read_outblob(const char *path, struct ds_buf *quote)
{
	int last = 0, r;

	r = ds_buf_alloc(quote, DS_TDX_OUTBLOB_MAX);
	if (r)
		return r;
	for (int attempt = 0; attempt < RETRIES; attempt++) {
		ssize_t n;
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			last = errno;
			continue;
		}
		n = read(fd, quote->data, DS_TDX_OUTBLOB_MAX);
		last = errno;
		close(fd);
		if (n > 0) {
			quote->len = (size_t)n;
			return 0;
		}
		if (n == 0) {
			r = ds_tdx_err(DS_TDX_QUOTE, "empty outblob");
			goto fail;
		}
		if (last != EBUSY && last != EINTR && last != ETIMEDOUT)
			break;
		if (attempt + 1 < RETRIES)
			sleep(BUSY_RETRY_SECONDS);
	}
	if (last == EBUSY)
		r = ds_tdx_err(DS_TDX_BUSY, NULL);
	else
		r = ds_tdx_err(DS_TDX_QUOTE, "read %s: " DS_OS_ERR_FMT, path, DS_OS_ERR(last));
fail:
	ds_buf_free(quote);
	return r;
}

/* The flock on inblob serialises the processes sharing the entry; the
 * generation checks detect a writer that did not take it. */
int ds_tdx_configfs_quote(const char *entry, const uint8_t report_data[64], struct ds_buf *quote)
{
	char inblob[PATH_MAX], outblob[PATH_MAX], generation[PATH_MAX];
	struct ds_buf q = { 0 };
	int64_t gen1, gen2, gen3;
	int lock, r;

	join(inblob, entry, "inblob");
	join(outblob, entry, "outblob");
	join(generation, entry, "generation");
	lock = open(inblob, O_WRONLY | O_CLOEXEC);
	if (lock < 0)
		return ds_tdx_err(DS_TDX_UNEXPECTED, "open %s: " DS_OS_ERR_FMT, inblob, DS_OS_ERR(errno));
	if (flock(lock, LOCK_EX) != 0) {
		r = ds_tdx_err(DS_TDX_UNEXPECTED, "flock %s: " DS_OS_ERR_FMT, inblob, DS_OS_ERR(errno));
		goto out;
	}
	r = read_generation(generation, &gen1);
	r = r ?: write_inblob(inblob, report_data);
	r = r ?: wait_generation(generation, gen1, &gen2);
	if (r == 0 && (gen1 == INT64_MAX || gen2 != gen1 + 1))
		r = ds_tdx_err(DS_TDX_BUSY, NULL);
	r = r ?: read_outblob(outblob, &q);
	r = r ?: read_generation(generation, &gen3);
	if (r == 0 && gen3 != gen2)
		r = ds_tdx_err(DS_TDX_BUSY, NULL);
	if (r == 0 && (q.len <= DS_TDX_QUOTE_MIN || q.len >= DS_TDX_OUTBLOB_MAX))
		r = ds_tdx_err(DS_TDX_QUOTE, "invalid quote size: %zu", q.len);
	if (r == 0) {
		*quote = q;
		q = (struct ds_buf){ 0 };
	}
out:
	ds_buf_free(&q);
	close(lock);
	return r;
}

static int provider_ok(const char *entry)
{
	int yes = 0;

	if (provider_is_tdx(entry, &yes))
		ds_err_clear();
	return yes;
}

/* Any directory under the base whose provider is the TDX driver. */
static int any_tdx_entry(void)
{
	DIR *d = opendir(DS_TDX_CONFIGFS_BASE);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char entry[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		join(entry, DS_TDX_CONFIGFS_BASE, de->d_name);
		found = provider_ok(entry);
	}
	closedir(d);
	return found;
}

int ds_tdx_available(void)
{
	const char *env;

	if (access(DS_TDX_GUEST_DEVICE, F_OK) == 0)
		return 1;
	if (ds_env_path(DS_TDX_CONFIGFS_ENV, &env)) {
		ds_err_clear();
		return 0;
	}
	if (env)
		return provider_ok(env);
	return provider_ok(DS_TDX_CONFIGFS_DEFAULT) || any_tdx_entry();
}
