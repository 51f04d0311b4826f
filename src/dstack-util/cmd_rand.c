#include "cli.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#define RAND_MAX_BYTES (16u << 20)

static const char *bytes_arg, *output;
static int hex;

static const struct cli_opt opts[] = {
	{ 'n', "bytes", &bytes_arg, NULL },
	{ 'o', "output", &output, NULL },
	{ 'x', "hex", NULL, &hex },
	{ 0 },
};

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util rand [OPTIONS]\n\n"
		 "Generate random bytes from the kernel CSPRNG\n\n"
		 "Options:\n"
		 "  -n, --bytes <BYTES>    Number of bytes to generate [default: 20]\n"
		 "  -x, --hex              Print the bytes as lowercase hex\n"
		 "  -o, --output <OUTPUT>  Write to this file (mode 0600, replaced atomically)\n"
		 "                         instead of stdout\n"
		 "  -h, --help             Print help\n",
	.opts = opts,
};

static int fill_random(uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ds_err(-errno, "getrandom failed: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int cmd_rand(int argc, char **argv)
{
	struct ds_buf raw = { 0 }, text = { 0 };
	const struct ds_buf *content = &raw;
	size_t n = 20;
	char **args;
	int nargs, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (bytes_arg && cli_parse_size(bytes_arg, RAND_MAX_BYTES, &n))
		return cli_usage_error(&spec, "invalid value '%s' for '--bytes <BYTES>': %s",
				       bytes_arg, ds_err_msg(0));
	r = ds_buf_alloc(&raw, n);
	if (r)
		goto out;
	r = fill_random(raw.data, n);
	if (r)
		goto out;
	if (hex) {
		text.data = (uint8_t *)ds_hex_alloc(raw.data, n);
		if (!text.data) {
			r = ds_err(-ENOMEM, "out of memory");
			goto out;
		}
		text.len = 2 * n;
		content = &text;
	}
	if (output)
		r = ds_write_file_atomic(output, content->data, content->len, 0600);
	else
		r = cli_write_stdout(content->data, content->len);
out:
	ds_buf_wipe(&raw);
	ds_buf_wipe(&text);
	return r ? cli_fail_ctx("Failed to generate random bytes") : CLI_EXIT_OK;
}
