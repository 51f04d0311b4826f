#include "net/curl_lib.h"
#include "util/dynlib.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/opensslv.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define LIBCURL_SONAME "libcurl.so.4"

static struct ds_curl api;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

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
	const struct ds_dynsym syms[] = {
		{ "curl_easy_init", (void **)&api.easy_init },
		{ "curl_easy_setopt", (void **)&api.easy_setopt },
		{ "curl_easy_perform", (void **)&api.easy_perform },
		{ "curl_easy_getinfo", (void **)&api.easy_getinfo },
		{ "curl_easy_strerror", (void **)&api.easy_strerror },
		{ "curl_easy_cleanup", (void **)&api.easy_cleanup },
		{ "curl_slist_append", (void **)&api.slist_append },
		{ "curl_slist_free_all", (void **)&api.slist_free_all },
		{ "curl_global_init", (void **)&global_init },
		{ "curl_version_info", (void **)&version_info },
	};

	if (!ds_dynlib_open(LIBCURL_SONAME, syms, sizeof(syms) / sizeof(syms[0]), &load_error))
		return;
	if (!same_openssl(version_info))
		load_error = "it is not built on this program's OpenSSL";
	else if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
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
