/* http.c - see http.h. The servers of one test run on one thread: it polls the listening
 * sockets, the open connections and a wake-up pipe, reads each request (bounded sizes, a
 * per-connection deadline), answers it from the endpoint table as upstream's runner does
 * (static, echo-body, echo-headers; 404 for any other route) and closes the connection. */
#define _GNU_SOURCE
#include "http.h"
#include "ops.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* ------------------------------------------------------------------ parsing */

void http_msg_release(struct http_msg *m)
{
	for (int i = 0; i < 3; i++)
		free(m->start[i]);
	for (size_t i = 0; i < m->nheaders; i++) {
		free(m->headers[i].key);
		free(m->headers[i].value);
	}
	free(m->headers);
	for (size_t i = 0; i < m->ntrailers; i++) {
		free(m->trailers[i].key);
		free(m->trailers[i].value);
	}
	free(m->trailers);
	buf_release(&m->body);
	memset(m, 0, sizeof *m);
}

const char *http_header(const struct http_msg *m, const char *name)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (!strcasecmp(m->headers[i].key, name))
			return m->headers[i].value;
	return NULL;
}

/* The end of the line starting at p (the position of its '\n'), or NULL. */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl;
}

static char *trimmed(const char *b, const char *e)
{
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return xstrndup(b, (size_t)(e - b));
}

/* "Name: value" lines from p up to an empty line; *pp past it. -1 on a broken line. */
static int parse_fields(const char **pp, const char *end, struct kv **out, size_t *n, bool lower)
{
	const char *p = *pp;
	for (;;) {
		const char *nl = line_end(p, end);
		if (!nl)
			return 0;
		if (nl == p || (nl == p + 1 && *p == '\r')) {
			*pp = nl + 1;
			return 1;
		}
		const char *colon = memchr(p, ':', (size_t)(nl - p));
		if (!colon || colon == p)
			return -1;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		char *k = xstrndup(p, (size_t)(colon - p));
		if (lower)
			for (char *q = k; *q; q++)
				*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
		(*out)[*n].key = k;
		(*out)[(*n)++].value = trimmed(colon + 1, nl);
		p = nl + 1;
	}
}

int http_parse(struct http_msg *m, const char *buf, size_t len, bool eof, bool response, bool head_only,
	       size_t *used, char **why)
{
	http_msg_release(m);
	const char *end = buf + len, *p = buf;
	const char *nl = line_end(p, end);
	if (!nl) {
		if (len > HTTP_MAX_HEAD) {
			*why = xstrdup("the start line is too long");
			return -1;
		}
		if (eof)
			*why = xstrdup(len ? "the connection closed inside the start line" : "the connection closed without a response");
		return eof ? -1 : 0;
	}
	/* the start line: three words (a response's reason may hold spaces, or be absent) */
	const char *q = p, *le = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
	for (int i = 0; i < 3; i++) {
		const char *w = q;
		while (q < le && (i == 2 && response ? true : *q != ' '))
			q++;
		m->start[i] = xstrndup(w, (size_t)(q - w));
		if (q < le)
			q++;
	}
	if (!*m->start[0] || !*m->start[1] || (!response && !*m->start[2])) {
		*why = xasprintf("a broken %s line", response ? "status" : "request");
		return -1;
	}
	p = nl + 1;
	int r = parse_fields(&p, end, &m->headers, &m->nheaders, false);
	if (r <= 0 && (size_t)(end - buf) > HTTP_MAX_HEAD) {
		*why = xstrdup("the header is too long");
		return -1;
	}
	if (r < 0) {
		*why = xstrdup("a broken header line");
		return -1;
	}
	if (r == 0) {
		if (eof)
			*why = xstrdup("the connection closed inside the header");
		return eof ? -1 : 0;
	}
	buf_init(&m->body, 0);
	buf_adds(&m->body, "");
	const char *te = http_header(m, "transfer-encoding"), *cl = http_header(m, "content-length");
	int status = response ? atoi(m->start[1]) : 0;
	if (head_only || (response && (status / 100 == 1 || status == 204 || status == 304))) {
		*used = (size_t)(p - buf);
		return 1;
	}
	if (te && strcasestr(te, "chunked")) {
		for (;;) {
			nl = line_end(p, end);
			if (!nl)
				break;
			char *e;
			unsigned long long sz = strtoull(p, &e, 16);
			if (e == p) {
				*why = xstrdup("a broken chunk size");
				return -1;
			}
			if (sz > HTTP_MAX_BODY || m->body.len + sz > HTTP_MAX_BODY) {
				*why = xstrdup("the body is too large");
				return -1;
			}
			const char *data = nl + 1;
			if (sz == 0) {
				const char *t = data;
				r = parse_fields(&t, end, &m->trailers, &m->ntrailers, true);
				if (r < 0) {
					*why = xstrdup("a broken trailer line");
					return -1;
				}
				if (r == 0)
					break;
				*used = (size_t)(t - buf);
				return 1;
			}
			if ((size_t)(end - data) < sz + 2)
				break;
			buf_add(&m->body, data, (size_t)sz);
			p = data + sz + 2;
		}
		if (eof)
			*why = xstrdup("the connection closed inside a chunked body");
		return eof ? -1 : 0;
	}
	if (cl) {
		char *e;
		unsigned long long n = strtoull(cl, &e, 10);
		if (e == cl || *e || n > HTTP_MAX_BODY) {
			*why = xasprintf("a bad Content-Length '%s'", cl);
			return -1;
		}
		if ((size_t)(end - p) < n) {
			if (eof)
				*why = xasprintf("the connection closed after %zu of %llu body bytes", (size_t)(end - p), n);
			return eof ? -1 : 0;
		}
		buf_add(&m->body, p, (size_t)n);
		*used = (size_t)(p - buf) + (size_t)n;
		return 1;
	}
	if (!response) {	/* a request without a length has no body */
		*used = (size_t)(p - buf);
		return 1;
	}
	if ((size_t)(end - p) > HTTP_MAX_BODY) {
		*why = xstrdup("the body is too large");
		return -1;
	}
	if (!eof)
		return 0;
	buf_add(&m->body, p, (size_t)(end - p));
	*used = len;
	return 1;
}

/* ------------------------------------------------------------------ servers */

#define SRV_MAX_CONNS 8	/* at once, per test: each is a descriptor of the job */
#define SRV_CONN_SECONDS 10.0

struct conn {
	int fd;
	const struct server_spec *spec;
	struct buf in, out;
	size_t sent;
	bool replying;
	double deadline;
};

struct servers {
	const struct server_spec *specs;
	size_t n;
	int *lfd;		/* per spec: the listening socket, -1 for closed servers */
	int wake[2];
	pthread_t th;
	bool running;
	struct conn conns[SRV_MAX_CONNS];
};

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 500: return "Internal Server Error";
	default: return "Status";
	}
}

static void reply(struct conn *c, int status, const struct kv *h, size_t nh, const char *body, size_t blen,
		  bool head)
{
	buf_addf(&c->out, "HTTP/1.1 %d %s\r\n", status, reason_phrase(status));
	for (size_t i = 0; i < nh; i++)
		buf_addf(&c->out, "%s: %s\r\n", h[i].key, h[i].value);
	buf_addf(&c->out, "Content-Length: %zu\r\nConnection: close\r\n\r\n", blen);
	if (!head)
		buf_add(&c->out, body, blen);
}

static void answer(struct conn *c, const struct http_msg *rq)
{
	bool head = !strcmp(rq->start[0], "HEAD");
	const struct endpoint *ep = NULL;
	for (size_t i = 0; i < c->spec->neps && !ep; i++)
		if (!strcmp(c->spec->eps[i].method, rq->start[0]) && !strcmp(c->spec->eps[i].path, rq->start[1]))
			ep = &c->spec->eps[i];
	if (!ep) {
		reply(c, 404, NULL, 0, "", 0, head);
	} else if (ep->mode == EP_ECHO_BODY) {
		reply(c, 200, NULL, 0, rq->body.data, rq->body.len, head);
	} else if (ep->mode == EP_ECHO_HEADERS) {
		struct kv *h = xcalloc(2 + rq->nheaders + rq->ntrailers, sizeof *h);
		size_t nh = 0;
		h[nh].key = xstrdup("x-request-method");
		h[nh++].value = xstrdup(rq->start[0]);
		h[nh].key = xstrdup("x-request-path");
		h[nh++].value = xstrdup(rq->start[1]);
		/* grouped by lower-cased name, in the order names first appear (as upstream) */
		for (size_t i = 0; i < rq->nheaders; i++) {
			bool seen = false;
			for (size_t j = 0; j < i; j++)
				seen |= !strcasecmp(rq->headers[j].key, rq->headers[i].key);
			if (seen)
				continue;
			for (size_t j = i; j < rq->nheaders; j++)
				if (!strcasecmp(rq->headers[j].key, rq->headers[i].key)) {
					char *k = xasprintf("x-echo-%s", rq->headers[i].key);
					for (char *q = k; *q; q++)
						*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
					h[nh].key = k;
					h[nh++].value = xstrdup(rq->headers[j].value);
				}
		}
		for (size_t i = 0; i < rq->ntrailers; i++) {
			h[nh].key = xasprintf("x-trailer-%s", rq->trailers[i].key);
			h[nh++].value = xstrdup(rq->trailers[i].value);
		}
		reply(c, 200, h, nh, "", 0, head);
		for (size_t i = 0; i < nh; i++) {
			free(h[i].key);
			free(h[i].value);
		}
		free(h);
	} else if (!ep->chunked) {
		reply(c, ep->status, ep->headers, ep->nheaders, ep->body, ep->body_len, head);
	} else {
		buf_addf(&c->out, "HTTP/1.1 %d %s\r\n", ep->status, reason_phrase(ep->status));
		for (size_t i = 0; i < ep->nheaders; i++)
			buf_addf(&c->out, "%s: %s\r\n", ep->headers[i].key, ep->headers[i].value);
		buf_adds(&c->out, "Transfer-Encoding: chunked\r\n");
		if (ep->ntrailers) {
			buf_adds(&c->out, "Trailer: ");
			for (size_t i = 0; i < ep->ntrailers; i++)
				buf_addf(&c->out, "%s%s", i ? ", " : "", ep->trailers[i].key);
			buf_adds(&c->out, "\r\n");
		}
		buf_adds(&c->out, "Connection: close\r\n\r\n");
		if (!head) {
			for (size_t i = 0; i < ep->chunks.n; i++) {
				size_t l = strlen(ep->chunks.v[i]);
				if (!l)
					continue;	/* an empty chunk would end the body */
				buf_addf(&c->out, "%zx\r\n", l);
				buf_add(&c->out, ep->chunks.v[i], l);
				buf_adds(&c->out, "\r\n");
			}
			buf_adds(&c->out, "0\r\n");
			for (size_t i = 0; i < ep->ntrailers; i++)
				buf_addf(&c->out, "%s: %s\r\n", ep->trailers[i].key, ep->trailers[i].value);
			buf_adds(&c->out, "\r\n");
		}
	}
	c->replying = true;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	buf_release(&c->in);
	buf_release(&c->out);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

/* Reads what is there; answers once the request is complete. false: close it. */
static bool conn_read(struct conn *c)
{
	char chunk[16384];
	ssize_t n = read(c->fd, chunk, sizeof chunk);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n > 0) {
		if (c->in.len + (size_t)n > HTTP_MAX_HEAD + HTTP_MAX_BODY + 1024)
			return false;
		buf_add(&c->in, chunk, (size_t)n);
	}
	struct http_msg rq = { 0 };
	size_t used = 0;
	char *why = NULL;
	int r = http_parse(&rq, c->in.data ? c->in.data : "", c->in.len, n <= 0, false, false, &used, &why);
	free(why);
	bool keep = n > 0;	/* a closed or failed connection is kept only to answer it */
	if (r > 0) {
		answer(c, &rq);
		keep = true;
	} else if (r < 0 && n > 0) {
		reply(c, 400, NULL, 0, "", 0, false);
		c->replying = true;
	}
	http_msg_release(&rq);
	return keep;
}

static bool conn_write(struct conn *c)
{
	ssize_t n = write(c->fd, c->out.data + c->sent, c->out.len - c->sent);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	c->sent += (size_t)n;
	if (c->sent < c->out.len)
		return true;
	shutdown(c->fd, SHUT_WR);
	return false;
}

static void *serve(void *arg)
{
	struct servers *s = arg;
	for (;;) {
		struct pollfd pf[1 + OPS_MAX_SERVERS + SRV_MAX_CONNS];
		int who[1 + OPS_MAX_SERVERS + SRV_MAX_CONNS], np = 0;
		pf[np] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
		who[np++] = -1;
		bool room = false;
		for (int i = 0; i < SRV_MAX_CONNS; i++)
			room |= s->conns[i].fd < 0;
		for (size_t i = 0; room && i < s->n && i < OPS_MAX_SERVERS; i++)
			if (s->lfd[i] >= 0) {
				pf[np] = (struct pollfd){ .fd = s->lfd[i], .events = POLLIN };
				who[np++] = 1000 + (int)i;
			}
		double now = now_seconds(), next = 1.0;
		for (int i = 0; i < SRV_MAX_CONNS; i++) {
			struct conn *c = &s->conns[i];
			if (c->fd < 0)
				continue;
			if (now > c->deadline) {
				conn_close(c);
				continue;
			}
			if (c->deadline - now < next)
				next = c->deadline - now;
			pf[np] = (struct pollfd){ .fd = c->fd, .events = c->replying ? POLLOUT : POLLIN };
			who[np++] = i;
		}
		int pr = poll(pf, (nfds_t)np, (int)(next * 1000) + 1);
		if (pr < 0 && errno != EINTR)
			break;
		if (pr <= 0)
			continue;
		if (pf[0].revents)
			break;
		for (int k = 1; k < np; k++) {
			if (!pf[k].revents)
				continue;
			if (who[k] >= 1000) {
				int fd = accept4(s->lfd[who[k] - 1000], NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (fd < 0)
					continue;
				int slot = -1;
				for (int i = 0; i < SRV_MAX_CONNS && slot < 0; i++)
					if (s->conns[i].fd < 0)
						slot = i;
				if (slot < 0) {
					close(fd);
					continue;
				}
				struct conn *c = &s->conns[slot];
				c->fd = fd;
				c->spec = &s->specs[who[k] - 1000];
				c->deadline = now_seconds() + SRV_CONN_SECONDS;
				continue;
			}
			struct conn *c = &s->conns[who[k]];
			bool keep = c->replying ? conn_write(c) : conn_read(c);
			if (keep && c->replying && c->sent == 0)
				keep = conn_write(c);
			if (!keep)
				conn_close(c);
		}
	}
	return NULL;
}

static int listen_local(int *port, bool keep, char **why)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0 || (keep && listen(fd, 16) < 0)) {
		*why = xasprintf("cannot open a test server on 127.0.0.1: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	if (!keep) {
		close(fd);
		return -2;
	}
	return fd;
}

int servers_start(const struct server_spec *specs, size_t n, struct servers **out, char ***addrs, char **why)
{
	struct servers *s = xcalloc(1, sizeof *s);
	s->specs = specs;
	s->n = n;
	s->lfd = xcalloc(n + 1, sizeof *s->lfd);
	s->wake[0] = s->wake[1] = -1;
	for (int i = 0; i < SRV_MAX_CONNS; i++)
		s->conns[i].fd = -1;
	*addrs = xcalloc(n + 1, sizeof **addrs);
	*out = s;
	for (size_t i = 0; i < n; i++) {
		int port = 0;
		s->lfd[i] = listen_local(&port, !specs[i].closed, why);
		if (s->lfd[i] == -1) {
			for (size_t j = i + 1; j < n; j++)
				s->lfd[j] = -1;
			return -1;
		}
		if (s->lfd[i] == -2)
			s->lfd[i] = -1;
		(*addrs)[i] = xasprintf("127.0.0.1:%d", port);
	}
	if (pipe2(s->wake, O_CLOEXEC) < 0) {
		*why = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	if (pthread_create(&s->th, NULL, serve, s) != 0) {
		*why = xstrdup("cannot start the test servers' thread");
		return -1;
	}
	s->running = true;
	return 0;
}

void servers_stop(struct servers *s)
{
	if (!s)
		return;
	if (s->running) {
		ssize_t w = write(s->wake[1], "x", 1);
		(void)w;
		pthread_join(s->th, NULL);
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->lfd[i] >= 0)
			close(s->lfd[i]);
	for (int i = 0; i < SRV_MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			conn_close(&s->conns[i]);
	for (int i = 0; i < 2; i++)
		if (s->wake[i] >= 0)
			close(s->wake[i]);
	free(s->lfd);
	free(s);
}
