#include "attest/vm_config.h"
#include "attest/tee_variant.h"
#include "setup/app_policy.h"
#include "setup/host_shared.h"
#include "setup/os_release.h"
#include "setup/semver.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"
#include "util/json.h"
#include "util/json_wipe.h"
#include "util/log.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST_V3 3

const char *const ds_os_release_paths[] = { "/etc/os-release", "/usr/lib/os-release", NULL };

static int needs_v3(const char *what, const char *verb)
{
	return ds_err(-EINVAL, "%s %s manifest_version >= %d; use string manifest_version \"%d\" "
		      "so older guests fail closed", what, verb, MANIFEST_V3, MANIFEST_V3);
}

static int verify_manifest_features(const struct ds_app_compose *ac)
{
	int old = ac->manifest_version < MANIFEST_V3;
	int nerdctl = !strcmp(ac->runner, "nerdctl-compose");

	if (old && ac->requirements.present)
		return needs_v3("requirements", "requires");
	if (old && nerdctl)
		return needs_v3("nerdctl-compose", "requires");
	if (old && ac->n_init_scripts > 1)
		return needs_v3("multiple init scripts", "require");
	if (!nerdctl && ac->has_snapshotter)
		return ds_err(-EINVAL, "snapshotter is only supported by the nerdctl-compose runner");
	return 0;
}

static int version_unsupported(const struct ds_semver_req *req, const struct ds_semver *v)
{
	char *req_text = ds_semver_req_format(req), *v_text = ds_semver_format(v);
	int r = req_text && v_text ?
		ds_err(-EPERM, "Unsupported dstack OS version: current %s, required %s", v_text,
		       req_text) : ds_err(-ENOMEM, "out of memory");

	free(req_text);
	free(v_text);
	return r;
}

int ds_policy_os_version(const char *requirement, const char *current)
{
	struct ds_semver_req req;
	struct ds_semver v;
	int r = ds_semver_req_parse(requirement, &req);

	if (r)
		return ds_err_ctx(r, "Invalid requirements.os_version: %s", requirement);
	r = ds_semver_parse(current, &v);
	if (r) {
		ds_semver_req_free(&req);
		return ds_err_ctx(r, "Invalid current dstack OS version: %s", current);
	}
	if (!ds_semver_matches(&req, &v))
		r = version_unsupported(&req, &v);
	else
		ds_info("setup", "dstack OS version requirement satisfied: current=%s, requirement=%s",
			current, requirement);
	ds_semver_free(&v);
	ds_semver_req_free(&req);
	return r;
}

static int verify_os_version(const char *requirement, const struct ds_app_policy_env *env)
{
	char *current = NULL;
	int r = ds_os_release_version_id(env->os_release_paths, &current);

	if (r)
		return ds_err_ctx(r, "Failed to read current dstack OS version");
	r = ds_policy_os_version(requirement, current);
	free(current);
	return r;
}

static int platform_list_error(const char *current, char *const *platforms)
{
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);
	int r;

	if (!f)
		return ds_err(-ENOMEM, "out of memory");
	for (size_t i = 0; platforms[i]; i++)
		fprintf(f, "%s%s", i ? ", " : "", platforms[i]);
	r = fclose(f) ? ds_err(-ENOMEM, "out of memory") :
		ds_err(-EPERM, "Unsupported attestation platform: current %s, allowed [%s]",
		       current, list);
	free(list);
	return r;
}

static int verify_platforms(const struct ds_requirements *req, const char *current)
{
	int found = 0;

	for (size_t i = 0; i < req->n_platforms; i++) {
		if (!ds_tee_variant_known(req->platforms[i])) {
			ds_err(-EINVAL, "unknown variant `%s`", req->platforms[i]);
			return ds_err_ctx(-EINVAL, "Invalid requirements.platforms[%zu]: %s", i,
					  req->platforms[i]);
		}
		found |= !strcmp(req->platforms[i], current);
	}
	return found ? 0 : platform_list_error(current, req->platforms);
}

static int verify_tdx_acpi(int measure, const char *vm_config)
{
	int lite, r = ds_vm_config_tdx_lite(vm_config, &lite);

	if (r)
		return ds_err_ctx(r, "failed to parse vm_config for "
				  "requirements.tdx_measure_acpi_tables");
	if (measure && lite)
		return ds_err(-EPERM, "unsupported TDX attestation mode: requirements."
			      "tdx_measure_acpi_tables=true requires ACPI table measurement");
	if (!measure && !lite)
		return ds_err(-EPERM, "unsupported TDX attestation mode: requirements."
			      "tdx_measure_acpi_tables=false requires TDX lite attestation");
	return 0;
}

/* sha256(domain || token), upstream's launch_token_hash(). */
static int launch_token_digest(const char *token, uint8_t out[SHA256_DIGEST_LENGTH])
{
	unsigned len = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
		 EVP_DigestUpdate(md, DS_LAUNCH_TOKEN_DOMAIN, strlen(DS_LAUNCH_TOKEN_DOMAIN)) &&
		 EVP_DigestUpdate(md, token, strlen(token)) && EVP_DigestFinal_ex(md, out, &len);

	EVP_MD_CTX_free(md);
	return ok ? 0 : ds_err(-EIO, "sha256 failed");
}

int ds_policy_launch_token(const char *hash_hex, const char *token)
{
	uint8_t digest[SHA256_DIGEST_LENGTH];
	struct ds_buf expected = { 0 };
	int r = ds_hex_decode(hash_hex, strlen(hash_hex), &expected);

	if (r)
		return ds_err_ctx(r, "invalid requirements.launch_token_hash: not a hex string");
	if (expected.len != sizeof(digest)) {
		r = ds_err(-EINVAL, "invalid requirements.launch_token_hash: expected 32-byte "
			   "sha256 hex, got %zu bytes", expected.len);
	} else if (strlen(token) < DS_LAUNCH_TOKEN_MIN_LEN) {
		r = ds_err(-EPERM, "launch token too short: got %zu bytes, minimum is %d; use a "
			   "random token since launch_token_hash is public", strlen(token),
			   DS_LAUNCH_TOKEN_MIN_LEN);
	} else {
		r = launch_token_digest(token, digest);
		if (r == 0 && CRYPTO_memcmp(digest, expected.data, sizeof(digest)))
			r = ds_err(-EPERM, "launch token mismatch: sha256(\"%s\" || launch token) "
				   "does not match requirements.launch_token_hash",
				   DS_LAUNCH_TOKEN_DOMAIN);
	}
	ds_buf_free(&expected);
	return r;
}

int ds_policy_launch_token_from(const char *user_config, size_t len, char **token)
{
	json_t *root = NULL, *v;
	int r;

	*token = NULL;
	ds_json_wipe_on_free();
	r = ds_json_parse(user_config, len, DS_USER_CONFIG_MAX, "user_config", &root);
	if (r) {
		json_decref(root);
		return ds_err_ctx(r, "failed to parse user_config as JSON for "
				  "requirements.launch_token_hash");
	}
	v = json_is_object(root) ? json_object_get(root, "dstack") : NULL;
	v = json_is_object(v) ? json_object_get(v, "launch_token") : NULL;
	if (!v)
		r = ds_err(-EINVAL, "user_config is missing dstack.launch_token");
	else if (!json_is_string(v))
		r = ds_err(-EINVAL, "user_config dstack.launch_token is not a string");
	else if (!(*token = strdup(json_string_value(v))))
		r = ds_err(-ENOMEM, "out of memory");
	json_decref(root);
	return r;
}

static int verify_launch_token(const char *hash_hex, const char *path)
{
	struct ds_buf text = { 0 };
	char *token = NULL;
	int r = ds_read_file(path, DS_USER_CONFIG_MAX, &text);

	if (r)
		return ds_err_ctx(r, "failed to read user_config for "
				  "requirements.launch_token_hash");
	r = ds_policy_launch_token_from((const char *)text.data, text.len, &token);
	r = r ?: ds_policy_launch_token(hash_hex, token);
	if (token)
		OPENSSL_cleanse(token, strlen(token));
	free(token);
	ds_buf_wipe(&text);
	if (r == 0)
		ds_info("setup", "launch token requirement satisfied");
	return r;
}

static int verify_requirements(const struct ds_requirements *req,
			       const struct ds_app_policy_env *env)
{
	const char *platform = NULL;
	int r = 0;

	if (req->os_version)
		r = verify_os_version(req->os_version, env);
	if (r == 0 && req->has_platforms && req->n_platforms == 0)
		r = ds_err(-EPERM, "Unsupported attestation platform: requirements.platforms is empty");
	if (r == 0 && (req->has_platforms || req->tdx_measure_acpi_tables >= 0)) {
		r = env->detect_platform(&platform);
		if (r)
			r = ds_err_ctx(r, "failed to detect current attestation platform");
	}
	if (r == 0 && req->has_platforms)
		r = verify_platforms(req, platform);
	if (r == 0 && req->tdx_measure_acpi_tables >= 0 && !strcmp(platform, DS_TEE_VARIANT_TDX))
		r = verify_tdx_acpi(req->tdx_measure_acpi_tables, env->vm_config);
	if (r == 0 && req->launch_token_hash)
		r = verify_launch_token(req->launch_token_hash, env->user_config_path);
	return r;
}

int ds_app_policy_verify(const struct ds_app_compose *ac, const struct ds_app_policy_env *env)
{
	int r = verify_manifest_features(ac);

	if (r == 0 && ac->requirements.present)
		r = verify_requirements(&ac->requirements, env);
	return r ? ds_err_ctx(r, "Failed to verify app-compose policy") : 0;
}
