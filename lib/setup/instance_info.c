#include "setup/instance_info.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int ds_instance_info_init(struct ds_instance_info *info)
{
	*info = (struct ds_instance_info){ 0 };
	if (ds_buf_alloc(&info->instance_id_seed, 0) || ds_buf_alloc(&info->instance_id, 0) ||
	    ds_buf_alloc(&info->app_id, 0)) {
		ds_instance_info_free(info);
		return -ENOMEM;
	}
	return 0;
}

static int parse_field(const json_t *root, const char *key, struct ds_buf *out)
{
	int r = ds_json_hex(root, key, 0, out);

	if (r == 0 && out->len != 0 && out->len != DS_INSTANCE_FIELD_LEN)
		r = ds_err(-EINVAL, "field `%s` must be empty or %d bytes, got %zu", key,
			   DS_INSTANCE_FIELD_LEN, out->len);
	return r;
}

static int parse_fields(const json_t *root, void *out)
{
	struct ds_instance_info *info = out;
	int r;

	r = parse_field(root, "instance_id_seed", &info->instance_id_seed);
	if (!r)
		r = parse_field(root, "instance_id", &info->instance_id);
	if (!r)
		r = parse_field(root, "app_id", &info->app_id);
	return r;
}

int ds_instance_info_parse(const void *data, size_t len, struct ds_instance_info *out)
{
	int r;

	*out = (struct ds_instance_info){ 0 };
	r = ds_json_read_object(data, len, DS_INSTANCE_INFO_MAX, "instance info", parse_fields, out);
	if (r)
		ds_instance_info_free(out);
	return r;
}

int ds_instance_info_format(const struct ds_instance_info *info, char **out)
{
	char *seed = ds_hex_alloc(info->instance_id_seed.data, info->instance_id_seed.len);
	char *id = ds_hex_alloc(info->instance_id.data, info->instance_id.len);
	char *app = ds_hex_alloc(info->app_id.data, info->app_id.len);
	int r = 0;

	*out = NULL;
	if (!seed || !id || !app ||
	    asprintf(out, "{\"instance_id_seed\":\"%s\",\"instance_id\":\"%s\",\"app_id\":\"%s\"}",
		     seed, id, app) < 0) {
		*out = NULL;
		r = ds_err(-ENOMEM, "out of memory");
	}
	free(seed);
	free(id);
	free(app);
	return r;
}

void ds_instance_info_free(struct ds_instance_info *info)
{
	ds_buf_free(&info->instance_id_seed);
	ds_buf_free(&info->instance_id);
	ds_buf_free(&info->app_id);
}
