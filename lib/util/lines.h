/* Line-oriented text logs: calls fn for every line that is not blank
 * (spaces, tabs, CR only), without its newline; an error from fn stops the
 * walk and gets the context "line N". */
#ifndef DS_UTIL_LINES_H
#define DS_UTIL_LINES_H

#include <stddef.h>
#include <stdint.h>

typedef int (*ds_line_fn)(const uint8_t *line, size_t len, void *ctx);
int ds_for_each_line(const uint8_t *data, size_t len, ds_line_fn fn, void *ctx);
/* Narrows [*s, *s + *len) to drop leading and trailing ASCII whitespace. */
void ds_trim_space(const char **s, size_t *len);

#endif
