#include "setup/gpu_gate.h"
#include "util/err.h"
#include "util/file.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* The sysfs attribute dir/dev/name, trimmed, into text (size 32). */
static int read_attr(const char *dir, const char *dev, const char *name, char text[32])
{
	struct ds_buf b = { 0 };
	char path[PATH_MAX];
	size_t n;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", dir, dev, name) >= sizeof(path))
		return ds_err(-ENAMETOOLONG, "PCI device path too long");
	r = ds_read_file(path, 31, &b);
	if (r)
		return ds_err_ctx(r, "failed to read %s", path);
	n = b.len;
	memcpy(text, b.data, n);
	ds_buf_free(&b);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		n--;
	text[n] = '\0';
	return 0;
}

static int count_device(const char *dir, const char *dev, struct ds_gpu_inventory *inv)
{
	char class[32], vendor[32];
	int r = read_attr(dir, dev, "class", class);

	if (r || (strncmp(class, "0x0300", 6) && strncmp(class, "0x0302", 6)))
		return r;
	inv->total++;
	r = read_attr(dir, dev, "vendor", vendor);
	if (r == 0 && !strcmp(vendor, "0x10de"))
		inv->nvidia++;
	return r;
}

int ds_gpu_inventory_at(const char *dir, struct ds_gpu_inventory *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	*out = (struct ds_gpu_inventory){ 0 };
	if (!d)
		return ds_err(-errno, "failed to enumerate PCI devices: %s: %s", dir, strerror(errno));
	while (r == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.')
			r = count_device(dir, e->d_name, out);
	closedir(d);
	return r;
}

int ds_gpu_gate(const struct ds_gpu_policy *policy, const struct ds_gpu_inventory *inv)
{
	if (policy->rego)
		return ds_err(-ENOTSUP, "requirements.gpu_policy.rego is not supported by this "
			      "dstack-util (it cannot evaluate Rego policies)");
	if (!policy->attest_gpu)
		return inv->nvidia ? ds_err(-ENOTSUP, "setting the GPU ready state without "
					    "attestation is not supported by this dstack-util "
					    "(%u NVIDIA GPUs attached)", inv->nvidia) : 0;
	if (inv->total != inv->nvidia)
		return ds_err(-EPERM, "unsupported non-NVIDIA GPU attached: found %u display GPUs, "
			      "%u NVIDIA", inv->total, inv->nvidia);
	if (inv->nvidia)
		return ds_err(-ENOTSUP, "GPU attestation is not supported by this dstack-util "
			      "(%u NVIDIA GPUs attached)", inv->nvidia);
	return 0;
}
