/* Benchmark driver for bench_crypto.sh, built by that script against the
 * libdstack of a build tree. One operation per process, so wall times are
 * comparable with one openssl command:
 *   ca-cert DIR      what gen-ca-cert does (CA key 0600 + cert)
 *   app-keys FILE    what gen-app-keys does (0600 app keys JSON)
 *   split DIR N      in-process means over N runs: making the CA certificate
 *                    and the app keys, and their durable (fsync'ed) writes
 *   env SIZE N       opens a SIZE-byte env envelope N times, then runs the
 *                    whole setup step once (decrypt, filter, both files);
 *                    prints MB/s
 * The attestation is the fixture attestation.bin with the report data
 * patched in (the upstream simulator's canned mode): this measures our
 * code, not a quote provider. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/appkeys.h"
#include "crypto/env_vars.h"
#include "crypto/envelope.h"
#include "crypto/ratls.h"
#include "util/err.h"
#include "util/file.h"

static struct ds_buf canned;

static int canned_attest(void *ctx, const uint8_t rd[64], struct ds_evidence *out)
{
	(void)ctx;
	if (ds_buf_set(&out->attestation, canned.data, canned.len))
		return -1;
	memcpy(out->attestation.data + 572, rd, 64);
	return 0;
}

static const struct ds_attester attester = { canned_attest, NULL };

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* An env JSON of about size bytes: 256-byte values, all allowed. */
static int env_payload(size_t size, struct ds_buf *out)
{
	char entry[512];
	int r = ds_buf_alloc(out, 0);

	r = r ? r : ds_buf_append(out, "{\"env\":[", 8, SIZE_MAX);
	for (int i = 0; r == 0 && out->len + sizeof(entry) < size; i++) {
		int n = snprintf(entry, sizeof(entry), "%s{\"key\":\"K%d\",\"value\":\"%0256d\"}",
				 i ? "," : "", i % 1000, i);
		r = ds_buf_append(out, entry, (size_t)n, SIZE_MAX);
	}
	return r ? r : ds_buf_append(out, "]}", 2, SIZE_MAX);
}

static int bench_env(size_t size, int iterations, const char *dir)
{
	char name_store[1000][8];
	const char *allowed_names[1000];
	struct ds_env_allowed allowed = { allowed_names, 1000 };
	uint8_t sk[32] = { 1 }, pk[32], eph[32] = { 2 }, iv[12] = { 3 };
	struct ds_buf plain = { 0 }, env = { 0 }, out;
	struct ds_env_map map;
	double t0, t1;
	int r;

	for (int i = 0; i < 1000; i++) {
		snprintf(name_store[i], sizeof(name_store[i]), "K%d", i);
		allowed_names[i] = name_store[i];
	}
	r = env_payload(size, &plain);
	r = r ? r : ds_x25519_public(sk, pk);
	r = r ? r : ds_env_encrypt(pk, eph, iv, plain.data, plain.len, &env);
	if (r)
		return r;
	t0 = now();
	for (int i = 0; r == 0 && i < iterations; i++) {
		r = ds_env_decrypt(sk, env.data, env.len, &out);
		ds_buf_wipe(&out);
	}
	t1 = now();
	if (r == 0)
		r = ds_env_unseal(sk, 32, env.data, env.len, &allowed, &map);
	if (r == 0) {
		double t2 = now();
		r = ds_env_write_files(dir, &map);
		printf("envelope %zu bytes: open %.3f ms, %.1f MB/s; unseal+filter+write %zu vars %.3f ms\n",
		       env.len, (t1 - t0) * 1e3 / iterations,
		       (double)env.len * iterations / (t1 - t0) / 1e6, map.len,
		       (now() - t2 + (t1 - t0) / iterations) * 1e3);
		ds_env_map_free(&map);
	}
	ds_buf_free(&plain);
	ds_buf_free(&env);
	return r;
}

/* Where the time of the two generators goes: computing vs writing. */
static int bench_split(const char *dir, int n)
{
	double gen_ca = 0, gen_keys = 0, write_ca = 0, write_keys = 0, t;
	char cert[4096], key[4096], keys_path[4096];
	int r = 0;

	snprintf(cert, sizeof(cert), "%s/ca.pem", dir);
	snprintf(key, sizeof(key), "%s/ca.key", dir);
	snprintf(keys_path, sizeof(keys_path), "%s/keys.json", dir);
	for (int i = 0; r == 0 && i < n; i++) {
		struct ds_cert_pair pair = { 0 };
		struct ds_app_keys keys;

		t = now();
		r = ds_ca_cert_generate(1, &attester, &pair);
		gen_ca += now() - t;
		t = now();
		r = r ? r : ds_cert_pair_save(&pair, cert, key);
		write_ca += now() - t;
		ds_cert_pair_free(&pair);
		t = now();
		r = r ? r : ds_app_keys_generate(1, &attester, &keys);
		gen_keys += now() - t;
		t = now();
		r = r ? r : ds_app_keys_save(keys_path, &keys);
		write_keys += now() - t;
		ds_app_keys_free(&keys);
	}
	printf("in-process means: CA cert make %.3f ms + write (2 files) %.3f ms; "
	       "app keys make %.3f ms + write %.3f ms\n",
	       gen_ca * 1e3 / n, write_ca * 1e3 / n, gen_keys * 1e3 / n, write_keys * 1e3 / n);
	return r;
}

int main(int argc, char **argv)
{
	struct ds_cert_pair pair = { 0 };
	struct ds_app_keys keys;
	char cert[4096], key[4096];
	int r = -1;

	if (argc < 3 || ds_read_file(getenv("DS_ATTESTATION"), 1 << 20, &canned))
		return 2;
	if (!strcmp(argv[1], "ca-cert")) {
		snprintf(cert, sizeof(cert), "%s/ca.pem", argv[2]);
		snprintf(key, sizeof(key), "%s/ca.key", argv[2]);
		r = ds_ca_cert_generate(1, &attester, &pair);
		r = r ? r : ds_cert_pair_save(&pair, cert, key);
		ds_cert_pair_free(&pair);
	} else if (!strcmp(argv[1], "app-keys")) {
		r = ds_app_keys_generate(1, &attester, &keys);
		r = r ? r : ds_app_keys_save(argv[2], &keys);
		ds_app_keys_free(&keys);
	} else if (!strcmp(argv[1], "split") && argc == 4) {
		r = bench_split(argv[2], atoi(argv[3]));
	} else if (!strcmp(argv[1], "env") && argc == 5) {
		r = bench_env(strtoul(argv[2], NULL, 10), atoi(argv[3]), argv[4]);
	}
	if (r)
		ds_err_print(stderr);
	ds_buf_free(&canned);
	return r ? 1 : 0;
}
