#include "tdx/vsock.h"
#include "tdx/qgs.h"
#include "tdx/tdx.h"
#include "tdx/tdx_err.h"
#include "util/err.h"
#include "util/file.h"
#include "util/lines.h"
#include "util/num.h"

#include <errno.h>
#include <linux/vm_sockets.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* A QGS that accepted the connection but never answers must not hang the
 * caller forever (upstream has no limit); quote generation takes seconds. */
#define QGS_IO_TIMEOUT_SECONDS 60

static int line_port(const char *s, size_t len, uint32_t *port)
{
	int64_t v;

	ds_trim_space(&s, &len);
	if (len < 4 || memcmp(s, "port", 4) != 0)
		return 0;
	s += 4;
	len -= 4;
	ds_trim_space(&s, &len);
	if (len == 0 || *s != '=')
		return 0;
	s++;
	len--;
	ds_trim_space(&s, &len);
	if (ds_parse_int(s, len, 0, UINT32_MAX, &v)) {
		ds_err_clear();
		return 0;
	}
	*port = (uint32_t)v;
	return 1;
}

void ds_tdx_conf_parse_port(const char *text, size_t len, uint32_t *port)
{
	size_t pos = 0;

	*port = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		/* A line starting with '#' after trimming cannot start with "port". */
		if (line_port(text + pos, n, port))
			return;
		pos += n + 1;
	}
}

int ds_tdx_conf_port(uint32_t *port)
{
	struct ds_buf text = { 0 };
	const char *path;
	int r = ds_env_path(DS_TDX_ATTEST_CONF_ENV, &path);

	if (r)
		return r;
	if (!path)
		path = DS_TDX_ATTEST_CONF;
	r = ds_read_file(path, DS_TDX_ATTEST_CONF_MAX, &text);
	if (r == -ENOENT) {
		ds_err_clear();
		*port = 0;
		return 0;
	}
	if (r)
		return r;
	ds_tdx_conf_parse_port((const char *)text.data, text.len, port);
	ds_buf_free(&text);
	return 0;
}

static int connect_qgs(uint32_t port, int *fd)
{
	struct sockaddr_vm addr = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_HOST,
				    .svm_port = port };
	struct timeval tv = { .tv_sec = QGS_IO_TIMEOUT_SECONDS };
	int s = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return ds_tdx_err(DS_TDX_VSOCK, DS_OS_ERR_FMT, DS_OS_ERR(errno));
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(s);
		return ds_tdx_err(DS_TDX_VSOCK, DS_OS_ERR_FMT, DS_OS_ERR(e));
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	*fd = s;
	return 0;
}

/* Connects before asking for the TDREPORT (upstream asks first), so that a
 * guest whose conf names a port nobody listens on falls through to the next
 * transport without touching /dev/tdx_guest. */
int ds_tdx_vsock_quote(uint32_t port, const uint8_t report_data[64], struct ds_buf *quote,
		       int *connected)
{
	uint8_t report[DS_TDX_REPORT_LEN];
	int fd = -1, r;

	*connected = 0;
	r = connect_qgs(port, &fd);
	if (r)
		return r;
	*connected = 1;
	r = ds_tdx_get_report(report_data, report);
	r = r ?: ds_qgs_exchange(fd, report, quote);
	close(fd);
	return r;
}
