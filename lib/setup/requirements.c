#include "setup/requirements.h"
#include "util/err.h"
#include "util/jcs.h"
#include "util/json.h"

#include <errno.h>
#include <openssl/sha.h>
#include <stdlib.h>

/* the canonical text is hashed; the policy itself is small */
#define GPU_POLICY_JCS_MAX (1u << 20)

static int parse_gpu_policy(const json_t *req, struct ds_gpu_policy *p)
{
	static const char *const fields[] = { "attest_gpu", "rego", "allow_devtools",
					      "allow_debug", "allow_insecure_boot", NULL };
	json_t *obj;
	int r = ds_json_member(req, "gpu_policy", 0, &obj);

	if (r || !obj)
		return r;
	if (!json_is_object(obj))
		return ds_err(-EINVAL, "invalid type for field `gpu_policy`: expected an object");
	r = ds_json_known_fields(obj, fields, "gpu_policy");
	r = r ?: ds_json_bool(obj, "attest_gpu", 0, 1, &p->attest_gpu);
	r = r ?: ds_json_string(obj, "rego", DS_JSON_NULLABLE, &p->rego);
	r = r ?: ds_json_bool(obj, "allow_devtools", 0, 0, &p->allow_devtools);
	r = r ?: ds_json_bool(obj, "allow_debug", 0, 0, &p->allow_debug);
	r = r ?: ds_json_bool(obj, "allow_insecure_boot", 0, 0, &p->allow_insecure_boot);
	return r;
}

static int parse_tdx_acpi(const json_t *req, int *out)
{
	json_t *v;
	int r = ds_json_member(req, "tdx_measure_acpi_tables", DS_JSON_NULLABLE, &v);

	if (r == 0 && v)
		r = ds_json_bool(req, "tdx_measure_acpi_tables", 0, 0, out);
	return r;
}

static int parse_members(const json_t *req, struct ds_requirements *out)
{
	static const char *const fields[] = { "os_version", "platforms", "tdx_measure_acpi_tables",
					      "launch_token_hash", "gpu_policy", NULL };
	json_t *platforms;
	int r = ds_json_known_fields(req, fields, "requirements");

	r = r ?: ds_json_string(req, "os_version", DS_JSON_NULLABLE, &out->os_version);
	r = r ?: ds_json_member(req, "platforms", DS_JSON_NULLABLE, &platforms);
	out->has_platforms = platforms != NULL;
	r = r ?: ds_json_string_array(req, "platforms", DS_JSON_NULLABLE, &out->platforms,
				      &out->n_platforms);
	r = r ?: parse_tdx_acpi(req, &out->tdx_measure_acpi_tables);
	r = r ?: ds_json_string(req, "launch_token_hash", DS_JSON_NULLABLE,
				&out->launch_token_hash);
	r = r ?: parse_gpu_policy(req, &out->gpu_policy);
	return r;
}

/* Over the raw value, not the typed one: an explicit default member changes
 * the hash, member order does not. */
static int hash_gpu_policy(const json_t *req, uint8_t out[DS_GPU_POLICY_HASH_LEN])
{
	json_t *policy = req ? json_object_get(req, "gpu_policy") : NULL;
	struct ds_buf text = { 0 };
	int r;

	if (!policy) {
		SHA256((const uint8_t *)"{}", 2, out);
		return 0;
	}
	r = ds_jcs_dump(policy, GPU_POLICY_JCS_MAX, &text);
	if (r)
		return ds_err_ctx(r, "failed to hash raw GPU policy");
	SHA256(text.data, text.len, out);
	ds_buf_free(&text);
	return 0;
}

int ds_requirements_parse(const json_t *root, struct ds_requirements *out)
{
	json_t *req;
	int r = ds_json_member(root, "requirements", DS_JSON_NULLABLE, &req);

	*out = (struct ds_requirements){ .tdx_measure_acpi_tables = -1,
					 .gpu_policy = { .attest_gpu = 1 } };
	if (r == 0 && req && !json_is_object(req))
		r = ds_err(-EINVAL, "invalid type for field `requirements`: expected an object");
	out->present = req != NULL;
	if (r == 0 && req)
		r = parse_members(req, out);
	r = r ?: hash_gpu_policy(req, out->gpu_policy_hash);
	if (r) {
		ds_requirements_free(out);
		return ds_err_ctx(r, "invalid `requirements`");
	}
	return 0;
}

void ds_requirements_free(struct ds_requirements *req)
{
	free(req->os_version);
	ds_strv_free(req->platforms);
	free(req->launch_token_hash);
	free(req->gpu_policy.rego);
	*req = (struct ds_requirements){ .tdx_measure_acpi_tables = -1 };
}
