/* Verify (spec guest-agent-api.md 2.7): {"valid": bool} for a well-formed
 * signature and key, a 400 error for a malformed one. */
#include "agentd/request.h"
#include "crypto/sign.h"
#include "util/err.h"

#include <errno.h>

int ds_agentd_verify(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	struct ds_buf data = { 0 }, sig = { 0 }, pub = { 0 };
	enum ds_sign_algo algo;
	const char *name;
	int r;

	(void)a;
	r = ds_agentd_req_str(req, "algorithm", &name);
	r = r ?: ds_agentd_req_hex(req, "data", &data);
	r = r ?: ds_agentd_req_hex(req, "signature", &sig);
	r = r ?: ds_agentd_req_hex(req, "public_key", &pub);
	r = r ?: ds_sign_algo_parse(name, &algo);
	r = r ?: ds_sign_verify(algo, pub.data, pub.len, data.data, data.len, sig.data, sig.len);
	ds_buf_free(&data);
	ds_buf_free(&sig);
	ds_buf_free(&pub);
	if (r == -EACCES)
		ds_err_clear();    /* a verdict, not a failure */
	else if (r)
		return r;
	*out = json_pack("{s:b}", "valid", r == 0);
	return *out ? 0 : ds_err(-ENOMEM, "out of memory");
}
