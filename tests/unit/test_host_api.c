/* hostapi: Notify and GetSealingKey against the mock host API (a Python
 * process on a Unix socket), and the behaviour without a host API. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostapi/host_api.h"
#include "util/err.h"
#include "util/file.h"

struct mock {
	pid_t pid;
	char dir[64], sock[96], log[96], behaviour[96], url[104];
};

/* tests/unit/<this file> -> tests/mocks/host_api_mock.py */
static void mock_script(char *out, size_t size)
{
	char here[PATH_MAX];

	snprintf(here, sizeof(here), "%s", __FILE__);
	snprintf(out, size, "%s/../mocks/host_api_mock.py", dirname(here));
}

static int start_mock(void **state)
{
	struct mock *m = calloc(1, sizeof(*m));
	char script[PATH_MAX];
	struct stat st;

	strcpy(m->dir, "/tmp/ds-hostapi.XXXXXX");
	assert_non_null(mkdtemp(m->dir));
	snprintf(m->sock, sizeof(m->sock), "%s/host.sock", m->dir);
	snprintf(m->log, sizeof(m->log), "%s/requests.log", m->dir);
	snprintf(m->behaviour, sizeof(m->behaviour), "%s/behaviour.json", m->dir);
	snprintf(m->url, sizeof(m->url), "unix:%s", m->sock);
	mock_script(script, sizeof(script));
	m->pid = fork();
	assert_true(m->pid >= 0);
	if (m->pid == 0) {
		execlp("python3", "python3", script, "--log", m->log, "--unix", m->sock,
		       "--behaviour", m->behaviour, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && stat(m->sock, &st) < 0; i++)
		usleep(50000);
	assert_int_equal(stat(m->sock, &st), 0);
	*state = m;
	return 0;
}

static int stop_mock(void **state)
{
	struct mock *m = *state;
	char cmd[128];

	kill(m->pid, SIGTERM);
	waitpid(m->pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", m->dir);
	assert_int_equal(system(cmd), 0);
	free(m);
	return 0;
}

static void behave(struct mock *m, const char *json)
{
	assert_int_equal(ds_write_file_atomic(m->behaviour, json, strlen(json), 0644), 0);
}

/* The last request the mock recorded, as one JSON line. */
static json_t *last_request(struct mock *m)
{
	struct ds_buf log = { 0 };
	json_t *v;
	char *line;

	assert_int_equal(ds_read_file(m->log, 1 << 20, &log), 0);
	assert_true(log.len > 0);
	log.data[log.len - 1] = '\0';
	line = strrchr((char *)log.data, '\n');
	v = json_loads(line ? line + 1 : (char *)log.data, 0, NULL);
	assert_non_null(v);
	ds_buf_free(&log);
	return v;
}

static void test_notify(void **state)
{
	struct mock *m = *state;
	struct ds_host_api api;
	json_t *req;

	assert_int_equal(ds_host_api_init(&api, m->url), 0);
	assert_int_equal(ds_host_api_notify(&api, "boot.progress", "setting up docker"), 0);
	req = last_request(m);
	assert_string_equal(json_string_value(json_object_get(req, "path")), "/Notify?json");
	assert_string_equal(json_string_value(json_object_get(req, "body")),
			    "{\"event\":\"boot.progress\",\"payload\":\"setting up docker\"}");
	json_decref(req);
	/* A payload that is not UTF-8 cannot be sent as a JSON string. */
	assert_int_not_equal(ds_host_api_notify(&api, "e", "\xff"), 0);
	behave(m, "{\"status\":500,\"body\":\"{\\\"error\\\":\\\"down\\\"}\"}");
	assert_int_not_equal(ds_host_api_notify(&api, "e", "p"), 0);
	assert_string_equal(ds_err_msg(1), "server said: down");
	/* setup's notifications never fail; the error is logged and forgotten. */
	ds_host_api_notify_quiet(&api, "boot.progress", "x");
	assert_int_equal(ds_err_depth(), 0);
	ds_host_api_free(&api);
}

static void test_get_sealing_key(void **state)
{
	struct mock *m = *state;
	struct ds_buf key, quote;
	struct ds_host_api api;
	json_t *req;

	assert_int_equal(ds_host_api_init(&api, m->url), 0);
	/* Fixed bytes: the transport is under test here, not the provider. */
	behave(m, "{\"status\":200,\"body\":\"{\\\"encrypted_key\\\":\\\"abababab\\\","
		  "\\\"provider_quote\\\":\\\"0xcdcdcd\\\"}\"}");
	assert_int_equal(ds_host_api_get_sealing_key(&api, (const uint8_t *)"\x01\xfe", 2, &key, &quote), 0);
	req = last_request(m);
	assert_string_equal(json_string_value(json_object_get(req, "path")), "/GetSealingKey?json");
	assert_string_equal(json_string_value(json_object_get(req, "body")), "{\"quote\":\"01fe\"}");
	json_decref(req);
	assert_int_equal(key.len, 4);
	assert_int_equal(key.data[0], 0xab);
	assert_int_equal(quote.len, 3);   /* the reply has a 0x prefix */
	assert_int_equal(quote.data[2], 0xcd);
	ds_buf_wipe(&key);
	ds_buf_free(&quote);

	behave(m, "{\"status\":200,\"body\":\"{\\\"encrypted_key\\\":\\\"ab\\\"}\"}");
	assert_int_not_equal(ds_host_api_get_sealing_key(&api, (const uint8_t *)"q", 1, &key, &quote), 0);
	assert_string_equal(ds_err_msg(0), "Failed to get sealing key");
	assert_non_null(strstr(ds_err_msg(1), "lacks encrypted_key or provider_quote"));
	assert_null(key.data);
	behave(m, "{\"status\":200,\"body\":\"null\"}");
	assert_int_not_equal(ds_host_api_get_sealing_key(&api, (const uint8_t *)"q", 1, &key, &quote), 0);
	behave(m, "{\"status\":200,\"body\":\"{\\\"encrypted_key\\\":\\\"zz\\\",\\\"provider_quote\\\":\\\"aa\\\"}\"}");
	assert_int_not_equal(ds_host_api_get_sealing_key(&api, (const uint8_t *)"q", 1, &key, &quote), 0);
	behave(m, "{\"status\":200,\"body\":\"x\",\"repeat\":1048577}");
	assert_int_not_equal(ds_host_api_get_sealing_key(&api, (const uint8_t *)"q", 1, &key, &quote), 0);
	ds_host_api_free(&api);
}

static void test_without_host_api(void **state)
{
	struct ds_buf key, quote;
	struct ds_host_api api;

	(void)state;
	assert_int_equal(ds_host_api_init(&api, NULL), 0);
	assert_int_equal(api.enabled, 0);
	assert_int_equal(ds_host_api_notify(&api, "boot.progress", "x"), 0);
	assert_int_equal(ds_host_api_get_sealing_key(&api, (const uint8_t *)"q", 1, &key, &quote),
			 -ENOTCONN);
	assert_string_equal(ds_err_msg(0), "Host API client not initialized");
	ds_host_api_free(&api);
	assert_int_not_equal(ds_host_api_init(&api, "tcp://host"), 0);
	assert_string_equal(ds_err_msg(0), "invalid host API URL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_notify, start_mock, stop_mock),
		cmocka_unit_test_setup_teardown(test_get_sealing_key, start_mock, stop_mock),
		cmocka_unit_test(test_without_host_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
