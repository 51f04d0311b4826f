/* How a plain (unquoted, untagged) YAML scalar resolves. libyaml gives every
 * untagged scalar the string tag, so deciding whether `123` or `true` is a
 * string is left to us. The rules cover the YAML 1.2 core schema and what
 * common resolvers (yaml-rust2, Go's yaml.v3) add on top of it, because a
 * key they read as a number may be spelt differently once it is turned back
 * into a service name. */
#ifndef DS_COMPOSE_SCALAR_H
#define DS_COMPOSE_SCALAR_H

#include <stddef.h>

/* ``, `~`, `null`, `Null`, `NULL`. */
int ds_yaml_plain_is_null(const char *s, size_t len);
/* 1 when the plain scalar is a string for every resolver we know: not null,
 * not a boolean (`true`, `False`, ...), not a number (`12`, `0x1f`, `0o7`,
 * `0b1`, `1_000`, `1.5e3`, `.inf`, `nan`, ...). */
int ds_yaml_plain_is_string(const char *s, size_t len);

#endif
