#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static enum ds_log_level current = DS_LOG_INFO;

static const char *const names[] = { "OFF", "ERROR", "WARN", "INFO", "DEBUG" };

static int parse_level(const char *s, size_t n, enum ds_log_level *out)
{
	static const struct { const char *name; enum ds_log_level level; } table[] = {
		{ "off", DS_LOG_OFF }, { "error", DS_LOG_ERROR }, { "warn", DS_LOG_WARN },
		{ "info", DS_LOG_INFO }, { "debug", DS_LOG_DEBUG }, { "trace", DS_LOG_DEBUG },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strlen(table[i].name) == n && strncasecmp(s, table[i].name, n) == 0) {
			*out = table[i].level;
			return 0;
		}
	}
	return -1;
}

enum ds_log_level ds_log_parse(const char *rust_log)
{
	enum ds_log_level level = DS_LOG_INFO, targeted = DS_LOG_OFF;
	int have_targeted = 0;
	const char *p = rust_log;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);
		enum ds_log_level parsed;

		if (!eq) {
			if (parse_level(p, n, &parsed) == 0)
				level = parsed;
		} else if (strncmp(p, "dstack", 6) == 0 &&
			   parse_level(eq + 1, n - (size_t)(eq + 1 - p), &parsed) == 0) {
			targeted = parsed;
			have_targeted = 1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return have_targeted ? targeted : level;
}

void ds_log_init(void)
{
	current = ds_log_parse(getenv("RUST_LOG"));
}

void ds_log_set_level(enum ds_log_level level)
{
	current = level;
}

int ds_log_enabled(enum ds_log_level level)
{
	return level != DS_LOG_OFF && level <= current;
}

void ds_log(enum ds_log_level level, const char *step, const char *fmt, ...)
{
	char line[1024], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (!ds_log_enabled(level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per line so that concurrent processes do not interleave. */
	fprintf(stderr, "%s.%03ldZ %5s %s: %s\n", stamp, ts.tv_nsec / 1000000,
		names[level], step, line);
}
