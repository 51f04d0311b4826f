/* libdstack: a fail-closed C client for the dstack guest agent's local API
 * (dstack.sock), and a key-expansion helper for the secrets it returns.
 *
 * Every function returns 0 on success or a negative errno; the reason is
 * then available as text from dstack_last_error(). On failure no result is
 * filled in: a call either returns a fully checked answer or nothing.
 *
 * A client handle may be used by one thread at a time; error messages are
 * kept per thread. Link with `pkg-config --cflags --libs dstack`. */
#ifndef DSTACK_DSTACK_H
#define DSTACK_DSTACK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DSTACK_KEY_LEN 32          /* GetKey secret, exactly */
#define DSTACK_REPORT_DATA_LEN 64  /* quote report data, right-padded with zeros */
#define DSTACK_SIGNATURE_LEN 65    /* recoverable secp256k1 signature r || s || v */
#define DSTACK_PUBKEY_LEN 33       /* compressed secp256k1 public key */
#define DSTACK_APP_ID_LEN 20
#define DSTACK_DEFAULT_TIMEOUT_MS 30000L

/* The message of the calling thread's last failure, outer context first and
 * causes joined with ": ". Valid until the thread's next call. */
const char *dstack_last_error(void);

/* ---- Client ------------------------------------------------------------ */

typedef struct dstack_client dstack_client;

/* Opens a client for endpoint, or, when endpoint is NULL, for
 * $DSTACK_SIMULATOR_ENDPOINT, or else the first existing of
 * /var/run/dstack.sock, /run/dstack.sock, /var/run/dstack/dstack.sock,
 * /run/dstack/dstack.sock (the SDKs' order). An endpoint starting with
 * http:// or https:// is a base URL; anything else is a Unix socket path,
 * which must exist. An empty endpoint or environment variable is an error,
 * never a reason to look elsewhere. No connection is made here. */
int dstack_client_new(const char *endpoint, dstack_client **out);
void dstack_client_free(dstack_client *client);
/* The endpoint the client talks to (socket path or base URL). */
const char *dstack_client_endpoint(const dstack_client *client);
/* Deadline for each whole request (connect, send, receive); default
 * DSTACK_DEFAULT_TIMEOUT_MS. */
int dstack_client_set_timeout(dstack_client *client, long timeout_ms);

/* A byte string owned by a result. */
struct dstack_bytes {
	uint8_t *data;
	size_t len;
};

/* ---- GetKey ------------------------------------------------------------ */

struct dstack_key {
	uint8_t key[DSTACK_KEY_LEN];   /* secret: never use it directly as a scalar,
					* expand it with dstack_key_expand() */
	struct dstack_bytes *signature_chain; /* [sig_app, sig_kms]; sig_kms may be empty */
	size_t signature_chain_len;
};

/* Derives the app's deterministic key for path (required; "" is a valid
 * path of its own). purpose (NULL = "") only enters the signature; algorithm is "secp256k1" (also "" or NULL, "k256") or
 * "ed25519". For any other algorithm the agent's Version is checked first,
 * because agents before 0.5.6 ignore the field and answer with a secp256k1
 * key. The answer must be exactly 32 bytes and not all zero. */
int dstack_get_key(dstack_client *client, const char *path, const char *purpose,
		   const char *algorithm, struct dstack_key *out);
/* Wipes the key and frees the chain. */
void dstack_key_free(struct dstack_key *key);

/* Checks the signature chain of a GetKey answer against a KMS root public
 * key the caller pins (never one taken from the same answer): sig_app must
 * sign "<purpose>:<hex public key>" with the app key, and sig_kms must sign
 * "dstack-kms-issued:" || app_id || app key with kms_root. On success the
 * app's root public key is written to app_pubkey_out (may be NULL). A
 * chain ending in another KMS key is -EKEYREJECTED; a malformed or missing
 * signature (keys not issued by a KMS have none) -EBADMSG or -EINVAL. */
int dstack_verify_key_chain(const struct dstack_key *key, const char *purpose,
			    const char *algorithm, const uint8_t app_id[DSTACK_APP_ID_LEN],
			    const uint8_t kms_root[DSTACK_PUBKEY_LEN],
			    uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN]);

/* ---- GetQuote ---------------------------------------------------------- */

struct dstack_quote {
	struct dstack_bytes quote;       /* raw TDX quote; empty on non-TDX platforms */
	char *event_log;                 /* JSON text of an array of events ("" if none) */
	uint8_t report_data[DSTACK_REPORT_DATA_LEN];
	char *vm_config;                 /* JSON text */
	struct dstack_bytes attestation; /* versioned attestation; often empty */
};

/* Asks for a quote over report_data (at most 64 bytes, right-padded with
 * zeros; the agent does not hash it). The answer's report data and the
 * report data of the quote's TD report must equal what was sent. */
int dstack_get_quote(dstack_client *client, const uint8_t *report_data, size_t len,
		     struct dstack_quote *out);
void dstack_quote_free(struct dstack_quote *quote);

/* ---- Attest ------------------------------------------------------------ */

struct dstack_attestation {
	struct dstack_bytes attestation;   /* dstack versioned attestation: SCALE
					    * (first byte 0x00) or MessagePack */
	uint8_t report_data[DSTACK_REPORT_DATA_LEN];
};

/* Asks for a versioned attestation over report_data (at most 64 bytes,
 * right-padded with zeros, not hashed) for a dstack verifier (agents >=
 * 0.5.6). It must decode as a TDX attestation whose report data, and that
 * of its quote's TD report, equal what was sent. */
int dstack_attest(dstack_client *client, const uint8_t *report_data, size_t len,
		  struct dstack_attestation *out);
void dstack_attestation_free(struct dstack_attestation *attestation);

/* ---- Info -------------------------------------------------------------- */

struct dstack_info {
	struct dstack_bytes app_id;        /* 20 bytes */
	struct dstack_bytes instance_id;   /* 20 bytes or empty */
	struct dstack_bytes device_id;
	struct dstack_bytes mr_aggregated;
	struct dstack_bytes os_image_hash; /* 32 bytes or empty */
	struct dstack_bytes compose_hash;  /* 32 bytes */
	char *app_cert;                    /* PEM, "" until the agent has one */
	char *tcb_info;                    /* JSON text */
	char *app_name;
	char *key_provider_info;           /* JSON text */
	char *vm_config;                   /* JSON text */
	char *cloud_vendor;                /* "" from agents before 0.5.7 */
	char *cloud_product;
};

int dstack_get_info(dstack_client *client, struct dstack_info *out);
void dstack_info_free(struct dstack_info *info);

/* ---- GetTlsKey --------------------------------------------------------- */

struct dstack_tls_key_options {
	const char *subject;               /* NULL = "" */
	const char *const *alt_names;
	size_t alt_names_len;
	int usage_ra_tls;
	int usage_server_auth;
	int usage_client_auth;
	/* Options of agents >= 0.5.7; setting any makes the client check the
	 * agent's Version first, as older agents silently ignore them. */
	int with_app_info;
	int has_not_before, has_not_after;
	uint64_t not_before, not_after;    /* seconds since the epoch */
};

struct dstack_tls_key {
	char *key_pem;                     /* PKCS#8 PEM, a fresh random key */
	char **certificate_chain;          /* PEM, leaf first */
	size_t certificate_chain_len;
};

/* The leaf certificate's public key must match the returned private key. */
int dstack_get_tls_key(dstack_client *client, const struct dstack_tls_key_options *options,
		       struct dstack_tls_key *out);
void dstack_tls_key_free(struct dstack_tls_key *key);

/* ---- Sign and Verify --------------------------------------------------- */

#define DSTACK_SIGN_SIGNATURE_LEN 64   /* Ed25519, or secp256k1 r || s (low-S) */
#define DSTACK_ED25519_PUBKEY_LEN 32

struct dstack_signature {
	uint8_t signature[DSTACK_SIGN_SIGNATURE_LEN];
	uint8_t public_key[DSTACK_PUBKEY_LEN]; /* Ed25519 (32 bytes) or compressed
						* secp256k1 (33) */
	size_t public_key_len;
	/* [signature, sig_app, sig_kms]: sig_app and sig_kms are GetKey's
	 * chain for path "vms", purpose "signing"; sig_kms may be empty. */
	struct dstack_bytes *signature_chain;
	size_t signature_chain_len;
};

/* Signs data with the app's signing key, the GetKey key of path "vms"
 * (agents >= 0.5.6; anyone who may call GetKey("vms") holds it too).
 * algorithm: "ed25519" signs data (RFC 8032); "secp256k1" (also "k256")
 * signs SHA-256(data) with ECDSA; "secp256k1_prehashed" takes data as the
 * 32-byte digest. The returned signature is verified against the returned
 * public key before it is handed back. Whether that key is the app's is
 * what dstack_verify_sign_chain() checks. */
int dstack_sign(dstack_client *client, const char *algorithm, const uint8_t *data, size_t len,
		struct dstack_signature *out);
void dstack_signature_free(struct dstack_signature *signature);

/* Checks the chain of a Sign answer against a pinned KMS root, as
 * dstack_verify_key_chain() does for GetKey (purpose "signing"). */
int dstack_verify_sign_chain(const struct dstack_signature *signature,
			     const uint8_t app_id[DSTACK_APP_ID_LEN],
			     const uint8_t kms_root[DSTACK_PUBKEY_LEN],
			     uint8_t app_pubkey_out[DSTACK_PUBKEY_LEN]);

/* Has the agent check a signature of data (algorithms as for dstack_sign;
 * agents >= 0.5.6): *valid = 1 or 0. The same check is made here first; a
 * malformed key or signature (wrong length, not a valid point, r or s out
 * of range) is -EINVAL without asking the agent, and an agent verdict that
 * differs from the local one is an error, never a result. */
int dstack_verify(dstack_client *client, const char *algorithm, const uint8_t *data, size_t len,
		  const uint8_t *signature, size_t signature_len, const uint8_t *public_key,
		  size_t public_key_len, int *valid);

/* ---- GpuInfo ----------------------------------------------------------- */

struct dstack_gpu_info {
	char *attestation;   /* NVIDIA attestation output saved at boot, verbatim;
			      * "" when there is none */
};

/* The string is authenticated only through the gpu-attestation runtime
 * event: compare its evidence_sha256 with SHA-256 of this exact string. */
int dstack_get_gpu_info(dstack_client *client, struct dstack_gpu_info *out);
void dstack_gpu_info_free(struct dstack_gpu_info *info);

/* ---- EmitEvent --------------------------------------------------------- */

/* Extends RTMR3 with a runtime event through the agent (agents 0.5.0 to
 * 0.5.11). Current agents no longer have this call: -EOPNOTSUPP. */
int dstack_emit_event(dstack_client *client, const char *event, const uint8_t *payload,
		      size_t len);

/* ---- Version ----------------------------------------------------------- */

struct dstack_version {
	char *version;
	char *rev;
};

/* Agents before 0.5.7 have no Version call: -EOPNOTSUPP. */
int dstack_get_version(dstack_client *client, struct dstack_version *out);
void dstack_version_free(struct dstack_version *version);

/* ---- Key expansion ----------------------------------------------------- */

/* A domain-separated SHAKE256 stream over label || secret, for turning a
 * GetKey secret into purpose-bound key material. The label (non-empty, one
 * per purpose and version, e.g. "myapp/signing-key/v1") makes keys for
 * different purposes independent; the secret is exactly 32 bytes, so the
 * input encoding is unambiguous. With the label
 * "tessera/dstack-kms/arc-server-key/v1" the stream equals TESSERA's. */
typedef struct dstack_keystream dstack_keystream;

enum dstack_curve {
	DSTACK_CURVE_P256 = 1,
	DSTACK_CURVE_SECP256K1 = 2,
};

int dstack_keystream_new(const uint8_t secret[DSTACK_KEY_LEN], const char *label,
			 dstack_keystream **out);
/* The next len bytes of the stream (at most 64 KiB in total per stream). */
int dstack_keystream_read(dstack_keystream *stream, uint8_t *out, size_t len);
/* The next valid private scalar of curve, big-endian: 32 bytes at a time,
 * drawing again while the value is zero or not below the group order. */
int dstack_keystream_scalar(dstack_keystream *stream, enum dstack_curve curve,
			    uint8_t out[32]);
/* Wipes and frees the stream. */
void dstack_keystream_free(dstack_keystream *stream);
/* One shot: the first len bytes of the stream. */
int dstack_key_expand(const uint8_t secret[DSTACK_KEY_LEN], const char *label, uint8_t *out,
		      size_t len);

#ifdef __cplusplus
}
#endif

#endif
