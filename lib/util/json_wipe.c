#include "util/json_wipe.h"

#include <jansson.h>
#include <malloc.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdlib.h>

static void wiping_free(void *p)
{
	if (p)
		OPENSSL_cleanse(p, malloc_usable_size(p));
	free(p);
}

static void install(void)
{
	json_set_alloc_funcs(malloc, wiping_free);
}

void ds_json_wipe_on_free(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, install);
}
