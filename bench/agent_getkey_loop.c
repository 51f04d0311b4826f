/* N GetKey round trips with libdstack, one client, one connection per call
 * (as every call makes). Prints the elapsed nanoseconds and the last key. */
#define _POSIX_C_SOURCE 200809L
#include <dstack/dstack.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct dstack_key key = { 0 };
	struct timespec t0, t1;
	dstack_client *client;
	long n = argc == 3 ? atol(argv[1]) : 0;

	if (n <= 0 || dstack_client_new(NULL, &client)) {
		fprintf(stderr, "usage: agent_getkey_loop N PATH (agent from DSTACK_SIMULATOR_ENDPOINT): %s\n",
			dstack_last_error());
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		dstack_key_free(&key);
		if (dstack_get_key(client, argv[2], "", NULL, &key)) {
			fprintf(stderr, "%s\n", dstack_last_error());
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld ", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	for (size_t i = 0; i < sizeof(key.key); i++)
		printf("%02x", key.key[i]);
	printf("\n");
	dstack_key_free(&key);
	dstack_client_free(client);
	return 0;
}
