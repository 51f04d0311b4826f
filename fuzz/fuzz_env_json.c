/* The decrypted env JSON, filtered and rendered to both output formats. */
#include <stddef.h>
#include <stdint.h>

#include "crypto/env_vars.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "FOO", "Q", "A", "B", "_x", "1BAD" };
	static const struct ds_env_allowed allowed = { names, 6 };
	struct ds_buf shell, json;
	struct ds_env_map map;

	ds_log_set_level(DS_LOG_OFF);
	if (ds_env_parse(data, size, &allowed, &map))
		return 0;
	if (ds_env_render_shell(&map, &shell) == 0)
		ds_buf_wipe(&shell);
	if (ds_env_render_json(&map, &json) == 0)
		ds_buf_wipe(&json);
	ds_env_map_free(&map);
	return 0;
}
