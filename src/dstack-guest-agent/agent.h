/* dstack-guest-agent: the Unix socket it listens on and the HTTP server
 * (libmicrohttpd) that hands each request to lib/agentd. */
#ifndef DS_GUEST_AGENT_H
#define DS_GUEST_AGENT_H

#include <sys/stat.h>
#include <sys/types.h>

#include "agentd/agentd.h"

/* Binds and listens on a Unix socket at path with the given mode. A stale
 * socket is replaced; a live one (something accepts on it) or any file that
 * is not a socket is an error. *ino identifies the socket for removal. */
int agent_listen(const char *path, mode_t mode, int *fd, ino_t *ino);
/* Removes path if it is still the socket agent_listen made. */
void agent_unlisten(const char *path, ino_t ino);

struct agent_server_opts {
	unsigned threads;          /* worker threads (internal epoll each) */
	unsigned max_connections;
	unsigned timeout_s;        /* idle connection timeout */
	unsigned drain_s;          /* longest wait for requests in flight at shutdown */
};

struct agent_server;

/* Serves a on fd (taken over) until agent_server_stop. */
int agent_server_start(const struct ds_agentd *a, int fd, const struct agent_server_opts *o,
		       struct agent_server **out);
/* Stops accepting (the listening socket is closed), waits up to drain_s for
 * the requests in flight, then closes every connection. */
void agent_server_stop(struct agent_server *s);

#endif
