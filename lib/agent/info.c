/* Info: the application's identity and TCB (spec guest-agent-api.md 2.4). */
#include "agent/agent.h"
#include "util/err.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A hex member; len 0 = any length, else exactly len, or empty if allowed. */
struct hex_member {
	const char *name;
	size_t offset;
	size_t len;
	int may_be_empty;
};

struct text_member {
	const char *name;
	size_t offset;
	int optional;       /* absent from agents before 0.5.7 */
};

#define AT(field) offsetof(struct dstack_info, field)

static const struct hex_member hex_members[] = {
	{ "app_id", AT(app_id), DSTACK_APP_ID_LEN, 0 },
	{ "instance_id", AT(instance_id), 20, 1 },
	{ "device_id", AT(device_id), 0, 1 },
	{ "mr_aggregated", AT(mr_aggregated), 0, 1 },
	{ "os_image_hash", AT(os_image_hash), 32, 1 },
	{ "compose_hash", AT(compose_hash), 32, 0 },
};

static const struct text_member text_members[] = {
	{ "app_cert", AT(app_cert), 0 },
	{ "tcb_info", AT(tcb_info), 0 },
	{ "app_name", AT(app_name), 0 },
	{ "key_provider_info", AT(key_provider_info), 0 },
	{ "vm_config", AT(vm_config), 0 },
	{ "cloud_vendor", AT(cloud_vendor), 1 },
	{ "cloud_product", AT(cloud_product), 1 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int take_hex(const json_t *root, const struct hex_member *m, struct dstack_info *out)
{
	struct dstack_bytes *dst = (struct dstack_bytes *)((char *)out + m->offset);
	struct ds_buf b = { 0 };
	int r;

	r = ds_agent_json_hex(root, m->name, &b);
	if (r)
		return r;
	if (m->len && b.len != m->len && !(m->may_be_empty && !b.len)) {
		r = ds_err(-EBADMSG, "member \"%s\" is %zu bytes, expected %zu", m->name, b.len, m->len);
		ds_buf_free(&b);
		return r;
	}
	*dst = (struct dstack_bytes){ b.data, b.len };
	return 0;
}

int ds_agent_info_parse(const uint8_t *data, size_t len, struct dstack_info *out)
{
	json_t *root;
	int r;

	memset(out, 0, sizeof(*out));
	r = ds_agent_json_load(data, len, &root);
	if (r)
		return r;
	for (size_t i = 0; r == 0 && i < COUNT(hex_members); i++)
		r = take_hex(root, &hex_members[i], out);
	for (size_t i = 0; r == 0 && i < COUNT(text_members); i++)
		r = ds_agent_json_strdup(root, text_members[i].name, text_members[i].optional,
					 (char **)((char *)out + text_members[i].offset));
	json_decref(root);
	if (r)
		dstack_info_free(out);
	return r;
}

int dstack_get_info(dstack_client *client, struct dstack_info *out)
{
	struct ds_buf body = { 0 };
	int r;

	if (!client || !out)
		return ds_err(-EINVAL, "Info needs a client and a result");
	memset(out, 0, sizeof(*out));
	r = ds_agent_call(client, "Info", json_object(), DS_AGENT_LARGE_ANSWER, &body);
	if (r)
		return r;
	return ds_agent_parsed(client, "Info", &body, ds_agent_info_parse(body.data, body.len, out));
}

void dstack_info_free(struct dstack_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < COUNT(hex_members); i++)
		free(((struct dstack_bytes *)((char *)info + hex_members[i].offset))->data);
	for (size_t i = 0; i < COUNT(text_members); i++)
		free(*(char **)((char *)info + text_members[i].offset));
	memset(info, 0, sizeof(*info));
}
