/* The thin CLI layer: option parsing and error reporting shared by every
 * command. Commands parse arguments, call one library entry point and print. */
#ifndef DS_CLI_H
#define DS_CLI_H

#include <stddef.h>
#include <stdint.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE 2

/* One option: value options store their argument in *value, flags set
 * *flag to 1. A repeated value option keeps the last value. */
struct cli_opt {
	char short_name;        /* 0 when there is none */
	const char *long_name;
	const char **value;     /* non-NULL: the option takes a value */
	int *flag;              /* non-NULL: the option is a flag */
};

struct cli_spec {
	const char *usage;      /* full --help text, printed to stdout */
	const struct cli_opt *opts; /* ends with an entry whose long_name is NULL */
	size_t min_args, max_args;  /* positional arguments allowed */
};

/* Parses argv (argv[0] is the command name). Returns -1 when the command
 * should go on, with the positional arguments in *args and *nargs; otherwise the
 * exit status to return at once (0 after --help, 2 after a usage error). */
int cli_parse(int argc, char **argv, const struct cli_spec *spec, char ***args, int *nargs);
/* Reports a usage error clap-style on stderr; returns 2. */
int cli_usage_error(const struct cli_spec *spec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints the current error chain as "Error: ..." on stderr; returns 1. */
int cli_fail(void);
/* Adds an outer context message to the error chain, then cli_fail(). */
int cli_fail_ctx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a non-negative decimal size no larger than max. */
int cli_parse_size(const char *s, size_t max, size_t *out);
/* --report-data of attest and quote-report: hex (leading 0x stripped), at
 * most 64 bytes, right-padded with zeros; NULL gives 64 zero bytes. */
int cli_parse_report_data(const char *hex, uint8_t out[64]);
/* --app-id of attest and get-keys: hex (leading 0x stripped) of exactly 20
 * bytes, with upstream's messages. It only shapes Nitro Enclave evidence, so
 * on TDX it is checked and has no further effect, as upstream. */
int cli_check_app_id(const char *hex);
/* Writes data to path atomically (0666 less the umask), or to stdout when path is
 * NULL, with a newline after it on stdout only. */
int cli_emit(const char *path, const void *data, size_t len);
/* Writes bytes to stdout and flushes; a failed write is an error. */
int cli_write_stdout(const void *data, size_t len);

#define CMD(name, func, help) int func(int argc, char **argv);
#include "commands.def"
#undef CMD

#endif
