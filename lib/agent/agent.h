/* Internals of the guest-agent client (public API: include/dstack/dstack.h):
 * the client handle, the one request path, strict JSON helpers and the
 * parsers of the agent's answers (spec guest-agent-api.md 1-3, 9). */
#ifndef DS_AGENT_AGENT_H
#define DS_AGENT_AGENT_H

#include <dstack/dstack.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/sign.h"
#include "util/buf.h"

/* Answers larger than these are errors, never truncated. */
#define DS_AGENT_SMALL_ANSWER (64u << 10)   /* keys, versions, events */
#define DS_AGENT_LARGE_ANSWER (8u << 20)    /* quotes and info with event logs */

struct dstack_client {
	char *endpoint;          /* socket path or base URL, as resolved */
	char *base_url;          /* URL prefix the method name is appended to */
	int unix_socket;         /* endpoint is a Unix socket path */
	long timeout_ms;
	int has_version;         /* a Version call has succeeded */
};

/* The SDKs' probe list, in order, NULL-terminated. */
extern const char *const ds_agent_socket_candidates[];

/* Picks the endpoint: explicit, else env (the value of
 * DSTACK_SIMULATOR_ENDPOINT, NULL when unset), else the first existing
 * candidate, else the first candidate. *out points into the inputs. */
int ds_agent_endpoint_resolve(const char *explicit_endpoint, const char *env,
			      const char *const *candidates, const char **out);

/* POSTs request (a JSON object, consumed; NULL is an error) to /<method>
 * and returns the body of a 200 answer, at most max bytes. Any other status
 * is an error carrying the agent's "error" message. */
int ds_agent_call(struct dstack_client *client, const char *method, json_t *request, size_t max,
		  struct ds_buf *body);
/* Ends a call whose body was parsed with result r: wipes the body (it may
 * hold keys) and names the method and the agent in a parse failure. */
int ds_agent_parsed(const struct dstack_client *client, const char *method, struct ds_buf *body,
		    int r);
/* Succeeds once the agent has answered Version (agents >= 0.5.7). */
int ds_agent_require_version(struct dstack_client *client);

/* ds_agent_call of GetQuote or Attest with {"report_data": hex}: at most 64
 * bytes, right-padded with zeros into padded, which the answer must carry. */
int ds_agent_report_data_call(struct dstack_client *client, const char *method,
			      const uint8_t *report_data, size_t len,
			      uint8_t padded[DSTACK_REPORT_DATA_LEN], struct ds_buf *body);
/* quote must be a whole TDX quote (v4 or v5) whose TD report carries
 * report_data; what names it in errors. */
int ds_agent_check_quote(const uint8_t *quote, size_t len,
			 const uint8_t report_data[DSTACK_REPORT_DATA_LEN], const char *what);

/* "", "secp256k1" and "k256": what every agent version treats as secp256k1. */
int ds_agent_is_k256_algorithm(const char *alg);

/* Strict JSON: one object, no duplicate members, nothing after it. Error
 * messages never quote the input (it may hold a secret). */
int ds_agent_json_load(const uint8_t *data, size_t len, json_t **out);
/* A required string member; the pointer lives as long as obj. */
int ds_agent_json_string(const json_t *obj, const char *name, const char **out);
/* A string member copied with strdup; optional ones default to "". */
int ds_agent_json_strdup(const json_t *obj, const char *name, int optional, char **out);
/* A required hex string member, with at most one "0x"/"0X" prefix. */
int ds_agent_json_hex(const json_t *obj, const char *name, struct ds_buf *out);
/* The same for a value (an array element); what names it in errors. */
int ds_agent_json_hex_value(const json_t *v, const char *what, struct ds_buf *out);
/* The "signature_chain" member: an array of at most 8 hex strings. On
 * failure *out may hold decoded elements: free with ds_agent_chain_free. */
int ds_agent_json_chain(const json_t *root, struct dstack_bytes **out, size_t *len);
void ds_agent_chain_free(struct dstack_bytes *chain, size_t len);
/* The "error" member of an error answer, reduced to printable ASCII and
 * cut to size; -ENOENT when the body carries none. */
int ds_agent_error_message(const uint8_t *data, size_t len, char *out, size_t size);

/* 1 when a big-endian scalar is a valid private key of curve (0 < s < n). */
int ds_scalar_valid(const uint8_t scalar[32], enum dstack_curve curve);

/* Parsers of 200 answers; each fills *out completely or not at all. */
int ds_agent_key_parse(const uint8_t *data, size_t len, struct dstack_key *out);
int ds_agent_quote_parse(const uint8_t *data, size_t len,
			 const uint8_t report_data[DSTACK_REPORT_DATA_LEN], struct dstack_quote *out);
int ds_agent_info_parse(const uint8_t *data, size_t len, struct dstack_info *out);
int ds_agent_tls_key_parse(const uint8_t *data, size_t len, struct dstack_tls_key *out);
int ds_agent_version_parse(const uint8_t *data, size_t len, struct dstack_version *out);
int ds_agent_attest_parse(const uint8_t *data, size_t len,
			  const uint8_t report_data[DSTACK_REPORT_DATA_LEN],
			  struct dstack_attestation *out);
/* A Sign answer for algo over msg: its signature must verify. */
int ds_agent_sign_parse(const uint8_t *data, size_t len, enum ds_sign_algo algo,
			const uint8_t *msg, size_t msg_len, struct dstack_signature *out);
int ds_agent_verify_parse(const uint8_t *data, size_t len, int *valid);
int ds_agent_gpu_info_parse(const uint8_t *data, size_t len, struct dstack_gpu_info *out);

#endif
