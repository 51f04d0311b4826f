/* libcurl, loaded on first use. With its ~30 dependencies it costs about
 * 2 ms at every process start (measured: a trivial program linked with
 * them starts in 4.5 ms, 1.3 ms without libcurl and libcryptsetup), while
 * most dstack-util commands never make a request. The table keeps the real
 * prototypes, so every call is still type-checked. */
#ifndef DS_NET_CURL_LIB_H
#define DS_NET_CURL_LIB_H

#include <curl/curl.h>

struct ds_curl {
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
};

/* Loads libcurl and runs curl_global_init once per process; NULL (with an
 * error message) when libcurl cannot be loaded. */
const struct ds_curl *ds_curl(void);

#endif
