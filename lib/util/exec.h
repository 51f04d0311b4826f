/* Running external tools the way setup must: fork and exec with an argument
 * vector (no shell, so nothing is re-parsed), stdin from /dev/null and
 * stdout sent to stderr so that a tool never writes into our own output.
 * Secrets never go into argv. */
#ifndef DS_UTIL_EXEC_H
#define DS_UTIL_EXEC_H

/* Runs argv[0] (searched in PATH) and waits; *exit_code is its exit status,
 * or 128 + signal when it was killed. Failing to start it (e.g. not
 * installed) is an error "Failed to run NAME: ...". */
int ds_exec_status(const char *const argv[], int *exit_code);
/* The same, and any exit status but 0 is an error "NAME exited with N". */
int ds_exec(const char *const argv[]);
/* Whether argv0 can be found in PATH (or is an executable path). */
int ds_exec_available(const char *argv0);

#endif
