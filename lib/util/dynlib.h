/* Shared libraries loaded on first use, for the heavy ones only some
 * commands need (libcurl, libcryptsetup): linked, they and their dependency
 * trees cost every process start time and memory. Callers keep a table of
 * function pointers typed from the library's own header. */
#ifndef DS_UTIL_DYNLIB_H
#define DS_UTIL_DYNLIB_H

#include <stddef.h>

struct ds_dynsym {
	const char *name;
	void **slot;            /* (void **)&table.member */
};

/* dlopen()s soname and fills every slot; on failure returns NULL and sets
 * *error to a static description. The library stays loaded. */
void *ds_dynlib_open(const char *soname, const struct ds_dynsym *syms, size_t n,
		     const char **error);

#endif
