#include "util/msgpack.h"

#include <string.h>

static int write_buf(void *data, const char *p, size_t len)
{
	struct ds_mp_writer *w = data;

	w->err = ds_buf_append(&w->buf, p, len, w->max);
	return w->err ? -1 : 0;
}

void ds_mp_writer_init(struct ds_mp_writer *w, size_t max)
{
	w->buf = (struct ds_buf){ 0 };
	w->max = max;
	w->err = 0;
	msgpack_packer_init(&w->pk, w, write_buf);
}

int ds_mp_pack_cstr(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);

	return msgpack_pack_str(pk, n) ?: msgpack_pack_str_body(pk, s, n);
}

int ds_mp_pack_u8_array(msgpack_packer *pk, const uint8_t *data, size_t len)
{
	int r = msgpack_pack_array(pk, len);

	for (size_t i = 0; i < len && r == 0; i++)
		r = msgpack_pack_uint8(pk, data[i]);
	return r;
}

int ds_mp_pack_bin(msgpack_packer *pk, const uint8_t *data, size_t len)
{
	return msgpack_pack_bin(pk, len) ?: msgpack_pack_bin_body(pk, data, len);
}
