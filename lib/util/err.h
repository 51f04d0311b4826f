/* Error chains in the style of anyhow: a failure records an innermost
 * message, and each caller on the way out may add an outer context. Every
 * function returns 0 or a negative errno; the messages live per thread. */
#ifndef DS_UTIL_ERR_H
#define DS_UTIL_ERR_H

#include <stdio.h>

#define DS_ERR_MAX_DEPTH 10
#define DS_ERR_MSG_LEN 512

/* Starts a new chain with one message; returns code (a negative errno). */
int ds_err(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds an outer message to the current chain; returns code. */
int ds_err_ctx(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Forgets the current chain (after a failure that was handled). */
void ds_err_clear(void);
/* Number of messages in the chain, and message i (0 = outermost). */
int ds_err_depth(void);
const char *ds_err_msg(int i);
/* The chain on one line, "outer: middle: inner" (anyhow's "{:#}"), for
 * log lines and boot.error notifications; truncated to fit size. */
void ds_err_format(char *out, size_t size);
/* Prints "Error: outer" and a "Caused by:" list, as anyhow does. */
void ds_err_print(FILE *out);

#endif
