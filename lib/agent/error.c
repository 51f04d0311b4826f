/* The public face of the error chain (util/err.h): one line of text. */
#include <dstack/dstack.h>

#include "util/err.h"

#include <stdio.h>
#include <string.h>

const char *dstack_last_error(void)
{
	static _Thread_local char text[DS_ERR_MAX_DEPTH * (DS_ERR_MSG_LEN + 2)];
	size_t used = 0;

	text[0] = '\0';
	for (int i = 0; i < ds_err_depth(); i++) {
		int n = snprintf(text + used, sizeof(text) - used, "%s%s", i ? ": " : "", ds_err_msg(i));

		if (n < 0 || (size_t)n >= sizeof(text) - used)
			break;
		used += (size_t)n;
	}
	return text;
}
