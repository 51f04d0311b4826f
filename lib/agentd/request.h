/* Reading the members of a request object with upstream's decoding rules
 * (spec guest-agent-api.md 1.4): absent members take their defaults,
 * unknown ones are ignored, a wrong type is an error. A GET request's
 * query is an object of strings: form is set for it, and booleans and
 * numbers are then read from their text. */
#ifndef DS_AGENTD_REQUEST_H
#define DS_AGENTD_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "agentd/agentd.h"
#include "crypto/getkey.h"
#include "util/buf.h"

struct ds_agentd_req {
	const json_t *obj;
	int form;
};

/* A string member; "" when absent. The pointer lives as long as obj. */
int ds_agentd_req_str(const struct ds_agentd_req *r, const char *key, const char **out);
/* A bytes member: hex, any number of leading "0x", either case. */
int ds_agentd_req_hex(const struct ds_agentd_req *r, const char *key, struct ds_buf *out);
int ds_agentd_req_bool(const struct ds_agentd_req *r, const char *key, int *out);
/* An optional uint64: *has = 0 when absent or null. */
int ds_agentd_req_opt_u64(const struct ds_agentd_req *r, const char *key, int *has,
			  uint64_t *out);
/* An array of strings; empty when absent. Pointers live as long as obj. */
int ds_agentd_req_strv(const struct ds_agentd_req *r, const char *key, const char ***out,
		       size_t *n);

/* GetQuote's and Attest's report_data: at most 64 bytes ("Report data is
 * too long"), right-padded with zeros, never hashed (spec 2.2). */
int ds_agentd_req_report_data(const struct ds_agentd_req *r,
			      uint8_t out[DS_REPORT_DATA_LEN]);

/* The handlers: req is the request, *out the answer object. */
typedef int (*ds_agentd_method_fn)(const struct ds_agentd *a, const struct ds_agentd_req *req,
				   json_t **out);
int ds_agentd_get_key(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_get_quote(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_info(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_get_tls_key(const struct ds_agentd *a, const struct ds_agentd_req *req,
			  json_t **out);
int ds_agentd_emit_event(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_version(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_attest(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_gpu_info(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_sign(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);
int ds_agentd_verify(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out);

/* A JSON string of lowercase hex; NULL when out of memory. */
json_t *ds_agentd_hex_json(const uint8_t *data, size_t len);
/* The JSON text of v (consumed) as a JSON string: the fields upstream
 * carries as embedded JSON (event_log, tcb_info). */
int ds_agentd_json_text(json_t *v, int pretty, json_t **out);
/* Sets obj[key] = v (consumed); -ENOMEM when v is NULL or on failure. */
int ds_agentd_set(json_t *obj, const char *key, json_t *v);
/* GetKey's signature chain for g as a new array: the app key's signature,
 * then the KMS's (empty for non-KMS providers), after first (Sign's
 * signature) when it is not NULL. */
int ds_agentd_key_chain(const struct ds_agentd *a, const struct ds_getkey *g,
			const uint8_t *first, size_t first_len, json_t **out);

#endif
