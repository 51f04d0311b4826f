#include "net/curl_lib.h"
#include "util/err.h"

#include <dlfcn.h>
#include <errno.h>
#include <openssl/opensslv.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define LIBCURL_SONAME "libcurl.so.4"

static struct ds_curl api;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *sym(void *lib, const char *name)
{
	void *p = dlsym(lib, name);

	if (!p && !load_error)
		load_error = name;
	return p;
}

/* The TLS peer check hands libcurl's SSL_CTX to this program's OpenSSL, so
 * both must be the same OpenSSL major version (one libssl.so.3 in the
 * process); a libcurl on another TLS library is refused. */
static int same_openssl(__typeof__(curl_version_info) *version_info)
{
	const curl_version_info_data *v = version_info(CURLVERSION_NOW);
	char want[32];

	snprintf(want, sizeof(want), "OpenSSL/%d.", OPENSSL_VERSION_MAJOR);
	return v && v->ssl_version && strncmp(v->ssl_version, want, strlen(want)) == 0;
}

static void load(void)
{
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_version_info) *version_info;
	void *lib = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		load_error = dlerror();
		return;
	}
	api.easy_init = sym(lib, "curl_easy_init");
	api.easy_setopt = sym(lib, "curl_easy_setopt");
	api.easy_perform = sym(lib, "curl_easy_perform");
	api.easy_getinfo = sym(lib, "curl_easy_getinfo");
	api.easy_strerror = sym(lib, "curl_easy_strerror");
	api.easy_cleanup = sym(lib, "curl_easy_cleanup");
	api.slist_append = sym(lib, "curl_slist_append");
	api.slist_free_all = sym(lib, "curl_slist_free_all");
	global_init = sym(lib, "curl_global_init");
	version_info = sym(lib, "curl_version_info");
	if (!load_error && !same_openssl(version_info))
		load_error = "it is not built on this program's OpenSSL";
	if (!load_error && global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		load_error = "curl_global_init failed";
}

const struct ds_curl *ds_curl(void)
{
	pthread_once(&once, load);
	if (load_error) {
		ds_err(-ENOSYS, "cannot load %s: %s", LIBCURL_SONAME, load_error);
		return NULL;
	}
	return &api;
}
