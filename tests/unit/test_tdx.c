/* The TDX backend without TDX hardware: tdx-attest.conf parsing, the QGS
 * message codec (every HEAD validation rule), the framed exchange over a
 * socketpair, the TDVMCALL buffer, configfs path validation and the
 * configfs-tsm protocol against a fake kernel thread, RTMR extension through
 * a fake sysfs directory of plain files, and transport selection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tdx/configfs.h"
#include "tdx/qgs.h"
#include "tdx/tdx.h"
#include "tdx/vsock.h"
#include "util/err.h"
#include "util/file.h"
#include "helpers.h"

static char tmpdir[64];

static void path_in_tmp(char out[256], const char *name)
{
	snprintf(out, 256, "%s/%s", tmpdir, name);
}

static int setup(void **state)
{
	(void)state;
	tmpdir_create(tmpdir, "tdx-unit");
	unsetenv(DS_TDX_CONFIGFS_ENV);
	unsetenv(DS_TDX_RTMR_SYSFS_ENV);
	unsetenv(DS_TDX_ATTEST_CONF_ENV);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(tmpdir);
}

/* ---- tdx-attest.conf ---- */

static uint32_t port_of(const char *text)
{
	uint32_t port = 12345;

	ds_tdx_conf_parse_port(text, strlen(text), &port);
	return port;
}

static void test_conf_port(void **state)
{
	(void)state;
	assert_int_equal(port_of("port=4050\n"), 4050);
	assert_int_equal(port_of("port=4050"), 4050);
	assert_int_equal(port_of("  port  =  77  \r\n"), 77);
	assert_int_equal(port_of("\tport=+8\n"), 8);
	assert_int_equal(port_of("# port=1\nport=2\n"), 2);
	assert_int_equal(port_of("   # port=1\n"), 0);
	assert_int_equal(port_of("port=abc\nport=9\n"), 9);      /* first line that parses */
	assert_int_equal(port_of("port=1\nport=2\n"), 1);
	assert_int_equal(port_of("port 4050\n"), 0);               /* '=' required */
	assert_int_equal(port_of("port=\n"), 0);
	assert_int_equal(port_of("port=-1\n"), 0);
	assert_int_equal(port_of("port=4294967295\n"), 4294967295u);
	assert_int_equal(port_of("port=4294967296\n"), 0);         /* not a u32 */
	assert_int_equal(port_of("port=40 50\n"), 0);
	assert_int_equal(port_of("portal=5\n"), 0);
	assert_int_equal(port_of("xport=5\n"), 0);
	assert_int_equal(port_of("ports=5\n"), 0);
	assert_int_equal(port_of(""), 0);
	assert_int_equal(port_of("\n\n"), 0);
	/* Text is taken by length, not up to a NUL. */
	assert_int_equal(port_of("port=1\0garbage"), 1);
}

static void test_conf_file(void **state)
{
	char path[256], rel[] = "relative/conf";
	uint32_t port = 99;

	(void)state;
	path_in_tmp(path, "missing.conf");
	setenv(DS_TDX_ATTEST_CONF_ENV, path, 1);
	assert_int_equal(ds_tdx_conf_port(&port), 0);
	assert_int_equal(port, 0);
	path_in_tmp(path, "tdx-attest.conf");
	write_text(path, "# shipped\nport=4050\n");
	setenv(DS_TDX_ATTEST_CONF_ENV, path, 1);
	assert_int_equal(ds_tdx_conf_port(&port), 0);
	assert_int_equal(port, 4050);
	setenv(DS_TDX_ATTEST_CONF_ENV, rel, 1);
	assert_fails_with(ds_tdx_conf_port(&port), "must be absolute");
	setenv(DS_TDX_ATTEST_CONF_ENV, "", 1);
	assert_fails_with(ds_tdx_conf_port(&port), "empty path override from DSTACK_TDX_ATTEST_CONF");
	unsetenv(DS_TDX_ATTEST_CONF_ENV);
}

/* ---- QGS messages ---- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_qgs_request(void **state)
{
	uint8_t report[1024], req[DS_QGS_REQ_LEN];
	static const uint8_t header[24] = { 1, 0, 0, 0,  0, 0, 0, 0,  0x18, 0x04, 0, 0,  0, 0, 0, 0,
					    0, 4, 0, 0,  0, 0, 0, 0 };

	(void)state;
	for (int i = 0; i < 1024; i++)
		report[i] = (uint8_t)i;
	ds_qgs_build_quote_request(report, req);
	assert_int_equal(DS_QGS_REQ_LEN, 1048);
	assert_memory_equal(req, header, 24);   /* v1.0, type 0, size 1048, no error, 1024, 0 */
	assert_memory_equal(req + 24, report, 1024);
}

/* A GET_QUOTE_RESP with the given fields; returns its length. */
static size_t make_resp(uint8_t *out, uint32_t type, uint32_t error_code, uint32_t id_size,
			uint32_t quote_size, size_t body_len)
{
	memset(out, 0, 24 + body_len);
	out[0] = 1;
	out[4] = (uint8_t)type;
	memcpy(out + 8, &(uint32_t){ (uint32_t)(24 + body_len) }, 4);
	memcpy(out + 12, &error_code, 4);
	memcpy(out + 16, &id_size, 4);
	memcpy(out + 20, &quote_size, 4);
	for (size_t i = 0; i < body_len; i++)
		out[24 + i] = (uint8_t)(i * 7);
	return 24 + body_len;
}

static void test_qgs_response(void **state)
{
	static uint8_t msg[DS_QGS_MSG_MAX + 16];
	struct ds_buf quote = { 0 };
	size_t len;

	(void)state;
	/* Valid, with a selected id before the quote and trailing bytes after. */
	len = make_resp(msg, 1, 0, 16, 1020, 16 + 1020 + 5);
	assert_int_equal(ds_qgs_parse_quote_response(msg, len, &quote), 0);
	assert_int_equal(quote.len, 1020);
	assert_memory_equal(quote.data, msg + 24 + 16, 1020);
	ds_buf_free(&quote);
	/* Major version and header size are not checked (HEAD). */
	msg[0] = 9;
	memset(msg + 8, 0xff, 4);
	assert_int_equal(ds_qgs_parse_quote_response(msg, len, &quote), 0);
	ds_buf_free(&quote);

	assert_fails_with(ds_qgs_parse_quote_response(msg, 23, &quote),
			  "quote failure: response too short: 23 bytes");
	assert_fails_with(ds_qgs_parse_quote_response(msg, 0, &quote), "response too short: 0 bytes");
	len = make_resp(msg, 1, 0, 0, 1020, DS_QGS_MSG_MAX - 24 + 1);
	assert_fails_with(ds_qgs_parse_quote_response(msg, len, &quote),
			  "quote failure: response too large: 16385");
	len = make_resp(msg, 0, 0, 0, 1020, 1020);
	assert_fails_with(ds_qgs_parse_quote_response(msg, len, &quote),
			  "quote failure: unexpected message type: 0");
	len = make_resp(msg, 1, 0x12001, 0, 0, 0);
	assert_fails_with(ds_qgs_parse_quote_response(msg, len, &quote),
			  "quote failure: QGS error code: 0x12001");
	len = make_resp(msg, 1, 0, 0, 2000, 1999);
	assert_fails_with(ds_qgs_parse_quote_response(msg, len, &quote),
			  "quote failure: response truncated: got 2023 bytes, expected 2024");
	/* Sizes near 2^32 must not wrap around. */
	len = make_resp(msg, 1, 0, 0xffffffffu, 0xffffffffu, 1100);
	assert_fails_with(ds_qgs_parse_quote_response(msg, len, &quote),
			  "response truncated: got 1124 bytes, expected 8589934614");
	len = make_resp(msg, 1, 0, 0, 1019, 1019);
	assert_fails_with(ds_qgs_parse_quote_response(msg, len, &quote),
			  "quote failure: quote too short: 1019 bytes");
	assert_null(quote.data);
}

static void test_qgs_frame_len(void **state)
{
	const uint8_t ok[4] = { 0, 0, 0x40, 0 }, big[4] = { 0, 0, 0x40, 1 };
	size_t len;

	(void)state;
	assert_int_equal(ds_qgs_frame_len(ok, &len), 0);
	assert_int_equal(len, 16384);
	assert_fails_with(ds_qgs_frame_len(big, &len), "quote failure: response too large: 16385");
}

/* A fake QGS on the other end of a socketpair: reads one framed request,
 * checks it, then sends the canned reply bytes and closes. */
struct fake_qgs {
	int fd;
	const uint8_t *reply;
	size_t reply_len;
	int request_ok;
};

static void *fake_qgs_run(void *arg)
{
	struct fake_qgs *q = arg;
	uint8_t req[4 + DS_QGS_REQ_LEN];

	q->request_ok = ds_read_exact(q->fd, req, sizeof(req)) == 0 && req[0] == 0 && req[1] == 0 &&
			req[2] == 0x04 && req[3] == 0x18 && le32(req + 4 + 4) == 0 &&
			req[4 + 24] == 0xab;
	if (q->reply_len)
		(void)!write(q->fd, q->reply, q->reply_len);
	close(q->fd);
	return NULL;
}

static int exchange_with(const uint8_t *reply, size_t reply_len, struct ds_buf *quote, int *request_ok)
{
	struct fake_qgs q = { .reply = reply, .reply_len = reply_len };
	uint8_t report[1024];
	pthread_t t;
	int sv[2], r;

	memset(report, 0xab, sizeof(report));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	q.fd = sv[1];
	pthread_create(&t, NULL, fake_qgs_run, &q);
	r = ds_qgs_exchange(sv[0], report, quote);
	close(sv[0]);
	pthread_join(t, NULL);
	*request_ok = q.request_ok;
	return r;
}

static void test_qgs_exchange(void **state)
{
	static uint8_t reply[4 + DS_QGS_MSG_MAX];
	struct ds_buf quote = { 0 };
	int request_ok;
	size_t len;

	(void)state;
	len = make_resp(reply + 4, 1, 0, 0, 1100, 1100);
	reply[0] = 0;
	reply[1] = 0;
	reply[2] = (uint8_t)(len >> 8);
	reply[3] = (uint8_t)len;
	assert_int_equal(exchange_with(reply, 4 + len, &quote, &request_ok), 0);
	assert_true(request_ok);
	assert_int_equal(quote.len, 1100);
	assert_memory_equal(quote.data, reply + 4 + 24, 1100);
	ds_buf_free(&quote);

	/* The peer closes early: a clear vsock failure, never a hang. */
	assert_fails_with(exchange_with(reply, 4 + len - 1, &quote, &request_ok),
			  "vsock failure: failed to fill whole buffer");
	assert_fails_with(exchange_with(reply, 2, &quote, &request_ok),
			  "vsock failure: failed to fill whole buffer");
	assert_fails_with(exchange_with(reply, 0, &quote, &request_ok),
			  "vsock failure: failed to fill whole buffer");
	/* The frame length is checked before anything is allocated. */
	reply[0] = 0x7f;
	assert_fails_with(exchange_with(reply, 4 + len, &quote, &request_ok),
			  "quote failure: response too large: 2130707556");
	reply[0] = 0;
	/* The framed message is still validated. */
	reply[4 + 4] = 7;
	assert_fails_with(exchange_with(reply, 4 + len, &quote, &request_ok),
			  "unexpected message type: 7");
}

static void test_tdvmcall_buffer(void **state)
{
	static uint8_t buf[DS_QGS_TDVMCALL_BUF_LEN];
	uint8_t report[1024];
	struct ds_buf quote = { 0 };
	size_t len;

	(void)state;
	memset(report, 0x5a, sizeof(report));
	ds_qgs_tdvmcall_build(report, buf);
	assert_int_equal(buf[0], 1);                        /* version */
	assert_int_equal(le32(buf + 8) | le32(buf + 12), 0); /* status */
	assert_int_equal(le32(buf + 16), 4 + 1048);         /* in_len */
	assert_int_equal(le32(buf + 20), 0);                /* out_len */
	assert_int_equal(buf[24 + 2], 0x04);                /* big-endian 1048 */
	assert_int_equal(buf[24 + 3], 0x18);
	assert_memory_equal(buf + 28 + 24, report, 1024);

	/* What the VMM writes back. */
	len = make_resp(buf + 28, 1, 0, 0, 1500, 1500);
	buf[26] = (uint8_t)(len >> 8);
	buf[27] = (uint8_t)len;
	memcpy(buf + 20, &(uint32_t){ (uint32_t)(len + 4) }, 4);
	assert_int_equal(ds_qgs_tdvmcall_parse(buf, &quote), 0);
	assert_int_equal(quote.len, 1500);
	ds_buf_free(&quote);

	buf[27]++;
	assert_fails_with(ds_qgs_tdvmcall_parse(buf, &quote), "does not match output length");
	buf[27]--;
	memcpy(buf + 20, &(uint32_t){ 4 }, 4);
	assert_fails_with(ds_qgs_tdvmcall_parse(buf, &quote), "unexpected error: GetQuote output length 4");
	memcpy(buf + 20, &(uint32_t){ DS_QGS_TDVMCALL_BUF_LEN }, 4);
	assert_fails_with(ds_qgs_tdvmcall_parse(buf, &quote), "out of range");
	memset(buf + 8, 0xff, 8);
	assert_fails_with(ds_qgs_tdvmcall_parse(buf, &quote), "device busy");
	memcpy(buf + 8, &(uint64_t){ 0x8000000000000001ull }, 8);
	assert_fails_with(ds_qgs_tdvmcall_parse(buf, &quote), "not supported: quote service unavailable");
	memcpy(buf + 8, &(uint64_t){ 2 }, 8);
	assert_fails_with(ds_qgs_tdvmcall_parse(buf, &quote), "unexpected error: GetQuote status 0x2");
}

/* ---- configfs ---- */

/* A report entry of plain files; provider is written as given. */
static void make_entry(const char *dir, const char *provider)
{
	char path[512];

	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/provider", dir);
	write_text(path, provider);
	snprintf(path, sizeof(path), "%s/inblob", dir);
	write_text(path, "");
	snprintf(path, sizeof(path), "%s/outblob", dir);
	write_text(path, "");
	snprintf(path, sizeof(path), "%s/generation", dir);
	write_text(path, "0\n");
}

static void test_configfs_check(void **state)
{
	char dir[256], sev[256], provider[300], longpath[300];

	(void)state;
	path_in_tmp(dir, "entry");
	make_entry(dir, "  tdx_guest_sim\n");
	assert_int_equal(ds_tdx_configfs_check(dir), 0);
	path_in_tmp(sev, "sev");
	make_entry(sev, "sev_guest\n");
	assert_fails_with(ds_tdx_configfs_check(sev), "not supported: invalid configfs path from env: ");
	path_in_tmp(provider, "entry/provider");
	assert_fails_with(ds_tdx_configfs_check(provider), "invalid configfs path from env");
	path_in_tmp(dir, "missing");
	assert_fails_with(ds_tdx_configfs_check(dir), "invalid configfs path from env");
	/* 240 bytes or more is refused even when it exists. */
	snprintf(longpath, sizeof(longpath), "%s/entry/%0*d/..", tmpdir, 239 - (int)strlen(tmpdir) - 9, 0);
	assert_true(strlen(longpath) >= 240);
	assert_fails_with(ds_tdx_configfs_check(longpath), "invalid configfs path from env");
	/* An unreadable provider is an unexpected error, not "unsupported". */
	path_in_tmp(dir, "noprovider");
	mkdir(dir, 0700);
	assert_fails_with(ds_tdx_configfs_check(dir), "unexpected error: read ");
	assert_true(strstr(err_chain(), "No such file or directory (os error 2)") != NULL);
}

/* The kernel's part, played by a thread over plain files: when 64 bytes
 * land in inblob it publishes outblob, then advances generation by step. */
struct fake_tsm {
	char dir[256];
	size_t outblob_len;
	int step;
	volatile int stop;
	uint8_t seen[64];
};

static void *fake_tsm_run(void *arg)
{
	struct fake_tsm *f = arg;
	char inblob[512], outblob[512], generation[512];
	uint8_t *quote = calloc(1, f->outblob_len + 1);
	struct stat st;

	snprintf(inblob, sizeof(inblob), "%s/inblob", f->dir);
	snprintf(outblob, sizeof(outblob), "%s/outblob", f->dir);
	snprintf(generation, sizeof(generation), "%s/generation", f->dir);
	while (!f->stop) {
		if (stat(inblob, &st) == 0 && st.st_size == 64) {
			int fd = open(inblob, O_RDONLY);
			char gen[16];

			assert_int_equal(ds_read_exact(fd, f->seen, 64), 0);
			close(fd);
			for (size_t i = 0; i < f->outblob_len; i++)
				quote[i] = (uint8_t)(f->seen[0] + i);
			assert_int_equal(ds_write_file_atomic(outblob, quote, f->outblob_len, 0600), 0);
			snprintf(gen, sizeof(gen), "%d\n", f->step);
			write_text(generation, gen);
			break;
		}
		usleep(1000);
	}
	free(quote);
	return NULL;
}

static int fake_quote(size_t outblob_len, int step, struct ds_buf *quote, uint8_t seen[64])
{
	struct fake_tsm f = { .outblob_len = outblob_len, .step = step };
	uint8_t rd[64];
	pthread_t t;
	int r;

	path_in_tmp(f.dir, "tsm");
	make_entry(f.dir, "tdx_guest\n");
	memset(rd, 0x42, sizeof(rd));
	pthread_create(&t, NULL, fake_tsm_run, &f);
	r = ds_tdx_configfs_quote(f.dir, rd, quote);
	f.stop = 1;
	pthread_join(t, NULL);
	memcpy(seen, f.seen, 64);
	return r;
}

static void test_configfs_protocol(void **state)
{
	struct ds_buf quote = { 0 };
	uint8_t seen[64], rd[64];

	(void)state;
	memset(rd, 0x42, sizeof(rd));
	assert_int_equal(fake_quote(1021, 1, &quote, seen), 0);
	assert_memory_equal(seen, rd, 64);
	assert_int_equal(quote.len, 1021);
	assert_int_equal(quote.data[0], 0x42);
	assert_int_equal(quote.data[1020], (uint8_t)(0x42 + 1020));
	ds_buf_free(&quote);
	assert_int_equal(fake_quote(8191, 1, &quote, seen), 0);
	ds_buf_free(&quote);

	/* Another writer bumped the generation too: busy. */
	assert_fails_with(fake_quote(2000, 2, &quote, seen), "device busy");
	assert_fails_with(fake_quote(1020, 1, &quote, seen), "quote failure: invalid quote size: 1020");
	/* A single read of 8192: a quote that may be cut is refused. */
	assert_fails_with(fake_quote(9000, 1, &quote, seen), "quote failure: invalid quote size: 8192");
	assert_fails_with(fake_quote(0, 1, &quote, seen), "quote failure: empty outblob");
	assert_null(quote.data);
}

static void test_configfs_errors(void **state)
{
	char dir[256], path[300];
	struct ds_buf quote = { 0 };
	uint8_t rd[64] = { 0 };

	(void)state;
	path_in_tmp(dir, "broken");
	make_entry(dir, "tdx_guest\n");
	snprintf(path, sizeof(path), "%s/generation", dir);
	write_text(path, "x1\n");
	assert_fails_with(ds_tdx_configfs_quote(dir, rd, &quote),
			  "unexpected error: parse generation: invalid digit found in string");
	write_text(path, "");
	assert_fails_with(ds_tdx_configfs_quote(dir, rd, &quote),
			  "parse generation: cannot parse integer from empty string");
	snprintf(path, sizeof(path), "%s/inblob", dir);
	unlink(path);
	assert_fails_with(ds_tdx_configfs_quote(dir, rd, &quote), "unexpected error: open ");
}

/* ---- RTMR extension ---- */

static void test_extend_sysfs(void **state)
{
	char dir[256], path[300], longdir[300];
	struct ds_buf content = { 0 };
	uint8_t digest[48];

	(void)state;
	memset(digest, 0x3c, sizeof(digest));
	path_in_tmp(dir, "measurements");
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/rtmr2:sha384", dir);
	write_text(path, "");
	setenv(DS_TDX_RTMR_SYSFS_ENV, dir, 1);
	assert_int_equal(ds_tdx_extend_rtmr(2, digest), 0);
	assert_int_equal(ds_read_file(path, 100, &content), 0);
	assert_int_equal(content.len, 48);
	assert_memory_equal(content.data, digest, 48);
	ds_buf_free(&content);

	assert_fails_with(ds_tdx_extend_rtmr(4, digest), "invalid RTMR index: 4");
	snprintf(path, sizeof(path), "%s/rtmr3:sha384", dir);
	assert_fails_with(ds_tdx_extend_rtmr(3, digest), "extend failure: open ");
	assert_true(strstr(err_chain(), "rtmr3:sha384: No such file or directory (os error 2)") != NULL);
	/* A write the "kernel" refuses. */
	assert_int_equal(symlink("/dev/full", path), 0);
	assert_fails_with(ds_tdx_extend_rtmr(3, digest),
			  "rtmr3:sha384: No space left on device (os error 28)");

	/* A set override is authoritative: never a fallback. */
	path_in_tmp(dir, "no-such-dir");
	setenv(DS_TDX_RTMR_SYSFS_ENV, dir, 1);
	assert_fails_with(ds_tdx_extend_rtmr(3, digest),
			  "not supported: invalid RTMR sysfs path from DCAP_TDX_RTMR_SYSFS_PATH: ");
	snprintf(longdir, sizeof(longdir), "%s/%0*d/..", tmpdir, 239 - (int)strlen(tmpdir), 0);
	setenv(DS_TDX_RTMR_SYSFS_ENV, longdir, 1);
	assert_fails_with(ds_tdx_extend_rtmr(3, digest), "invalid RTMR sysfs path");
	setenv(DS_TDX_RTMR_SYSFS_ENV, "", 1);
	assert_fails_with(ds_tdx_extend_rtmr(3, digest), "empty path override from DCAP_TDX_RTMR_SYSFS_PATH");
	setenv(DS_TDX_RTMR_SYSFS_ENV, "measurements", 1);
	assert_fails_with(ds_tdx_extend_rtmr(3, digest),
			  "path override from DCAP_TDX_RTMR_SYSFS_PATH must be absolute: measurements");
	unsetenv(DS_TDX_RTMR_SYSFS_ENV);
}

/* ---- transport selection ---- */

static int no_real_tdx(void)
{
	return access("/dev/tdx_guest", F_OK) != 0 && !ds_tdx_is_dir(DS_TDX_CONFIGFS_BASE) &&
	       !ds_tdx_is_dir("/sys/devices/virtual/misc/tdx_guest/measurements");
}

static void test_quote_selection(void **state)
{
	char dir[256], conf[256];
	struct ds_buf quote = { 0 };
	uint8_t rd[64] = { 0 }, digest[48] = { 0 };

	(void)state;
	/* An override is final: a bad one is an error, not a fallback. */
	path_in_tmp(dir, "no-such-entry");
	setenv(DS_TDX_CONFIGFS_ENV, dir, 1);
	assert_fails_with(ds_tdx_get_quote(rd, &quote), "not supported: invalid configfs path from env: ");
	assert_false(ds_tdx_available() && access("/dev/tdx_guest", F_OK) != 0);
	setenv(DS_TDX_CONFIGFS_ENV, "", 1);
	assert_fails_with(ds_tdx_get_quote(rd, &quote),
			  "empty path override from DCAP_TDX_QUOTE_CONFIGFS_PATH");
	setenv(DS_TDX_CONFIGFS_ENV, "rel/dir", 1);
	assert_fails_with(ds_tdx_get_quote(rd, &quote), "must be absolute: rel/dir");
	path_in_tmp(dir, "avail");
	make_entry(dir, "tdx_guest\n");
	setenv(DS_TDX_CONFIGFS_ENV, dir, 1);
	assert_true(ds_tdx_available());
	unsetenv(DS_TDX_CONFIGFS_ENV);

	if (!no_real_tdx()) {
		print_message("skipping the no-TEE checks: this machine has TDX interfaces\n");
		return;
	}
	assert_false(ds_tdx_available());
	path_in_tmp(conf, "none.conf");
	setenv(DS_TDX_ATTEST_CONF_ENV, conf, 1);
	assert_fails_with(ds_tdx_get_quote(rd, &quote),
			  "not supported: no quote method available (configfs not mounted, no vsock port configured)");
	/* A port nobody listens on falls through. */
	path_in_tmp(conf, "port.conf");
	write_text(conf, "port=1\n");
	setenv(DS_TDX_ATTEST_CONF_ENV, conf, 1);
	assert_fails_with(ds_tdx_get_quote(rd, &quote), "QGS on vsock port 1 unreachable");
	unsetenv(DS_TDX_ATTEST_CONF_ENV);
	assert_fails_with(ds_tdx_extend_rtmr(3, digest),
			  "not supported: no extend_rtmr method available (no sysfs measurements, no /dev/tdx_guest)");
	assert_fails_with(ds_tdx_get_report(rd, (uint8_t[1024]){ 0 }),
			  "device failure: open /dev/tdx_guest: No such file or directory (os error 2)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_port),
		cmocka_unit_test(test_conf_file),
		cmocka_unit_test(test_qgs_request),
		cmocka_unit_test(test_qgs_response),
		cmocka_unit_test(test_qgs_frame_len),
		cmocka_unit_test(test_qgs_exchange),
		cmocka_unit_test(test_tdvmcall_buffer),
		cmocka_unit_test(test_configfs_check),
		cmocka_unit_test(test_configfs_protocol),
		cmocka_unit_test(test_configfs_errors),
		cmocka_unit_test(test_extend_sysfs),
		cmocka_unit_test(test_quote_selection),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
