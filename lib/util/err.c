#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* Messages are stored innermost first, so adding context is an append. */
static _Thread_local char chain[DS_ERR_MAX_DEPTH][DS_ERR_MSG_LEN];
static _Thread_local int depth;

static void push(const char *fmt, va_list ap)
{
	if (depth == DS_ERR_MAX_DEPTH) {
		/* Keep the innermost cause and the newest context. */
		memmove(chain[1], chain[2], sizeof(chain[0]) * (DS_ERR_MAX_DEPTH - 2));
		depth--;
	}
	vsnprintf(chain[depth], DS_ERR_MSG_LEN, fmt, ap);
	depth++;
}

int ds_err(int code, const char *fmt, ...)
{
	va_list ap;

	depth = 0;
	va_start(ap, fmt);
	push(fmt, ap);
	va_end(ap);
	return code < 0 ? code : -EINVAL;
}

int ds_err_ctx(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push(fmt, ap);
	va_end(ap);
	return code < 0 ? code : -EINVAL;
}

void ds_err_clear(void)
{
	depth = 0;
}

int ds_err_depth(void)
{
	return depth;
}

const char *ds_err_msg(int i)
{
	if (i < 0 || i >= depth)
		return "";
	return chain[depth - 1 - i];
}

void ds_err_format(char *out, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < depth && used < size; i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? ": " : "", ds_err_msg(i));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

void ds_err_print(FILE *out)
{
	if (depth == 0) {
		fputs("Error: unknown error\n", out);
		return;
	}
	fprintf(out, "Error: %s\n", ds_err_msg(0));
	if (depth == 1)
		return;
	fputs("\nCaused by:\n", out);
	if (depth == 2) {
		fprintf(out, "    %s\n", ds_err_msg(1));
		return;
	}
	for (int i = 1; i < depth; i++)
		fprintf(out, "%5d: %s\n", i - 1, ds_err_msg(i));
}
