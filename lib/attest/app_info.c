#include "attest/app_info.h"
#include "attest/container.h"
#include "attest/quote.h"
#include "attest/replay.h"
#include "attest/vm_config.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/json.h"
#include "util/msgpack.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define SYSTEM_READY "system-ready"

/* The inputs both algorithms hash, with the RTMRs they chose. */
struct measurement {
	const uint8_t *mr_td;
	const uint8_t *rtmr[4];
	const uint8_t *cfg[3];  /* mr_config_id, mr_owner, mr_owner_config */
};

/* Events after system-ready (emitted by applications) never count. */
static const struct ds_event *find_event(const struct ds_event_list *events, const char *name)
{
	for (size_t i = 0; i < events->len; i++) {
		const struct ds_event *ev = &events->items[i];

		/* runtime events all sit in RTMR3; the old full log mixes in boot events */
		if (ev->imr != 3)
			continue;
		if (!strcmp(ev->name, SYSTEM_READY))
			break;
		if (!strcmp(ev->name, name))
			return ev;
	}
	return NULL;
}

static int payload_of(const struct ds_event_list *events, const char *name, struct ds_buf *out)
{
	const struct ds_event *ev = find_event(events, name);

	return ev ? ds_buf_set(out, ev->payload.data, ev->payload.len) : ds_buf_alloc(out, 0);
}

static int sha256_parts(const uint8_t *const *parts, const size_t *lens, size_t n,
			uint8_t out[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);

	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, parts[i], lens[i]);
	ok = ok && EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : ds_err(-EIO, "SHA-256 failed");
}

static int is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* mr_system and mr_aggregated; mr_key_provider is zero32 when there is no
 * key-provider payload. */
static int compute_mrs(const struct measurement *m, struct ds_app_info *info)
{
	uint8_t mr_kp[32] = { 0 };
	const uint8_t *parts[9] = { m->mr_td, m->rtmr[0], m->rtmr[1], m->rtmr[2] };
	size_t lens[9] = { 48, 48, 48, 48, 32 };
	size_t n = 5;
	int r = 0, has_cfg = 0;

	if (info->key_provider_info.len)
		r = sha256_parts((const uint8_t *const[]){ info->key_provider_info.data },
				 &info->key_provider_info.len, 1, mr_kp);
	parts[4] = mr_kp;
	r = r ?: sha256_parts(parts, lens, 5, info->mr_system);
	parts[4] = m->rtmr[3];
	lens[4] = 48;
	for (int i = 0; i < 3; i++)
		has_cfg |= !is_zero(m->cfg[i], 48);
	/* all-zero config fields are left out (upstream compatibility) */
	for (int i = 0; has_cfg && i < 3; i++) {
		parts[n] = m->cfg[i];
		lens[n++] = 48;
	}
	return r ?: sha256_parts(parts, lens, n, info->mr_aggregated);
}

static void measure_quote(const struct ds_td10 *td, struct measurement *m)
{
	m->mr_td = td->mr_td;
	for (int i = 0; i < 4; i++)
		m->rtmr[i] = td->rt_mr[i];
	m->cfg[0] = td->mr_config_id;
	m->cfg[1] = td->mr_owner;
	m->cfg[2] = td->mr_owner_config;
}

static int parse_td(const uint8_t *quote, size_t len, struct ds_quote *q, const struct ds_td10 **td)
{
	int r = ds_quote_parse(quote, len, q);

	return r ?: ds_quote_td_report(q, td);
}

static int collect_init_scripts(const struct ds_event_list *events, struct ds_app_info *info)
{
	size_t n = 0;

	info->init_script_hashes = calloc(events->len ? events->len : 1, sizeof(struct ds_buf));
	if (!info->init_script_hashes)
		return ds_err(-ENOMEM, "out of memory");
	for (size_t i = 0; i < events->len && strcmp(events->items[i].name, SYSTEM_READY); i++) {
		const struct ds_event *ev = &events->items[i];
		int r;

		if (strcmp(ev->name, "init-script-hash"))
			continue;
		r = ds_buf_set(&info->init_script_hashes[n], ev->payload.data, ev->payload.len);
		if (r)
			return r;
		info->n_init_script_hashes = ++n;
	}
	return 0;
}

static int common_events(const struct ds_event_list *events, int boottime,
			 struct ds_app_info *info)
{
	int r = payload_of(events, "app-id", &info->app_id);

	r = r ?: payload_of(events, "instance-id", &info->instance_id);
	if (r == 0 && boottime)
		r = ds_buf_alloc(&info->key_provider_info, 0);
	else if (r == 0)
		r = payload_of(events, "key-provider", &info->key_provider_info);
	return r;
}

static int app_info_new(const uint8_t *quote, size_t quote_len,
			const struct ds_event_list *runtime, const char *config, int boottime,
			struct ds_app_info *info)
{
	static const uint8_t empty[1];
	struct ds_quote q;
	const struct ds_td10 *td;
	struct measurement m;
	uint8_t rtmr3[48];
	int r = common_events(runtime, boottime, info);

	if (r == 0) {
		r = ds_vm_config_os_image_hash(config, &info->os_image_hash);
		if (r)
			return ds_err_ctx(r, "Failed to decode os image hash");
	}
	r = r ?: parse_td(quote, quote_len, &q, &td);
	r = r ?: ds_replay_rtmr3(runtime, boottime ? DS_BOOT_MR_DONE : NULL, rtmr3);
	if (r)
		return r;
	measure_quote(td, &m);
	m.rtmr[3] = rtmr3;
	r = compute_mrs(&m, info);
	r = r ?: payload_of(runtime, "compose-hash", &info->compose_hash);
	r = r ?: sha256_parts((const uint8_t *const[]){ empty }, (const size_t[]){ 0 }, 1,
			      info->device_id);
	return r ?: collect_init_scripts(runtime, info);
}

int ds_app_info_new(const uint8_t *quote, size_t quote_len,
		    const struct ds_event_list *runtime_events, const char *config, int boottime,
		    struct ds_app_info *out)
{
	struct ds_app_info info = { 0 };
	int r = app_info_new(quote, quote_len, runtime_events, config, boottime, &info);

	if (r) {
		ds_app_info_free(&info);
		return ds_err_ctx(r, "decode app info");
	}
	*out = info;
	return 0;
}

static int app_info_old(const uint8_t *quote, size_t quote_len, const struct ds_event_list *log,
			int boottime, struct ds_app_info *info)
{
	struct ds_quote q;
	const struct ds_td10 *td;
	struct measurement m;
	struct ds_rtmrs mrs;
	int r = parse_td(quote, quote_len, &q, &td);

	r = r ?: ds_replay_old(log, boottime ? DS_BOOT_MR_DONE : NULL, &mrs);
	r = r ?: common_events(log, boottime, info);
	if (r)
		return r;
	measure_quote(td, &m);
	for (int i = 0; i < 4; i++)
		m.rtmr[i] = mrs.mr[i];
	memcpy(info->mrtd, td->mr_td, 48);
	memcpy(info->rtmr, mrs.mr, sizeof(info->rtmr));
	r = compute_mrs(&m, info);
	r = r ?: sha256_parts((const uint8_t *const[]){ q.user_data }, (const size_t[]){ 20 }, 1,
			      info->device_id);
	if (r == 0 && !find_event(log, "compose-hash"))
		r = ds_err(-ENOENT, "event compose-hash not found");
	r = r ?: payload_of(log, "compose-hash", &info->compose_hash);
	return r ?: payload_of(log, "os-image-hash", &info->os_image_hash);
}

int ds_app_info_old(const uint8_t *quote, size_t quote_len, const struct ds_event_list *log,
		    int boottime, struct ds_app_info *out)
{
	struct ds_app_info info = { 0 };
	int r = app_info_old(quote, quote_len, log, boottime, &info);

	if (r) {
		ds_app_info_free(&info);
		return r;
	}
	*out = info;
	return 0;
}

void ds_app_info_free(struct ds_app_info *info)
{
	ds_buf_free(&info->app_id);
	ds_buf_free(&info->compose_hash);
	ds_buf_free(&info->instance_id);
	ds_buf_free(&info->os_image_hash);
	ds_buf_free(&info->key_provider_info);
	for (size_t i = 0; i < info->n_init_script_hashes; i++)
		ds_buf_free(&info->init_script_hashes[i]);
	free(info->init_script_hashes);
	*info = (struct ds_app_info){ 0 };
}

static int pack_buf(msgpack_packer *pk, const struct ds_buf *b)
{
	return ds_mp_pack_bin(pk, b->data, b->len);
}

/* Every field comes out of one attestation, so the encoding is never
 * larger than the largest attestation plus a few headers. */
int ds_app_info_msgpack(const struct ds_app_info *info, struct ds_buf *out)
{
	struct ds_mp_writer w;
	int r;

	ds_mp_writer_init(&w, DS_ATTESTATION_MAX);
	r = msgpack_pack_array(&w.pk, 9);
	r = r ?: pack_buf(&w.pk, &info->app_id);
	r = r ?: pack_buf(&w.pk, &info->compose_hash);
	r = r ?: pack_buf(&w.pk, &info->instance_id);
	r = r ?: ds_mp_pack_bin(&w.pk, info->device_id, 32);
	r = r ?: ds_mp_pack_bin(&w.pk, info->mr_system, 32);
	r = r ?: ds_mp_pack_bin(&w.pk, info->mr_aggregated, 32);
	r = r ?: pack_buf(&w.pk, &info->os_image_hash);
	r = r ?: pack_buf(&w.pk, &info->key_provider_info);
	r = r ?: msgpack_pack_array(&w.pk, info->n_init_script_hashes);
	for (size_t i = 0; r == 0 && i < info->n_init_script_hashes; i++)
		r = pack_buf(&w.pk, &info->init_script_hashes[i]);
	if (r) {
		ds_buf_free(&w.buf);
		return ds_err_ctx(w.err, "Failed to serialize app info");
	}
	*out = w.buf;
	return 0;
}

static int set_hex(json_t *obj, const char *key, const uint8_t *data, size_t len)
{
	char *hex = ds_hex_alloc(data, len);
	int bad = !hex || json_object_set_new(obj, key, json_string(hex));

	free(hex);
	return bad ? ds_err(-ENOMEM, "out of memory") : 0;
}

static int set_buf(json_t *obj, const char *key, const struct ds_buf *b)
{
	return set_hex(obj, key, b->data, b->len);
}

static int dump(json_t *obj, int r, char **out)
{
	r = r ?: ds_json_dump(obj, DS_JSON_PRETTY, out);
	json_decref(obj);
	return r;
}

int ds_app_info_new_json(const struct ds_app_info *info, char **out)
{
	json_t *obj = json_object(), *scripts = json_array();
	int r = obj && scripts ? 0 : ds_err(-ENOMEM, "out of memory");

	r = r ?: set_buf(obj, "app_id", &info->app_id);
	r = r ?: set_buf(obj, "compose_hash", &info->compose_hash);
	r = r ?: set_buf(obj, "instance_id", &info->instance_id);
	r = r ?: set_hex(obj, "device_id", info->device_id, 32);
	r = r ?: set_hex(obj, "mr_system", info->mr_system, 32);
	r = r ?: set_hex(obj, "mr_aggregated", info->mr_aggregated, 32);
	r = r ?: set_buf(obj, "os_image_hash", &info->os_image_hash);
	r = r ?: set_buf(obj, "key_provider_info", &info->key_provider_info);
	for (size_t i = 0; r == 0 && i < info->n_init_script_hashes; i++) {
		char *hex = ds_hex_alloc(info->init_script_hashes[i].data,
					 info->init_script_hashes[i].len);

		if (!hex || json_array_append_new(scripts, json_string(hex)))
			r = ds_err(-ENOMEM, "out of memory");
		free(hex);
	}
	if (r == 0 && json_object_set(obj, "init_script_hashes", scripts))
		r = ds_err(-ENOMEM, "out of memory");
	json_decref(scripts);
	return dump(obj, r, out);
}

int ds_app_info_old_json(const struct ds_app_info *info, char **out)
{
	static const char *const rtmr_keys[4] = { "rtmr0", "rtmr1", "rtmr2", "rtmr3" };
	json_t *obj = json_object();
	int r = obj ? 0 : ds_err(-ENOMEM, "out of memory");

	r = r ?: set_buf(obj, "app_id", &info->app_id);
	r = r ?: set_buf(obj, "compose_hash", &info->compose_hash);
	r = r ?: set_buf(obj, "instance_id", &info->instance_id);
	r = r ?: set_hex(obj, "device_id", info->device_id, 32);
	r = r ?: set_hex(obj, "mrtd", info->mrtd, 48);
	for (int i = 0; i < 4; i++)
		r = r ?: set_hex(obj, rtmr_keys[i], info->rtmr[i], 48);
	r = r ?: set_hex(obj, "mr_system", info->mr_system, 32);
	r = r ?: set_hex(obj, "mr_aggregated", info->mr_aggregated, 32);
	r = r ?: set_buf(obj, "os_image_hash", &info->os_image_hash);
	r = r ?: set_buf(obj, "key_provider_info", &info->key_provider_info);
	return dump(obj, r, out);
}
