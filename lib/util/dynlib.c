#include "util/dynlib.h"

#include <dlfcn.h>

void *ds_dynlib_open(const char *soname, const struct ds_dynsym *syms, size_t n,
		     const char **error)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		*error = dlerror();
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		*syms[i].slot = dlsym(lib, syms[i].name);
		if (!*syms[i].slot) {
			*error = syms[i].name;
			return NULL;
		}
	}
	return lib;
}
