/* http.h - the HTTP/1.1 the harness speaks with guests: message parsing (bounded, for
 * the test servers' requests and the responses of a guest's service) and the test
 * servers themselves (struct servers: listening sockets on 127.0.0.1 with kernel-chosen
 * ports, served by one thread per test until servers_stop()). Only what tests need:
 * Content-Length and chunked bodies (with trailers), one request per connection. */
#ifndef WM_HTTP_H
#define WM_HTTP_H

#include "model.h"

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_HEAD (64 * 1024)
#define HTTP_MAX_BODY (16 * 1024 * 1024)

struct http_msg {
	char *start[3];		/* request: method, target, version; response: version, status, reason */
	struct kv *headers;	/* names as sent; compare case-insensitively */
	size_t nheaders;
	struct buf body;
	struct kv *trailers;	/* names lower-cased */
	size_t ntrailers;
};

/* Parses a message from buf[0..len). 1: complete (*used = its length); 0: needs more
 * bytes (eof: there will be none, so a response without a length ends here); -1: broken,
 * with *why (malloc'd). 'response' changes the start line and allows a body read to EOF;
 * 'head_only' (a response to HEAD) has no body. */
int http_parse(struct http_msg *m, const char *buf, size_t len, bool eof, bool response, bool head_only,
	       size_t *used, char **why);
void http_msg_release(struct http_msg *m);
/* The first header named 'name' (case-insensitive), or NULL. */
const char *http_header(const struct http_msg *m, const char *name);

struct server_spec;
struct servers;
/* Starts the test's servers. addrs[i] is "127.0.0.1:PORT" for specs[i] (malloc'd, the
 * caller frees them and the array): a listening socket, or for a closed server a port
 * that was bound and released, so connecting is refused. 0, or -1 with *why. */
int servers_start(const struct server_spec *specs, size_t n, struct servers **out, char ***addrs, char **why);
/* Stops serving, closes every socket and joins the thread; NULL is fine. */
void servers_stop(struct servers *s);

#endif
