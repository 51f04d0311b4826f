/* os-release(5) as upstream reads it for requirements.os_version: the first
 * KEY=value line (after trimming, '#' lines skipped) of the first file that
 * exists; "..." honours backslash escapes, '...' is literal. */
#ifndef DS_SETUP_OS_RELEASE_H
#define DS_SETUP_OS_RELEASE_H

#include <stddef.h>

#define DS_OS_RELEASE_MAX (64u << 10)

/* The value of key in content (len bytes, valid UTF-8 without NUL bytes,
 * else an error); *out is NULL when no line sets it. */
int ds_os_release_value(const char *content, size_t len, const char *key, char **out);
/* VERSION_ID from the first of paths (NULL-terminated) that has it; a
 * missing file is skipped, any other read error aborts. */
int ds_os_release_version_id(const char *const *paths, char **out);

#endif
