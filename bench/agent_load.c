/* GetKey load on an agent with libdstack: C client threads, each making N
 * calls (one connection per call) for PATH. Prints calls/s, p50 and p99 in
 * microseconds, and the last key so the caller can check it. */
#define _POSIX_C_SOURCE 200809L
#include <dstack/dstack.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long per_thread;
static const char *path;
static double *lat_us;
static char last_key[65];

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void *worker(void *arg)
{
	long idx = (long)arg;
	struct dstack_key key = { 0 };
	dstack_client *client;

	if (dstack_client_new(NULL, &client))
		return (void *)1;
	for (long i = 0; i < per_thread; i++) {
		double t0 = now_us();

		dstack_key_free(&key);
		if (dstack_get_key(client, path, "", NULL, &key)) {
			fprintf(stderr, "%s\n", dstack_last_error());
			return (void *)1;
		}
		lat_us[idx * per_thread + i] = now_us() - t0;
	}
	if (idx == 0)
		for (int i = 0; i < 32; i++)
			snprintf(last_key + 2 * i, 3, "%02x", key.key[i]);
	dstack_key_free(&key);
	dstack_client_free(client);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long threads = argc == 4 ? atol(argv[1]) : 0, total;
	pthread_t tid[1024];
	double t0, elapsed;
	void *ret;
	int failed = 0;

	per_thread = argc == 4 ? atol(argv[2]) : 0;
	path = argc == 4 ? argv[3] : NULL;
	if (threads <= 0 || threads > 1024 || per_thread <= 0) {
		fprintf(stderr, "usage: agent_load THREADS CALLS_PER_THREAD PATH\n");
		return 2;
	}
	total = threads * per_thread;
	lat_us = calloc(total, sizeof(*lat_us));
	t0 = now_us();
	for (long i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker, (void *)i);
	for (long i = 0; i < threads; i++) {
		pthread_join(tid[i], &ret);
		failed |= ret != NULL;
	}
	elapsed = now_us() - t0;
	if (failed)
		return 1;
	qsort(lat_us, total, sizeof(*lat_us), cmp);
	printf("%.0f %.0f %.0f %s\n", total / (elapsed / 1e6), lat_us[total / 2],
	       lat_us[total * 99 / 100], last_key);
	free(lat_us);
	return 0;
}
