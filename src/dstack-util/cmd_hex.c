#include "cli.h"
#include "util/err.h"
#include "util/hex.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static const struct cli_spec spec = {
	.usage = "Usage: dstack-util hex [FILE]\n\n"
		 "Print the lowercase hex of FILE (or of stdin), without a newline\n\n"
		 "Arguments:\n  [FILE]  File to encode (default: stdin)\n\n"
		 "Options:\n  -h, --help  Print help\n",
	.max_args = 1,
};

/* Streams the input so that any size can be encoded in constant memory. */
static int encode_stream(int fd)
{
	uint8_t in[32768];
	char out[2 * sizeof(in) + 1];

	for (;;) {
		ssize_t n = read(fd, in, sizeof(in));
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ds_err(-errno, "read failed: %s", strerror(errno));
		if (n == 0)
			return 0;
		ds_hex_encode(in, (size_t)n, out);
		r = cli_write_stdout(out, 2 * (size_t)n);
		if (r)
			return r;
	}
}

int cmd_hex(int argc, char **argv)
{
	char **args;
	int nargs, fd = 0, r;

	r = cli_parse(argc, argv, &spec, &args, &nargs);
	if (r >= 0)
		return r;
	if (nargs == 1) {
		fd = open(args[0], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ds_err(-errno, "%s (os error %d)", strerror(errno), errno);
			return cli_fail_ctx("Failed to open %s", args[0]);
		}
	}
	r = encode_stream(fd);
	if (fd > 0)
		close(fd);
	return r ? cli_fail_ctx("Failed to encode hex") : CLI_EXIT_OK;
}
