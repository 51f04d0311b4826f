/* GpuInfo (spec guest-agent-api.md 2.9): the NVIDIA attestation output
 * saved at boot, passed through as a string; "" when there is none. It is
 * authenticated only by the gpu-attestation runtime event, so it is served
 * verbatim or not at all: a file too large or not UTF-8 is an error, not
 * a quiet "" (upstream answers "" for any unreadable file). */
#include "agentd/request.h"
#include "util/err.h"
#include "util/file.h"
#include "util/utf8.h"

#include <errno.h>

/* Upstream's GPU_ATTESTATION_OUTPUT; tests point DSTACK_GPU_ATTESTATION_FILE
 * elsewhere. */
#define GPU_ATTESTATION_PATH "/run/nvidia-gpu-attestation/attestation.out"
#define GPU_ATTESTATION_MAX (1u << 20)

static int read_output(struct ds_buf *out)
{
	const char *path;
	int r = ds_env_path("DSTACK_GPU_ATTESTATION_FILE", &path);

	if (r)
		return r;
	if (!path)
		path = GPU_ATTESTATION_PATH;
	r = ds_read_file(path, GPU_ATTESTATION_MAX, out);
	if (r == -ENOENT) {
		ds_err_clear();
		return 0;
	}
	if (r)
		return ds_err_ctx(r, "Failed to read the GPU attestation output %s", path);
	if (!ds_utf8_valid(out->data, out->len))
		return ds_err(-EBADMSG, "the GPU attestation output %s is not UTF-8", path);
	return 0;
}

int ds_agentd_gpu_info(const struct ds_agentd *a, const struct ds_agentd_req *req, json_t **out)
{
	struct ds_buf text = { 0 };
	int r;

	(void)a;
	(void)req;
	r = read_output(&text);
	if (r == 0) {
		*out = json_pack("{s:s%}", "attestation", text.data ? (const char *)text.data : "",
				 text.len);
		r = *out ? 0 : ds_err(-ENOMEM, "out of memory");
	}
	ds_buf_free(&text);
	return r;
}
