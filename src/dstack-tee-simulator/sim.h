/* dstack-tee-simulator: pieces shared by its files. The simulator plays the
 * TDX guest kernel for development VMs without TDX (spec
 * tdx-attestation.md 7.1). Its quotes are signed by a mock PKI derived from
 * a seed: they are NOT Intel-signed and production verifiers reject them. */
#ifndef DS_SIM_H
#define DS_SIM_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define SIM_SEED_LEN 32
#define SIM_DEFAULT_MOUNTPOINT "/sys/kernel/config/tsm/report"
#define SIM_ENTRY "com.intel.dcap"

/* .tee-simulator.json */
struct sim_config {
	uint8_t seed[SIM_SEED_LEN];
};
int sim_config_load(const char *path, struct sim_config *cfg);

/* RTMR0..3 from replaying a CCEL event log (the 3.6 primitive). */
int sim_ccel_replay(const uint8_t *ccel, size_t len, uint8_t rtmr[4][48]);

/* The mock Intel PKI: root CA, PCK CA, PCK, with keys derived from the seed. */
struct sim_pki {
	EVP_PKEY *pck_key;
	char *root_pem;
	char *chain_pem;        /* PCK, PCK CA, root */
	size_t chain_len;
};
int sim_pki_derive(const uint8_t seed[SIM_SEED_LEN], struct sim_pki *pki);
void sim_pki_free(struct sim_pki *pki);
/* Writes <runtime_dir>/attestation/{tdx-root-ca.pem,roots.json}. */
int sim_pki_publish(const struct sim_pki *pki, const char *runtime_dir);
/* Raw r||s ECDSA-P256-SHA256 signature. */
int sim_sign(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t sig[64]);

struct sim_measurements {
	uint8_t mrtd[48];
	uint8_t rtmr[4][48];
};
/* A DCAP v4 TDX quote over these measurements and report data. */
int sim_quote_build(const struct sim_pki *pki, const struct sim_measurements *m,
		    const uint8_t report_data[64], struct ds_buf *quote);

/* What the kernel would hold. */
struct sim_state {
	struct sim_pki pki;
	struct sim_measurements m;
	struct ds_buf ccel;
	struct ds_buf outblob;
	long long generation;
	char generation_text[24];
};
/* inblob write: exactly 64 bytes at offset 0, else -EINVAL. */
int sim_state_request_quote(struct sim_state *s, const uint8_t *data, size_t len, long long off);
/* rtmrN write: exactly 48 bytes at offset 0 to RTMR2/3, else -EINVAL. */
int sim_state_extend(struct sim_state *s, unsigned index, const uint8_t *data, size_t len,
		     long long off);

/* Safety checks and mountpoint preparation. */
int sim_refuse_unsafe(const char *mountpoint);
int sim_prepare_mountpoint(const char *mountpoint);
/* Mounts the tree, announces readiness, serves until SIGINT/SIGTERM,
 * unmounts. */
int sim_fs_serve(struct sim_state *s, const char *mountpoint);

#endif
