/* [HEAD] app-compose `requirements` (spec system-setup.md 2.3, 2.11): the
 * typed members (unknown members rejected, as upstream's
 * deny_unknown_fields), and the gpu-policy-hash, sha256 of the JCS text of
 * the raw requirements.gpu_policy value ({} when absent). */
#ifndef DS_SETUP_REQUIREMENTS_H
#define DS_SETUP_REQUIREMENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define DS_GPU_POLICY_HASH_LEN 32

struct ds_gpu_policy {
	int attest_gpu;               /* default true */
	char *rego;                   /* NULL when absent */
	int allow_devtools, allow_debug, allow_insecure_boot;
};

struct ds_requirements {
	int present;                  /* the member is given and not null */
	char *os_version;             /* semver requirement text, or NULL */
	int has_platforms;            /* an explicit list, possibly empty */
	char **platforms;             /* NULL-terminated */
	size_t n_platforms;
	int tdx_measure_acpi_tables;  /* -1 unset, else 0/1 */
	char *launch_token_hash;      /* hex text, checked when used; or NULL */
	struct ds_gpu_policy gpu_policy;
	uint8_t gpu_policy_hash[DS_GPU_POLICY_HASH_LEN];
};

/* Reads member `requirements` of the app-compose root. */
int ds_requirements_parse(const json_t *root, struct ds_requirements *out);
void ds_requirements_free(struct ds_requirements *req);

#endif
