#include "cli.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const struct cli_spec *spec, const char *fmt, ...)
{
	va_list ap;
	const char *usage_line = spec->usage;
	size_t n = strcspn(usage_line, "\n");

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\n%.*s\n\nFor more information, try '--help'.\n", (int)n, usage_line);
	return CLI_EXIT_USAGE;
}

static size_t count_opts(const struct cli_opt *opts)
{
	size_t n = 0;

	while (opts && opts[n].long_name)
		n++;
	return n;
}

int cli_parse(int argc, char **argv, const struct cli_spec *spec, char ***args, int *nargs)
{
	size_t nopts = count_opts(spec->opts);
	struct option longopts[nopts + 2];
	char shortopts[3 * nopts + 4];
	size_t s = 0;
	int c, idx;

	shortopts[s++] = '+';
	shortopts[s++] = ':';
	for (size_t i = 0; i < nopts; i++) {
		const struct cli_opt *o = &spec->opts[i];
		longopts[i] = (struct option){ o->long_name, o->value ? required_argument : no_argument,
					       NULL, 256 + (int)i };
		if (o->short_name) {
			shortopts[s++] = o->short_name;
			if (o->value)
				shortopts[s++] = ':';
		}
	}
	longopts[nopts] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[nopts + 1] = (struct option){ 0 };
	shortopts[s++] = 'h';
	shortopts[s] = '\0';

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		const struct cli_opt *o = NULL;

		if (c == 'h') {
			fputs(spec->usage, stdout);
			return CLI_EXIT_OK;
		}
		if (c == '?')
			return cli_usage_error(spec, "unexpected argument '%s' found", argv[optind - 1]);
		if (c == ':')
			return cli_usage_error(spec, "a value is required for '%s' but none was supplied",
					       argv[optind - 1]);
		if (c >= 256)
			o = &spec->opts[c - 256];
		for (size_t i = 0; !o && i < nopts; i++)
			if (spec->opts[i].short_name == c)
				o = &spec->opts[i];
		/* clap reads "-o=FILE" as FILE: drop the '=' of an attached value. */
		if (o->value && c < 256 && optarg != argv[optind - 1] && optarg[0] == '=')
			optarg++;
		if (o->value)
			*o->value = optarg;
		else
			*o->flag = 1;
	}
	*args = argv + optind;
	*nargs = argc - optind;
	if ((size_t)*nargs < spec->min_args)
		return cli_usage_error(spec, "missing required argument");
	if ((size_t)*nargs > spec->max_args)
		return cli_usage_error(spec, "unexpected argument '%s' found", argv[optind + spec->max_args]);
	return -1;
}

int cli_fail(void)
{
	fflush(stdout);
	ds_err_print(stderr);
	return CLI_EXIT_FAILURE;
}

int cli_fail_ctx(const char *fmt, ...)
{
	char msg[DS_ERR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ds_err_ctx(-EINVAL, "%s", msg);
	return cli_fail();
}

int cli_parse_size(const char *s, size_t max, size_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return ds_err(-EINVAL, "invalid number '%s'", s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return ds_err(-EINVAL, "invalid number '%s'", s);
	if (v > max)
		return ds_err(-ERANGE, "%s is larger than the limit of %zu", s, max);
	*out = (size_t)v;
	return 0;
}

int cli_write_stdout(const void *data, size_t len)
{
	if (len && fwrite(data, 1, len, stdout) != len)
		return ds_err(-EIO, "failed to write to stdout");
	if (fflush(stdout) != 0)
		return ds_err(-EIO, "failed to write to stdout: %s", strerror(errno));
	return 0;
}

int cli_parse_report_data(const char *hex, uint8_t out[64])
{
	struct ds_buf raw = { 0 };
	int r;

	memset(out, 0, 64);
	if (!hex)
		return 0;
	hex = ds_hex_strip_0x(hex);
	r = ds_hex_decode(hex, strlen(hex), &raw);
	if (r) {
		ds_err_ctx(r, "Invalid hex string");
		return ds_err_ctx(r, "Failed to decode report_data hex");
	}
	if (raw.len > 64)
		r = ds_err(-EINVAL, "report_data must be at most 64 bytes");
	else
		memcpy(out, raw.data, raw.len);
	ds_buf_free(&raw);
	return r;
}

int cli_check_app_id(const char *hex)
{
	struct ds_buf id = { 0 };
	int r;

	hex = ds_hex_strip_0x(hex);
	r = ds_hex_decode(hex, strlen(hex), &id);
	if (r) {
		ds_err_ctx(r, "Invalid hex string");
		return ds_err_ctx(r, "Invalid app_id hex string");
	}
	if (id.len != 20)
		r = ds_err(-EINVAL, "app_id must be exactly 20 bytes (40 hex characters)");
	ds_buf_free(&id);
	return r;
}

int cli_emit(const char *path, const void *data, size_t len)
{
	int r;

	if (path)
		return ds_write_file_atomic(path, data, len, DS_FILE_MODE_PUBLIC);
	r = cli_write_stdout(data, len);
	return r ? r : cli_write_stdout("\n", 1);
}
