/* JSON text as upstream's serde_json writes it. jansson gives the same
 * layout (JSON_INDENT(2) or JSON_COMPACT, with JSON_PRESERVE_ORDER) except
 * for the hex case of \u escapes, which is lowercased here. */
#ifndef DS_UTIL_JSON_H
#define DS_UTIL_JSON_H

#include <jansson.h>

/* Pretty (2-space indent) or compact text of v, members in insertion order,
 * no trailing newline. */
enum ds_json_style { DS_JSON_PRETTY, DS_JSON_COMPACT };
int ds_json_dump(const json_t *v, enum ds_json_style style, char **out);

#endif
