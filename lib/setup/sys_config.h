/* .sys-config.json, written by the VMM (spec system-setup.md 3.2). Both
 * revisions are accepted: v0.5.4's fields plus HEAD's optional
 * collateral_urls and mr_config; host_api_url may be absent (HEAD). */
#ifndef DS_SETUP_SYS_CONFIG_H
#define DS_SETUP_SYS_CONFIG_H

#include <stddef.h>

/* HEAD's size limit of the host copy; v0.5.4 used 10 KiB. */
#define DS_SYS_CONFIG_MAX (32u << 10)

struct ds_sys_config {
	char **kms_urls;          /* NULL-terminated, possibly empty */
	size_t n_kms_urls;
	char **gateway_urls;      /* "gateway_urls" or its alias "tproxy_urls" */
	size_t n_gateway_urls;
	char *pccs_url;           /* collateral_urls.pccs, else legacy pccs_url; NULL when unset */
	char *docker_registry;    /* NULL when absent or null; may be "" */
	char *host_api_url;       /* NULL when absent or null */
	char *vm_config;          /* required; forwarded verbatim, never parsed here */
	char *mr_config;          /* [HEAD] MrConfigV3 document; NULL when absent */
	char *nvidia_attestation_proxy_url; /* [HEAD] GPU attestation only; NULL when absent */
};

int ds_sys_config_parse(const void *data, size_t len, struct ds_sys_config *out);
void ds_sys_config_free(struct ds_sys_config *cfg);

#endif
