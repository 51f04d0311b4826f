/* Decrypted environment variables (spec crypto-and-certs.md 4.3-4.6): the
 * JSON payload, the allowed-env filter and name rules, and the two files
 * setup writes, .decrypted-env (shell-like) and .decrypted-env.json. */
#ifndef DS_CRYPTO_ENV_VARS_H
#define DS_CRYPTO_ENV_VARS_H

#include <stddef.h>
#include <stdint.h>

#include "setup/shared_files.h"
#include "util/buf.h"

#define DS_ENV_MAX_ITEMS 1024
#define DS_ENV_MAX_KEY_LEN 255
#define DS_ENV_MAX_VALUE_LEN (128u * 1024u)
#define DS_ENV_MAX_TOTAL (1024u * 1024u)


struct ds_env_var {
	char *key;        /* NUL-terminated, matches [A-Za-z_][A-Za-z0-9_]* */
	char *value;      /* NUL-terminated for convenience; may contain NUL */
	size_t value_len;
};

/* Variables sorted by key in byte order, keys unique. Values are secrets:
 * ds_env_map_free wipes them. */
struct ds_env_map {
	struct ds_env_var *items;
	size_t len;
};

/* The list of names an app allows (app-compose allowed_envs). */
struct ds_env_allowed {
	const char *const *names;
	size_t len;
};

/* Whether key (len bytes) matches ^[a-zA-Z_][a-zA-Z0-9_]*$ as a whole. */
int ds_env_key_valid(const char *key, size_t len);
/* Parses {"env":[{"key":K,"value":V},...]} and keeps the allowed entries in
 * the upstream order of checks: count, allowed (others skipped with a
 * warning), key length, value length, name rule, total size; a later
 * duplicate overwrites an earlier one. */
int ds_env_parse(const uint8_t *json, size_t len, const struct ds_env_allowed *allowed,
		 struct ds_env_map *out);
/* Setup's env step: empty env_crypt_key or empty envelope give an empty map;
 * otherwise the key must be 32 bytes, the envelope must open and parse. */
int ds_env_unseal(const uint8_t *env_crypt_key, size_t key_len, const uint8_t *envelope,
		  size_t envelope_len, const struct ds_env_allowed *allowed,
		  struct ds_env_map *out);
void ds_env_map_free(struct ds_env_map *m);

/* KEY=ESC(value)\n lines, upstream's quoting (4.6). */
int ds_env_render_shell(const struct ds_env_map *m, struct ds_buf *out);
/* Compact JSON object, keys in order, serde_json escaping. */
int ds_env_render_json(const struct ds_env_map *m, struct ds_buf *out);
/* Writes dir/.decrypted-env and dir/.decrypted-env.json, each 0600 and
 * atomically; if the second fails the first is removed again. */
int ds_env_write_files(const char *dir, const struct ds_env_map *m);

#endif
