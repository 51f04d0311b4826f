#include "attest/vm_config.h"
#include "setup/sys_config.h"
#include "util/b64.h"
#include "util/err.h"
#include "util/file.h"
#include "util/hex.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON types of serde fields: absent members take their default. */
enum field_type {
	F_STRING, F_OPT_STRING, F_BOOL, F_OPT_BOOL, F_U32, F_U64,
	F_HEX, F_OVMF_VARIANT, F_TDX_VARIANT, F_OPT_MEASUREMENT,
};

struct field {
	const char *name;
	enum field_type type;
};

static const struct field vm_config_fields[] = {
	{ "os_image_hash", F_HEX }, { "cpu_count", F_U32 }, { "memory_size", F_U64 },
	{ "qemu_single_pass_add_pages", F_OPT_BOOL }, { "pic", F_OPT_BOOL },
	{ "qemu_version", F_OPT_STRING }, { "pci_hole64_size", F_U64 }, { "hugepages", F_BOOL },
	{ "num_gpus", F_U32 }, { "num_nvswitches", F_U32 }, { "num_nics", F_U32 },
	{ "num_verity_volumes", F_U32 }, { "swtpm", F_BOOL }, { "hotplug_off", F_BOOL },
	{ "image", F_OPT_STRING }, { "host_share_mode", F_STRING },
	{ "ovmf_variant", F_OVMF_VARIANT }, { "tdx_attestation_variant", F_TDX_VARIANT },
	{ "tdx_measurement", F_OPT_MEASUREMENT }, { "gcp_measurement", F_OPT_MEASUREMENT },
	{ "aws_measurement", F_OPT_MEASUREMENT }, { NULL, 0 },
};

static int is_uint(const json_t *v, json_int_t max)
{
	return json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= max;
}

/* A string member that decodes with the given codec (hex or base64). */
static int decodes(const json_t *v, int (*decode)(const char *, size_t, struct ds_buf *))
{
	struct ds_buf b = { 0 };

	if (!json_is_string(v) || decode(json_string_value(v), json_string_length(v), &b))
		return 0;
	ds_buf_free(&b);
	return 1;
}

static int is_base64(const json_t *v)
{
	return decodes(v, ds_b64_decode);
}

static int is_measurement(const json_t *v)
{
	return json_is_null(v) || (json_is_object(v) &&
				   is_base64(json_object_get(v, "checksum_file")) &&
				   is_base64(json_object_get(v, "measurement")));
}

static int has_type(const json_t *v, enum field_type t)
{
	switch (t) {
	case F_STRING: return json_is_string(v);
	case F_OPT_STRING: return json_is_null(v) || json_is_string(v);
	case F_BOOL: return json_is_boolean(v);
	case F_OPT_BOOL: return json_is_null(v) || json_is_boolean(v);
	case F_U32: return is_uint(v, UINT32_MAX);
	case F_U64: return is_uint(v, INT64_MAX);
	case F_HEX: return decodes(v, ds_hex_decode);
	case F_OVMF_VARIANT:
		return json_is_null(v) || (json_is_string(v) &&
					   !strcmp(json_string_value(v), "pre202505"));
	case F_TDX_VARIANT:
		return json_is_string(v) && (!strcmp(json_string_value(v), "legacy") ||
					     !strcmp(json_string_value(v), "lite"));
	case F_OPT_MEASUREMENT: return is_measurement(v);
	}
	return 0;
}

/* Checks every present known member; unknown members are ignored. */
static int check_fields(const json_t *obj, const struct field *fields, const char *what)
{
	if (!json_is_object(obj))
		return ds_err(-EBADMSG, "%s is not a JSON object", what);
	for (const struct field *f = fields; f->name; f++) {
		json_t *v = json_object_get(obj, f->name);

		if (v && !has_type(v, f->type))
			return ds_err(-EBADMSG, "invalid type for field `%s` in %s", f->name, what);
	}
	return 0;
}

static json_t *load_json(const char *text, size_t len, const char *what)
{
	json_error_t jerr;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);

	if (!v)
		ds_err(-EBADMSG, "invalid %s JSON: %s (line %d)", what, jerr.text, jerr.line);
	return v;
}

int ds_sys_config_path(char *out, size_t size)
{
	const char *dir;
	int r = ds_env_path(DS_HOST_SHARED_DIR_ENV, &dir);

	if (r)
		return r;
	if ((size_t)snprintf(out, size, "%s/%s", dir ? dir : DS_HOST_SHARED_DIR,
			     DS_SYS_CONFIG_NAME) >= size)
		return ds_err(-ENAMETOOLONG, "sys-config path too long");
	return 0;
}

static int parse_sys_config(const struct ds_buf *text, char **out)
{
	struct ds_sys_config cfg;
	int r = ds_sys_config_parse(text->data, text->len, &cfg);

	if (r)
		return r;
	*out = cfg.vm_config;
	cfg.vm_config = NULL;
	ds_sys_config_free(&cfg);
	return 0;
}

int ds_sys_config_vm_config(const char *path, char **out)
{
	struct ds_buf text = { 0 };
	int r = ds_read_file(path, DS_SYS_CONFIG_MAX, &text);

	if (r == -ENOENT) {
		ds_err_clear();
		*out = strdup("");
		return *out ? 0 : ds_err(-ENOMEM, "out of memory");
	}
	if (r)
		ds_err_ctx(r, "Failed to read sys-config");
	else
		r = parse_sys_config(&text, out);
	ds_buf_free(&text);
	return r ? ds_err_ctx(r, "Failed to read vm config") : 0;
}

int ds_vm_config_os_image_hash(const char *config, struct ds_buf *out)
{
	json_t *outer = NULL, *doc = NULL, *inner, *hash;
	int r = 0;

	if (!*config)
		config = "{}";
	/* older attestations stored the whole sys-config */
	outer = json_loads(config, JSON_DECODE_ANY, NULL);
	inner = json_object_get(outer, "vm_config");
	if (json_is_string(inner))
		doc = load_json(json_string_value(inner), json_string_length(inner), "vm config");
	else
		doc = load_json(config, strlen(config), "vm config");
	r = doc ? check_fields(doc, vm_config_fields, "vm config") : -EBADMSG;
	hash = json_object_get(doc, "os_image_hash");
	if (r == 0 && hash)
		r = ds_hex_decode(json_string_value(hash), json_string_length(hash), out);
	else if (r == 0)
		r = ds_buf_alloc(out, 0);
	json_decref(outer);
	json_decref(doc);
	return r ? ds_err_ctx(r, "Failed to parse vm config") : 0;
}

int ds_vm_config_tdx_lite(const char *config, int *lite)
{
	json_t *doc = load_json(config, strlen(config), "vm config");
	int r = doc ? check_fields(doc, vm_config_fields, "vm config") : -EBADMSG;
	json_t *variant = json_object_get(doc, "tdx_attestation_variant");

	*lite = r == 0 && variant && !strcmp(json_string_value(variant), "lite");
	json_decref(doc);
	return r;
}
