/* One small leveled logger: one line per event on stderr, tagged with the
 * step it belongs to. The level comes from RUST_LOG, as upstream. Never pass
 * a secret to it. */
#ifndef DS_UTIL_LOG_H
#define DS_UTIL_LOG_H

enum ds_log_level { DS_LOG_OFF, DS_LOG_ERROR, DS_LOG_WARN, DS_LOG_INFO, DS_LOG_DEBUG };

/* Reads RUST_LOG: a bare level ("debug") or "target=level" directives whose
 * target starts with "dstack" (e.g. "warn,dstack_util=debug"). Default info. */
void ds_log_init(void);
void ds_log_set_level(enum ds_log_level level);
enum ds_log_level ds_log_parse(const char *rust_log);
int ds_log_enabled(enum ds_log_level level);
void ds_log(enum ds_log_level level, const char *step, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define ds_error_log(step, ...) ds_log(DS_LOG_ERROR, step, __VA_ARGS__)
#define ds_warn(step, ...) ds_log(DS_LOG_WARN, step, __VA_ARGS__)
#define ds_info(step, ...) ds_log(DS_LOG_INFO, step, __VA_ARGS__)
#define ds_debug(step, ...) ds_log(DS_LOG_DEBUG, step, __VA_ARGS__)

#endif
