/* ops.c - see ops.h and docs/wasi-testsuite.md. Parsing follows upstream's runner
 * (test_case.py: the operation types, their defaults, the validator's process and stream
 * rules); running is a hook into exec_run (exec.h): after every poll round the current
 * step advances as far as it can without blocking, on the output read so far, the
 * guest's stdin, and non-blocking sockets of its own that wake the poll. */
#define _GNU_SOURCE
#include "ops.h"
#include "http.h"
#include "judge.h"
#include "load.h"
#include "wasm.h"
#include "ynode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const op_names[] = { "run", "wait", "read", "write", "kill", "connect", "send", "recv",
	"request" };
/* the keys each step reads (others are warned about and ignored, as upstream ignores them) */
static const char *const op_keys[][8] = {
	[OP_RUN] = { "type", "args", "env", "root", "dirs" },
	[OP_WAIT] = { "type", "exit_code" },
	[OP_READ] = { "type", "id", "payload" },
	[OP_WRITE] = { "type", "id", "payload" },
	[OP_KILL] = { "type", "signal" },
	[OP_CONNECT] = { "type", "id", "protocol_type" },
	[OP_SEND] = { "type", "id", "payload" },
	[OP_RECV] = { "type", "id", "payload" },
	[OP_REQUEST] = { "type", "method", "path", "headers", "body", "response" },
};
static const char *const response_keys[] = { "status", "headers", "body" };
static const char *const server_keys[] = { "name", "kind", "endpoints" };
static const char *const endpoint_keys[] = { "method", "path", "mode", "response" };
static const char *const ep_response_keys[] = { "status", "headers", "body", "chunks", "trailers" };
static const char *const http_methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };
static const char *const ep_modes[] = { "static", "echo-body", "echo-headers" };
static const char *const wasi_versions[] = { "wasm32-wasip1", "wasm32-wasip2", "wasm32-wasip3" };
static const char *const worlds[] = { "wasi:cli/command", "wasi:http/service" };
static const char *const proposal_names[] = { "http", "sockets" };

/* ------------------------------------------------------------------ model */

static void kv_free(struct kv *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void ops_release(struct test_ops *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++) {
		struct op *p = &o->v[i];
		free(p->id);
		free(p->payload);
		free(p->method);
		free(p->path);
		free(p->body);
		kv_free(p->headers, p->nheaders);
		kv_free(p->resp_headers, p->nresp_headers);
		free(p->resp_body);
	}
	free(o->v);
	for (size_t i = 0; i < o->nservers; i++) {
		struct server_spec *s = &o->servers[i];
		free(s->name);
		free(s->env);
		for (size_t j = 0; j < s->neps; j++) {
			struct endpoint *e = &s->eps[j];
			free(e->method);
			free(e->path);
			kv_free(e->headers, e->nheaders);
			free(e->body);
			strvec_release(&e->chunks);
			kv_free(e->trailers, e->ntrailers);
		}
		free(s->eps);
	}
	free(o->servers);
	free(o);
}

struct test_ops *ops_of(struct test *t)
{
	if (!t->ops)
		t->ops = xcalloc(1, sizeof *t->ops);
	return t->ops;
}

/* ------------------------------------------------------------------ parsing */

static void warn_keys(const struct ynode *map, const char *file, const char *ctx, const char *const *known,
		      size_t n, struct diag *d)
{
	for (size_t i = 0; i < YMAP_PAIRS(map); i++) {
		const struct ynode *k = YMAP_KEY(map, i);
		bool found = false;
		for (size_t j = 0; j < n && known[j]; j++)
			found |= !strcmp(k->str, known[j]);
		if (!found)
			diag_add(d, DIAG_WARNING, file, k->line, k->col, 1,
				 "unknown key '%s' in %s, ignored (as upstream's runner does)", k->str, ctx);
	}
}

/* A token for a request line or header name: no spaces, no control characters. */
static bool token_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == ':')
			return false;
	return true;
}

static bool field_value_ok(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return false;
	return true;
}

static bool get_bytes(const struct ynode *op, const char *key, const char *file, struct diag *d, char **out,
		      size_t *len)
{
	const struct ynode *v = ynode_get(op, key);
	const char *p = "";
	size_t n = 0;
	if (v && !ynode_bytes(v, file, key, d, &p, &n))
		return false;
	*out = xmalloc(n + 1);
	memcpy(*out, p, n);
	(*out)[n] = 0;
	*len = n;
	return true;
}

static bool get_str(const struct ynode *op, const char *key, const char *dflt, const char *file, struct diag *d,
		    char **out)
{
	const struct ynode *v = ynode_get(op, key);
	const char *s = dflt;
	if (v && !ynode_str(v, file, key, d, &s))
		return false;
	*out = xstrdup(s);
	return true;
}

/* A map of strings to strings (HTTP headers): names are tokens, values one line. */
static bool get_fields(const struct ynode *n, const char *file, const char *what, struct diag *d, struct kv **out,
		       size_t *nout)
{
	if (!ynode_expect(n, YN_MAP, file, what, d))
		return false;
	bool ok = true;
	*out = xcalloc(YMAP_PAIRS(n) + 1, sizeof **out);
	for (size_t i = 0; i < YMAP_PAIRS(n); i++) {
		const struct ynode *k = YMAP_KEY(n, i), *v = YMAP_VAL(n, i);
		const char *val;
		if (!token_ok(k->str)) {
			diag_error(d, file, k->line, k->col, "%s: '%s' is not a header name", what, k->str);
			ok = false;
			continue;
		}
		if (!ynode_str(v, file, "a header value", d, &val)) {
			ok = false;
			continue;
		}
		if (!field_value_ok(val)) {
			diag_error(d, file, v->line, v->col, "%s: a header value cannot hold a line break", what);
			ok = false;
			continue;
		}
		(*out)[*nout].key = xstrdup(k->str);
		(*out)[(*nout)++].value = xstrdup(val);
	}
	return ok;
}

static int signal_by_name(const char *name)
{
	if (strncmp(name, "SIG", 3))
		return 0;
	for (int s = 1; s < NSIG; s++) {
		const char *ab = sigabbrev_np(s);
		if (ab && !strcmp(name + 3, ab))
			return s;
	}
	return 0;
}

static bool parse_request(const struct ynode *n, const char *file, struct diag *d, struct op *p)
{
	bool ok = get_str(n, "method", "GET", file, d, &p->method) & get_str(n, "path", "/", file, d, &p->path) &
		get_bytes(n, "body", file, d, &p->body, &p->body_len);
	const struct ynode *v;
	if (p->method && !token_ok(p->method)) {
		v = ynode_get(n, "method");
		diag_error(d, file, v->line, v->col, "'%s' is not an HTTP method", p->method);
		ok = false;
	}
	if (p->path && (!token_ok(p->path) && *p->path)) {
		v = ynode_get(n, "path");
		diag_error(d, file, v->line, v->col, "the request path '%s' cannot hold spaces or control characters",
			   p->path);
		ok = false;
	}
	if ((v = ynode_get(n, "headers")))
		ok &= get_fields(v, file, "headers", d, &p->headers, &p->nheaders);
	p->status = 200;
	p->resp_body = xstrdup("");
	if ((v = ynode_get(n, "response"))) {
		if (!ynode_expect(v, YN_MAP, file, "response", d))
			return false;
		warn_keys(v, file, "a response", response_keys, N_ELEMS(response_keys), d);
		long st;
		const struct ynode *w;
		if ((w = ynode_get(v, "status"))) {
			if (ynode_int(w, file, "status", 100, 999, d, &st))
				p->status = (int)st;
			else
				ok = false;
		}
		if ((w = ynode_get(v, "headers")))
			ok &= get_fields(w, file, "response headers", d, &p->resp_headers, &p->nresp_headers);
		free(p->resp_body);
		ok &= get_bytes(v, "body", file, d, &p->resp_body, &p->resp_body_len);
	}
	return ok;
}

/* The validator's view: a process, and the streams open on it. */
struct vstate {
	bool proc;
	struct strvec sockets;
	size_t runs;
};

static bool need_proc(const struct vstate *vs, const struct op *p, const char *file, struct diag *d)
{
	if (vs->proc)
		return true;
	diag_error(d, file, p->line, p->col, "a '%s' step needs a running process: put a 'run' step before it",
		   op_names[p->type]);
	return false;
}

static bool has_socket(const struct vstate *vs, const char *id)
{
	for (size_t i = 0; i < vs->sockets.n; i++)
		if (!strcmp(vs->sockets.v[i], id))
			return true;
	return false;
}

static bool validate(struct vstate *vs, const struct op *p, const char *file, struct diag *d)
{
	switch (p->type) {
	case OP_RUN:
		if (vs->proc) {
			diag_error(d, file, p->line, p->col, "a 'run' step while the process still runs: 'wait' for it first");
			return false;
		}
		vs->proc = true;
		vs->runs++;
		return true;
	case OP_WAIT:
		if (!need_proc(vs, p, file, d))
			return false;
		vs->proc = false;
		strvec_release(&vs->sockets);
		return true;
	case OP_READ:
	case OP_WRITE: {
		if (!need_proc(vs, p, file, d))
			return false;
		bool rd = p->type == OP_READ;
		bool ok = rd ? !strcmp(p->id, "stdout") || !strcmp(p->id, "stderr") : !strcmp(p->id, "stdin");
		if (!ok)
			diag_error(d, file, p->line, p->col, "a '%s' step names stream '%s': it %s", op_names[p->type], p->id,
				   rd ? "reads stdout or stderr" : "writes stdin");
		return ok;
	}
	case OP_CONNECT:
		if (!need_proc(vs, p, file, d))
			return false;
		if (has_socket(vs, p->id) || !strcmp(p->id, "stdin") || !strcmp(p->id, "stdout") ||
		    !strcmp(p->id, "stderr")) {
			diag_error(d, file, p->line, p->col, "a connection named '%s' is already open", p->id);
			return false;
		}
		strvec_push(&vs->sockets, p->id);
		return true;
	case OP_SEND:
	case OP_RECV:
		if (!need_proc(vs, p, file, d))
			return false;
		if (!has_socket(vs, p->id)) {
			diag_error(d, file, p->line, p->col, "no connection named '%s': a 'connect' step opens it", p->id);
			return false;
		}
		return true;
	case OP_KILL:
	case OP_REQUEST:
		return need_proc(vs, p, file, d);
	}
	return false;
}

bool ops_parse(const struct ynode *ops, const char *file, struct diag *d, struct test *t, ops_dirs_fn dirs_cb,
	       void *dirs_ctx)
{
	if (!ynode_expect(ops, YN_SEQ, file, "operations", d))
		return false;
	struct test_ops *o = ops_of(t);
	bool ok = true;
	struct vstate vs = { false, STRVEC_INIT, 0 };
	o->v = xcalloc(ops->n + 2, sizeof *o->v);
	for (size_t i = 0; i < ops->n; i++) {
		const struct ynode *n = ops->kids[i], *v;
		const char *type;
		if (!ynode_expect(n, YN_MAP, file, "an operation", d)) {
			ok = false;
			continue;
		}
		if (!ynode_require(n, "type", file, "an operation", d) ||
		    !ynode_str((v = ynode_get(n, "type")), file, "type", d, &type)) {
			ok = false;
			continue;
		}
		size_t ty;
		for (ty = 0; ty < N_ELEMS(op_names) && strcmp(type, op_names[ty]); ty++)
			;
		if (ty == N_ELEMS(op_names)) {
			const char *near = suggest_closest(type, op_names, N_ELEMS(op_names));
			diag_error(d, file, v->line, v->col, "unknown operation type '%s'%s%s%s", type,
				   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			ok = false;
			continue;
		}
		warn_keys(n, file, "an operation", op_keys[ty], 8, d);
		struct op *p = &o->v[o->n++];
		p->type = (enum op_type)ty;
		p->line = n->line;
		p->col = n->col;
		bool pok = true;
		switch (p->type) {
		case OP_RUN:
			if (vs.runs)
				break;	/* a second process: the test is skipped (below) */
			if ((v = ynode_get(n, "args"))) {
				strvec_release(&t->args);
				pok &= ynode_str_list(v, file, "args", d, &t->args);
			}
			if ((v = ynode_get(n, "env")))
				pok &= load_env_map(v, file, d, t);
			if ((v = ynode_get(n, "dirs")) && dirs_cb)
				pok &= dirs_cb(dirs_ctx, v, t);
			if ((v = ynode_get(n, "root")) && dirs_cb)
				pok &= dirs_cb(dirs_ctx, v, t);
			break;
		case OP_WAIT: {
			long code = 0;
			if ((v = ynode_get(n, "exit_code")) && !ynode_int(v, file, "exit_code", 0, 255, d, &code))
				pok = false;
			p->exit_code = (int)code;
			p->has_exit = v != NULL;
			break;
		}
		case OP_READ:
		case OP_WRITE:
			pok &= get_str(n, "id", p->type == OP_READ ? "stdout" : "stdin", file, d, &p->id);
			pok &= get_bytes(n, "payload", file, d, &p->payload, &p->len);
			break;
		case OP_SEND:
		case OP_RECV:
			pok &= ynode_require(n, "id", file, "a send/recv operation", d) && get_str(n, "id", "", file, d, &p->id);
			pok &= get_bytes(n, "payload", file, d, &p->payload, &p->len);
			break;
		case OP_CONNECT: {
			char *proto = NULL;
			pok &= get_str(n, "id", "server", file, d, &p->id);
			if (get_str(n, "protocol_type", "tcp", file, d, &proto)) {
				if (!strcmp(proto, "udp")) {
					p->proto = PROTO_UDP;
				} else if (strcmp(proto, "tcp")) {
					v = ynode_get(n, "protocol_type");
					diag_error(d, file, v->line, v->col, "protocol_type must be tcp or udp, not '%s'", proto);
					pok = false;
				}
			} else {
				pok = false;
			}
			free(proto);
			break;
		}
		case OP_KILL: {
			char *name = NULL;
			if (get_str(n, "signal", "SIGTERM", file, d, &name) && !(p->sig = signal_by_name(name))) {
				v = ynode_get(n, "signal");
				diag_error(d, file, v->line, v->col, "unknown signal name '%s' (a name such as SIGINT)", name);
				pok = false;
			} else if (!name) {
				pok = false;
			}
			free(name);
			break;
		}
		case OP_REQUEST:
			pok &= parse_request(n, file, d, p);
			break;
		}
		if (pok && !p->id)
			p->id = xstrdup("");
		ok &= pok && validate(&vs, p, file, d);
	}
	if (!o->n) {
		/* no steps: run and wait, as without a spec */
		free(o->v);
		o->v = NULL;
		ops_default(t);
		vs.runs = 1;
	}
	if (ok && vs.proc) {
		diag_error(d, file, ops->line, ops->col, "the steps end with the process still running: end them with a 'wait'");
		ok = false;
	}
	if (ok && vs.runs > 1 && !t->skip)
		t->skip = xstrdup("the test runs two processes one after the other (a second 'run' step), which wasmatrix does not support yet");
	/* the exit code: the (last) wait's, when it gives one (a YAML test may give it in expect) */
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].type == OP_WAIT && o->v[i].has_exit) {
			if (!t->expect.exit)
				t->expect.exit = xcalloc(1, sizeof(int));
			t->expect.exit[0] = o->v[i].exit_code;
			t->expect.nexit = 1;
		}
	strvec_release(&vs.sockets);
	return ok;
}

void ops_default(struct test *t)
{
	struct test_ops *o = ops_of(t);
	if (o->n)
		return;
	o->v = xcalloc(2, sizeof *o->v);
	o->v[0].type = OP_RUN;
	o->v[1].type = OP_WAIT;
	o->v[0].id = xstrdup("");
	o->v[1].id = xstrdup("");
	o->n = 2;
}

static bool parse_endpoint(const struct ynode *n, const char *file, struct diag *d, struct endpoint *e)
{
	if (!ynode_expect(n, YN_MAP, file, "an endpoint", d))
		return false;
	warn_keys(n, file, "an endpoint", endpoint_keys, N_ELEMS(endpoint_keys), d);
	bool ok = get_str(n, "method", "GET", file, d, &e->method) & get_str(n, "path", "/", file, d, &e->path);
	const struct ynode *v;
	if (e->method) {
		for (char *q = e->method; *q; q++)
			*q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
		size_t i;
		for (i = 0; i < N_ELEMS(http_methods) && strcmp(e->method, http_methods[i]); i++)
			;
		if (i == N_ELEMS(http_methods)) {
			v = ynode_get(n, "method");
			diag_error(d, file, v->line, v->col, "unknown endpoint method '%s' (GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS)",
				   e->method);
			ok = false;
		}
	}
	char *mode = NULL;
	if (get_str(n, "mode", "static", file, d, &mode)) {
		size_t i;
		for (i = 0; i < N_ELEMS(ep_modes) && strcmp(mode, ep_modes[i]); i++)
			;
		v = ynode_get(n, "mode");
		if (i == N_ELEMS(ep_modes)) {
			diag_error(d, file, v->line, v->col, "unknown endpoint mode '%s' (static, echo-body or echo-headers)", mode);
			ok = false;
		}
		e->mode = i < N_ELEMS(ep_modes) ? (enum ep_mode)i : EP_STATIC;
	} else {
		ok = false;
	}
	free(mode);
	const struct ynode *r = ynode_get(n, "response");
	e->status = 200;
	if (e->mode != EP_STATIC) {
		if (r) {
			diag_error(d, file, r->line, r->col, "an endpoint in '%s' mode takes no 'response'", ep_modes[e->mode]);
			ok = false;
		}
		return ok;
	}
	if (!r || r->kind == YN_SCALAR) {
		/* a string is the body of a 200 */
		const char *b = "";
		size_t bl = 0;
		if (r && !ynode_bytes(r, file, "response", d, &b, &bl))
			return false;
		e->body = xmalloc(bl + 1);
		memcpy(e->body, b, bl);
		e->body[bl] = 0;
		e->body_len = bl;
		return ok;
	}
	if (!ynode_expect(r, YN_MAP, file, "an endpoint response (a string or an object)", d))
		return false;
	warn_keys(r, file, "an endpoint response", ep_response_keys, N_ELEMS(ep_response_keys), d);
	long st;
	if ((v = ynode_get(r, "status"))) {
		if (ynode_int(v, file, "status", 100, 999, d, &st))
			e->status = (int)st;
		else
			ok = false;
	}
	if ((v = ynode_get(r, "headers")))
		ok &= get_fields(v, file, "response headers", d, &e->headers, &e->nheaders);
	ok &= get_bytes(r, "body", file, d, &e->body, &e->body_len);
	if ((v = ynode_get(r, "chunks"))) {
		e->chunked = true;
		ok &= ynode_str_list(v, file, "chunks", d, &e->chunks);
		if (ynode_get(r, "body")) {
			diag_error(d, file, v->line, v->col, "an endpoint response takes 'body' or 'chunks', not both");
			ok = false;
		}
	}
	if ((v = ynode_get(r, "trailers"))) {
		ok &= get_fields(v, file, "trailers", d, &e->trailers, &e->ntrailers);
		if (!e->chunked && e->ntrailers) {
			diag_error(d, file, v->line, v->col, "trailers need 'chunks' (they follow a chunked body)");
			ok = false;
		}
	}
	return ok;
}

bool ops_parse_servers(const struct ynode *sv, const char *file, struct diag *d, struct test *t)
{
	if (!ynode_expect(sv, YN_SEQ, file, "servers (a list)", d))
		return false;
	struct test_ops *o = ops_of(t);
	if (sv->n > OPS_MAX_SERVERS) {
		diag_error(d, file, sv->line, sv->col, "%zu servers: a test has at most %d", sv->n, OPS_MAX_SERVERS);
		return false;
	}
	o->servers = xcalloc(sv->n + 1, sizeof *o->servers);
	bool ok = true;
	for (size_t i = 0; i < sv->n; i++) {
		const struct ynode *n = sv->kids[i], *v;
		if (!ynode_expect(n, YN_MAP, file, "a server", d)) {
			ok = false;
			continue;
		}
		warn_keys(n, file, "a server", server_keys, N_ELEMS(server_keys), d);
		const char *name;
		if (!ynode_require(n, "name", file, "a server", d) ||
		    !ynode_str((v = ynode_get(n, "name")), file, "name", d, &name)) {
			ok = false;
			continue;
		}
		bool good = *name != 0;
		for (const char *q = name; *q; q++)
			good &= (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_';
		if (!good) {
			diag_error(d, file, v->line, v->col,
				   "server name '%s' must be letters, digits and '_' (it becomes HTTP_SERVER_<NAME>)", name);
			ok = false;
			continue;
		}
		struct server_spec *s = &o->servers[o->nservers];
		s->name = xstrdup(name);
		s->env = xasprintf("HTTP_SERVER_%s", name);
		for (char *q = s->env; *q; q++)
			*q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
		for (size_t j = 0; j < o->nservers; j++)
			if (!strcmp(o->servers[j].env, s->env)) {
				diag_error(d, file, v->line, v->col, "server name '%s' is used twice (names are compared uppercased)", name);
				ok = false;
			}
		o->nservers++;
		char *kind = NULL;
		if (get_str(n, "kind", "listening", file, d, &kind)) {
			s->closed = !strcmp(kind, "closed");
			if (!s->closed && strcmp(kind, "listening")) {
				v = ynode_get(n, "kind");
				diag_error(d, file, v->line, v->col, "server kind must be listening or closed, not '%s'", kind);
				ok = false;
			}
		} else {
			ok = false;
		}
		free(kind);
		if ((v = ynode_get(n, "endpoints"))) {
			if (s->closed) {
				diag_error(d, file, v->line, v->col, "a server of kind 'closed' takes no 'endpoints'");
				ok = false;
			} else if (ynode_expect(v, YN_SEQ, file, "endpoints (a list)", d)) {
				s->eps = xcalloc(v->n + 1, sizeof *s->eps);
				for (size_t j = 0; j < v->n; j++)
					ok &= parse_endpoint(v->kids[j], file, d, &s->eps[s->neps++]);
			} else {
				ok = false;
			}
		}
	}
	return ok;
}

static bool listed(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

bool ops_parse_proposals(const struct ynode *v, const char *file, struct diag *d, struct test *t)
{
	if (!ynode_expect(v, YN_SEQ, file, "proposals (a list)", d))
		return false;
	bool ok = true;
	for (size_t i = 0; i < v->n; i++) {
		const char *p;
		if (!ynode_str(v->kids[i], file, "a proposal", d, &p)) {
			ok = false;
		} else if (!listed(p, proposal_names, N_ELEMS(proposal_names))) {
			diag_error(d, file, v->kids[i]->line, v->kids[i]->col, "unknown proposal '%s' (http or sockets)", p);
			ok = false;
		} else {
			strvec_push(&t->proposals, p);
		}
	}
	return ok;
}

bool ops_parse_world(const struct ynode *v, const char *file, struct diag *d, struct test *t)
{
	const char *w;
	if (!ynode_str(v, file, "world", d, &w))
		return false;
	if (!listed(w, worlds, N_ELEMS(worlds))) {
		diag_error(d, file, v->line, v->col, "unknown WASI world '%s' (wasi:cli/command or wasi:http/service)", w);
		return false;
	}
	free(t->world);
	t->world = strcmp(w, worlds[0]) ? xstrdup(w) : NULL;
	return true;
}

/* A 'root' or 'dirs' in a YAML suite's run step: YAML tests preopen with their own 'dirs'. */
static bool yaml_run_dirs(void *ctx, const struct ynode *v, struct test *t)
{
	(void)t;
	const char *file = ((const char *const *)ctx)[0];
	struct diag *d = ((struct diag *const *)ctx)[1];
	diag_error(d, file, v->line, v->col, "a YAML test preopens directories with its own 'dirs', not in a run step");
	return false;
}

bool ops_yaml_key(const char *key, const struct ynode *v, const char *file, struct diag *d, struct test *t,
		  bool *known)
{
	*known = true;
	if (!strcmp(key, "operations")) {
		if (t->ops && t->ops->v) {
			ops_release(t->ops);	/* the test's own steps replace the defaults' */
			t->ops = NULL;
		}
		const void *ctx[2] = { file, d };
		return ops_parse(v, file, d, t, yaml_run_dirs, ctx);
	}
	if (!strcmp(key, "servers"))
		return ops_parse_servers(v, file, d, t);
	if (!strcmp(key, "proposals")) {
		strvec_release(&t->proposals);
		return ops_parse_proposals(v, file, d, t);
	}
	if (!strcmp(key, "world"))
		return ops_parse_world(v, file, d, t);
	if (!strcmp(key, "wasi")) {
		const char *s;
		if (!ynode_str(v, file, "wasi", d, &s))
			return false;
		if (!listed(s, wasi_versions, N_ELEMS(wasi_versions))) {
			diag_error(d, file, v->line, v->col, "unknown WASI version '%s' (wasm32-wasip1, wasm32-wasip2 or wasm32-wasip3)", s);
			return false;
		}
		free(t->wasi);
		t->wasi = xstrdup(s);
		return true;
	}
	*known = false;
	return true;
}

bool ops_yaml_finish(struct test *t, const char *file, struct diag *d)
{
	if (t->ops)
		ops_default(t);
	if (t->ops && t->stdin_len) {
		diag_error(d, file, t->line, t->col, "test '%s' has both 'stdin' and operations: write stdin with 'write' steps",
			   t->name ? t->name : "?");
		return false;
	}
	if (!t->wasi && t->module)
		t->wasi = ops_module_version(t->module);
	return true;
}

char *ops_module_version(const char *path)
{
	/* the header tells a component (version 0x0d, layer 1) from a core module: only a
	 * component is read whole */
	unsigned char head[8];
	FILE *f = fopen(path, "rb");
	size_t hn = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	if (hn < 8 || !wasm_is_wasm(head, hn) || head[4] != 0x0d || head[6] != 0x01)
		return xstrdup("wasm32-wasip1");
	size_t len = 0;
	char *data = fs_read_file(path, &len);
	const unsigned char *u = (const unsigned char *)data;
	char *v = NULL;
	if (data && len >= 8) {
		struct wasm_module m;
		char *err = NULL;
		wasm_parse(&m, u, len, &err);
		const char *w = wasm_component_wasi(&m);	/* as inspect says it */
		if (w && !strcmp(w, "0.3"))
			v = xstrdup("wasm32-wasip3");
		wasm_module_release(&m);
		free(err);
		if (!v)
			v = xstrdup("wasm32-wasip2");
	}
	free(data);
	return v ? v : xstrdup("wasm32-wasip1");
}

/* ------------------------------------------------------------------ running */

#define OPS_MAX_CONNS 8

struct oconn {
	char *id;
	int fd;
	enum op_proto proto;
};

struct drv {
	struct ops_run *or;
	const struct test *t;
	const char *file;
	size_t step;
	int phase;		/* within the step */
	size_t cur[2];		/* how much of stdout / stderr the steps consumed */
	struct oconn conns[OPS_MAX_CONNS];
	size_t nconns;
	int fd;			/* the step's own socket (connect, request), -1 */
	struct buf io;		/* the step's bytes: received, or the request being sent */
	size_t off;
	char *host, *port, *target;	/* request: where to */
	char *url;		/* the service's URL, from its first stderr line naming http:// */
	bool stdin_closed;
	bool postmortem;
	double since;		/* kill: when the step began waiting */
	bool let_end;		/* the failed step found the guest's stream closed: the process is
				 * ending by itself, and its exit status tells why */
};

enum step_r { ST_DONE, ST_PENDING, ST_FAILED };

static void drv_reset_step(struct drv *dv)
{
	if (dv->fd >= 0)
		close(dv->fd);
	dv->fd = -1;
	buf_release(&dv->io);
	dv->off = 0;
	dv->phase = 0;
	free(dv->host);
	free(dv->port);
	free(dv->target);
	dv->host = dv->port = dv->target = NULL;
}

static enum step_r fail(struct drv *dv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum step_r fail(struct drv *dv, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	const struct op *p = &dv->t->ops->v[dv->step];
	free(dv->or->failure);
	dv->or->failure = xasprintf("step %zu (%s%s%s, %s:%u): %s", dv->step + 1, op_names[p->type],
				    p->id && *p->id ? " " : "", p->id ? p->id : "", path_basename(dv->file), p->line,
				    m);
	dv->or->failed_step = dv->step + 1;
	free(m);
	return ST_FAILED;
}

/* Bytes shown in a message: visible, at most 200. */
static char *shown(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '"');
	text_visible(&b, s, n > 200 ? 200 : n, false);
	buf_adds(&b, n > 200 ? "\"..." : "\"");
	return buf_detach(&b);
}

static void want(struct exec_live *lv, int fd, short events)
{
	if (lv->nextra < EXEC_LIVE_FDS) {
		lv->extra[lv->nextra].fd = fd;
		lv->extra[lv->nextra].events = events;
		lv->extra[lv->nextra++].revents = 0;
	}
}

/* The next line of a stream past the steps' cursor (consumed), or NULL: a whole line, or
 * at the stream's end what is left (as Python's readline gives it). */
static char *take_line(struct drv *dv, int s, const struct buf *b, bool eof)
{
	const char *data = b->data ? b->data : "";
	if (dv->cur[s] >= b->len)
		return NULL;
	/* (a caller failing for want of a line sets let_end when the stream is closed) */
	const char *nl = memchr(data + dv->cur[s], '\n', b->len - dv->cur[s]);
	if (!nl && !eof)
		return NULL;
	if (!nl)
		nl = data + b->len;
	char *line = xstrndup(data + dv->cur[s], (size_t)(nl - data - dv->cur[s]));
	dv->cur[s] = (size_t)(nl - data) + (nl < data + b->len);
	size_t l = strlen(line);
	while (l && (line[l - 1] == '\r' || line[l - 1] == ' ' || line[l - 1] == '\t'))
		line[--l] = 0;
	return line;
}

/* A non-blocking socket connecting to host:port. -1 with *why. */
static int start_connect(const char *host, const char *port, int type, char **why)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = type, .ai_flags = AI_NUMERICSERV }, *ai = NULL;
	int rc = getaddrinfo(host, port, &hints, &ai);
	if (rc != 0) {
		*why = xasprintf("cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	/* the harness talks to the guest on this host only: an address the guest printed must
	 * not make it reach anything else */
	bool loop = (ai->ai_family == AF_INET &&
		     (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127) ||
		(ai->ai_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr));
	if (!loop) {
		*why = xasprintf("refusing to connect to %s:%s: not a loopback address (the harness only talks to "
				 "the guest on this host)", host, port);
		freeaddrinfo(ai);
		return -1;
	}
	int fd = socket(ai->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)) {
		*why = xasprintf("cannot connect to %s:%s: %s", host, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/* 1 connected, 0 not yet, -1 failed (*why). */
static int connected(int fd, char **why)
{
	struct pollfd pf = { .fd = fd, .events = POLLOUT };
	if (poll(&pf, 1, 0) <= 0)
		return 0;
	int err = 0;
	socklen_t l = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		err = errno;
	if (err) {
		*why = xstrdup(strerror(err));
		return -1;
	}
	return 1;
}

static struct oconn *conn_named(struct drv *dv, const char *id)
{
	for (size_t i = 0; i < dv->nconns; i++)
		if (!strcmp(dv->conns[i].id, id))
			return &dv->conns[i];
	return NULL;
}

/* "host:port" as the guest printed it (upstream: exactly one ':' and a numeric port). */
static bool split_addr(const char *line, char **host, char **port)
{
	const char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	const char *c = strchr(s, ':');
	if (!c || c == s || strchr(c + 1, ':') || !c[1])
		return false;
	for (const char *q = c + 1; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	*host = xstrndup(s, (size_t)(c - s));
	*port = xstrdup(c + 1);
	return true;
}

static enum step_r step_connect(struct drv *dv, const struct op *p, struct exec_live *lv)
{
	char *why = NULL;
	if (dv->phase == 0) {
		char *line = take_line(dv, 0, lv->out, lv->out_eof || lv->exited);
		if (!line) {
			if (lv->out_eof || lv->exited) {
				dv->let_end = true;
				return fail(dv, "stdout ended before the guest printed the address to connect to (host:port)");
			}
			return ST_PENDING;
		}
		bool ok = split_addr(line, &dv->host, &dv->port);
		if (!ok) {
			char *sh = shown(line, strlen(line));
			free(line);
			enum step_r r = fail(dv, "expected the address to connect to as host:port on stdout, got %s", sh);
			free(sh);
			return r;
		}
		free(line);
		if (dv->nconns == OPS_MAX_CONNS)
			return fail(dv, "more than %d connections", OPS_MAX_CONNS);
		dv->fd = start_connect(dv->host, dv->port, p->proto == PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM, &why);
		if (dv->fd < 0) {
			enum step_r r = fail(dv, "%s", why);
			free(why);
			return r;
		}
		dv->phase = 1;
	}
	int c = connected(dv->fd, &why);
	if (c < 0) {
		enum step_r r = fail(dv, "cannot connect to %s:%s: %s", dv->host, dv->port, why);
		free(why);
		return r;
	}
	if (c == 0) {
		want(lv, dv->fd, POLLOUT);
		return ST_PENDING;
	}
	struct oconn *oc = &dv->conns[dv->nconns++];
	oc->id = xstrdup(p->id);
	oc->fd = dv->fd;
	oc->proto = p->proto;
	dv->fd = -1;
	return ST_DONE;
}

static enum step_r step_send(struct drv *dv, const struct op *p, struct exec_live *lv)
{
	struct oconn *oc = conn_named(dv, p->id);
	if (!oc)
		return fail(dv, "no connection named '%s' (its connect step failed?)", p->id);
	while (dv->off < p->len || (p->len == 0 && oc->proto == PROTO_UDP && dv->phase == 0)) {
		ssize_t n = send(oc->fd, p->payload + dv->off, p->len - dv->off, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			want(lv, oc->fd, POLLOUT);
			return ST_PENDING;
		}
		if (n < 0)
			return fail(dv, "cannot send: %s", strerror(errno));
		dv->off += (size_t)n;
		dv->phase = 1;
		if (oc->proto == PROTO_UDP)
			break;	/* one datagram */
	}
	return ST_DONE;
}

static enum step_r step_recv(struct drv *dv, const struct op *p, struct exec_live *lv)
{
	struct oconn *oc = conn_named(dv, p->id);
	if (!oc)
		return fail(dv, "no connection named '%s' (its connect step failed?)", p->id);
	bool ended = false;
	while (dv->io.len < p->len || (oc->proto == PROTO_UDP && dv->phase == 0)) {
		char chunk[65536];
		size_t want_n = oc->proto == PROTO_UDP ? sizeof chunk : p->len - dv->io.len;
		ssize_t n = recv(oc->fd, chunk, want_n < sizeof chunk ? want_n : sizeof chunk, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (dv->postmortem)
				break;
			want(lv, oc->fd, POLLIN);
			return ST_PENDING;
		}
		if (n < 0)
			return fail(dv, "cannot receive: %s", strerror(errno));
		if (n == 0 && oc->proto == PROTO_TCP) {
			ended = true;
			break;
		}
		buf_add(&dv->io, chunk, (size_t)n);
		dv->phase = 1;
		if (oc->proto == PROTO_UDP)
			break;
	}
	const char *got = dv->io.data ? dv->io.data : "";
	if (dv->io.len != p->len || memcmp(got, p->payload, p->len)) {
		char *e = shown(p->payload, p->len), *g = shown(got, dv->io.len);
		enum step_r r = fail(dv, "expected %s, got %s%s", e, g, ended ? " (then the connection closed)" : "");
		free(e);
		free(g);
		return r;
	}
	return ST_DONE;
}

static enum step_r step_read(struct drv *dv, const struct op *p, struct exec_live *lv)
{
	int s = !strcmp(p->id, "stderr");
	const struct buf *b = s ? lv->err : lv->out;
	bool eof = s ? lv->err_eof : lv->out_eof;
	size_t have = b->len > dv->cur[s] ? b->len - dv->cur[s] : 0;
	const char *data = (b->data ? b->data : "") + (b->len > dv->cur[s] ? dv->cur[s] : b->len);
	if (have < p->len && !eof && !b->truncated && !lv->exited)
		return ST_PENDING;
	size_t n = have < p->len ? have : p->len;
	dv->cur[s] += n;
	dv->let_end = n < p->len && (eof || lv->exited);
	if (n == p->len && !memcmp(data, p->payload, n))
		return ST_DONE;
	char *e = shown(p->payload, p->len), *g = shown(data, n);
	enum step_r r = fail(dv, "expected %s, got %s%s", e, g,
			     n < p->len ? (b->truncated ? " (output cut at the capture cap)" : " (then the stream ended)") : "");
	free(e);
	free(g);
	return r;
}

static enum step_r step_write(struct drv *dv, const struct op *p, struct exec_live *lv)
{
	if (lv->stdin_fd < 0)
		return fail(dv, "stdin is closed");
	while (dv->off < p->len) {
		ssize_t n = write(lv->stdin_fd, p->payload + dv->off, p->len - dv->off);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (lv->exited)
				return fail(dv, "the process ended before reading its stdin");
			want(lv, lv->stdin_fd, POLLOUT);
			return ST_PENDING;
		}
		if (n < 0)
			return fail(dv, "cannot write stdin: %s", errno == EPIPE ? "the guest closed it" : strerror(errno));
		dv->off += (size_t)n;
	}
	return ST_DONE;
}

/* Whether process pid catches signal sig (SigCgt in /proc/<pid>/status). */
static bool catches(pid_t pid, int sig)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	size_t n = 0;
	char *st = fs_read_file(path, &n);
	const char *c = st ? strstr(st, "\nSigCgt:") : NULL;
	bool yes = c && sig > 0 && sig <= 64 && ((strtoull(c + 8, NULL, 16) >> (sig - 1)) & 1);
	free(st);
	return yes;
}

/* How long a kill step waits for the runtime to catch the signal before sending it anyway. */
#define OPS_KILL_GRACE 1.0

static enum step_r step_kill(struct drv *dv, const struct op *p, struct exec_live *lv)
{
	if (lv->exited)
		return ST_DONE;	/* nothing to signal: as upstream (Popen.send_signal), the wait judges */
	if (!lv->command)
		return ST_PENDING;
	/* a runtime installs its handlers as it goes (wasmtime serve's SIGINT one, when its
	 * accept loop first waits): a signal sent before would kill it by the default action,
	 * a race upstream's slower runner mostly wins. Wait (briefly) until it catches it. */
	if (dv->phase == 0) {
		dv->phase = 1;
		dv->since = now_seconds();
	}
	if (!catches(lv->command, p->sig) && now_seconds() - dv->since < OPS_KILL_GRACE) {
		lv->wait_ms = 5;
		return ST_PENDING;
	}
	if (kill(lv->command, p->sig) < 0)
		return fail(dv, "cannot send SIG%s: %s", sigabbrev_np(p->sig), strerror(errno));
	dv->or->sent_signal = p->sig;
	return ST_DONE;
}

/* http://host:port/base -> host, port, base (without the trailing '/'). */
static bool split_url(const char *url, char **host, char **port, char **base)
{
	const char *h = url + strlen("http://"), *e = h + strcspn(h, "/?#");
	const char *c = NULL;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(e - h));
		if (!rb)
			return false;
		c = rb + 1 < e && rb[1] == ':' ? rb + 1 : NULL;
		*host = xstrndup(h + 1, (size_t)(rb - h - 1));
	} else {
		c = memchr(h, ':', (size_t)(e - h));
		*host = xstrndup(h, (size_t)((c ? c : e) - h));
	}
	*port = c ? xstrndup(c + 1, (size_t)(e - c - 1)) : xstrdup("80");
	size_t bl = strlen(e);
	while (bl && e[bl - 1] == '/')
		bl--;
	*base = xstrndup(e, bl);
	return **host != 0;
}

static enum step_r step_request(struct drv *dv, const struct op *p, struct exec_live *lv)
{
	char *why = NULL;
	if (dv->phase == 0) {
		/* the service's address: the first line of its stderr that names http:// */
		while (!dv->url) {
			char *line = take_line(dv, 1, lv->err, lv->err_eof || lv->exited);
			if (!line) {
				if (lv->err_eof || lv->exited) {
					dv->let_end = true;
					return fail(dv, "stderr ended before the service printed its address (a line naming http://)");
				}
				return ST_PENDING;
			}
			char *u = strstr(line, "http://");
			if (u)
				dv->url = xstrndup(u, strcspn(u, " \t"));
			free(line);
		}
		char *base = NULL;
		if (!split_url(dv->url, &dv->host, &dv->port, &base)) {
			free(base);
			return fail(dv, "cannot read the service's address '%s'", dv->url);
		}
		dv->target = xasprintf("%s%s%s", base, p->path[0] == '/' ? "" : "/", p->path);
		free(base);
		dv->fd = start_connect(dv->host, dv->port, SOCK_STREAM, &why);
		if (dv->fd < 0) {
			enum step_r r = fail(dv, "%s", why);
			free(why);
			return r;
		}
		dv->phase = 1;
	}
	if (dv->phase == 1) {
		int c = connected(dv->fd, &why);
		if (c < 0) {
			enum step_r r = fail(dv, "cannot connect to %s: %s", dv->url, why);
			free(why);
			return r;
		}
		if (c == 0) {
			want(lv, dv->fd, POLLOUT);
			return ST_PENDING;
		}
		buf_release(&dv->io);
		bool v6 = strchr(dv->host, ':') != NULL;
		buf_addf(&dv->io, "%s %s HTTP/1.1\r\nHost: %s%s%s:%s\r\n", p->method, *dv->target ? dv->target : "/",
			 v6 ? "[" : "", dv->host, v6 ? "]" : "", dv->port);
		bool has_len = false;
		for (size_t i = 0; i < p->nheaders; i++) {
			buf_addf(&dv->io, "%s: %s\r\n", p->headers[i].key, p->headers[i].value);
			has_len |= !strcasecmp(p->headers[i].key, "content-length");
		}
		/* as Python's requests does: a length for a body, and 0 for a bodiless POST/PUT/... */
		if (!has_len && (p->body_len || (strcmp(p->method, "GET") && strcmp(p->method, "HEAD"))))
			buf_addf(&dv->io, "Content-Length: %zu\r\n", p->body_len);
		buf_adds(&dv->io, "Accept: */*\r\nUser-Agent: wasmatrix\r\nConnection: close\r\n\r\n");
		buf_add(&dv->io, p->body, p->body_len);
		dv->off = 0;
		dv->phase = 2;
	}
	if (dv->phase == 2) {
		while (dv->off < dv->io.len) {
			ssize_t n = send(dv->fd, dv->io.data + dv->off, dv->io.len - dv->off, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				want(lv, dv->fd, POLLOUT);
				return ST_PENDING;
			}
			if (n < 0)
				return fail(dv, "cannot send the request to %s: %s", dv->url, strerror(errno));
			dv->off += (size_t)n;
		}
		buf_release(&dv->io);
		dv->phase = 3;
	}
	bool eof = false;
	for (;;) {
		char chunk[65536];
		ssize_t n = recv(dv->fd, chunk, sizeof chunk, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0)
			return fail(dv, "cannot read the response from %s: %s", dv->url, strerror(errno));
		if (n == 0) {
			eof = true;
			break;
		}
		if (dv->io.len + (size_t)n > HTTP_MAX_HEAD + HTTP_MAX_BODY)
			return fail(dv, "the response from %s is too large", dv->url);
		buf_add(&dv->io, chunk, (size_t)n);
	}
	struct http_msg m = { 0 };
	size_t used = 0;
	int r = http_parse(&m, dv->io.data ? dv->io.data : "", dv->io.len, eof, true, !strcmp(p->method, "HEAD"), &used,
			   &why);
	if (r == 0) {
		http_msg_release(&m);
		if (dv->postmortem)
			return fail(dv, "no complete response from %s before the process ended", dv->url);
		want(lv, dv->fd, POLLIN);
		return ST_PENDING;
	}
	if (r < 0) {
		enum step_r fr = fail(dv, "a broken response from %s%s: %s", dv->url, dv->target, why);
		free(why);
		return fr;
	}
	enum step_r res = ST_DONE;
	int status = atoi(m.start[1]);
	if (status != p->status) {
		res = fail(dv, "%s %s: expected status %d, got %d", p->method, p->path, p->status, status);
	} else {
		for (size_t i = 0; i < p->nresp_headers && res == ST_DONE; i++) {
			/* a header sent more than once is its values joined by ", " (as requests does) */
			struct buf jv = BUF_INIT;
			for (size_t k = 0; k < m.nheaders; k++)
				if (!strcasecmp(m.headers[k].key, p->resp_headers[i].key))
					buf_addf(&jv, "%s%s", jv.data ? ", " : "", m.headers[k].value);
			const char *h = jv.data;
			if (!h)
				res = fail(dv, "%s %s: the response has no header %s", p->method, p->path, p->resp_headers[i].key);
			else if (strcmp(h, p->resp_headers[i].value))
				res = fail(dv, "%s %s: expected header %s: %s, got %s", p->method, p->path, p->resp_headers[i].key,
					   p->resp_headers[i].value, h);
			buf_release(&jv);
		}
		if (res == ST_DONE && (m.body.len != p->resp_body_len || memcmp(m.body.data, p->resp_body, m.body.len))) {
			char *e = shown(p->resp_body, p->resp_body_len), *g = shown(m.body.data, m.body.len);
			res = fail(dv, "%s %s: expected the body %s, got %s", p->method, p->path, e, g);
			free(e);
			free(g);
		}
	}
	http_msg_release(&m);
	return res;
}

static enum exec_hook_ret tick(void *ctx, struct exec_live *lv)
{
	struct drv *dv = ctx;
	const struct test_ops *o = dv->t->ops;
	while (dv->step < o->n) {
		const struct op *p = &o->v[dv->step];
		enum step_r r = ST_DONE;
		switch (p->type) {
		case OP_RUN:
			break;
		case OP_WAIT:
			/* as upstream (communicate()): stdin is closed, and the process awaited */
			if (lv->stdin_fd >= 0) {
				close(lv->stdin_fd);
				lv->stdin_fd = -1;
			}
			dv->stdin_closed = true;
			dv->or->pending_step = dv->step + 1;
			dv->step++;
			return EXEC_HOOK_DONE;
		case OP_READ:
			r = step_read(dv, p, lv);
			break;
		case OP_WRITE:
			r = step_write(dv, p, lv);
			break;
		case OP_KILL:
			r = step_kill(dv, p, lv);
			break;
		case OP_CONNECT:
			r = step_connect(dv, p, lv);
			break;
		case OP_SEND:
			r = step_send(dv, p, lv);
			break;
		case OP_RECV:
			r = step_recv(dv, p, lv);
			break;
		case OP_REQUEST:
			r = step_request(dv, p, lv);
			break;
		}
		if (r == ST_PENDING) {
			dv->or->pending_step = dv->step + 1;
			if (lv->wait_ms < 0 || lv->wait_ms > 20)
				lv->wait_ms = 20;
			return EXEC_HOOK_GO;
		}
		drv_reset_step(dv);
		if (r == ST_FAILED && dv->let_end && lv->stdin_fd >= 0) {
			close(lv->stdin_fd);	/* as a wait would: the process ends by itself */
			lv->stdin_fd = -1;
		}
		if (r == ST_FAILED)
			return dv->let_end ? EXEC_HOOK_DONE : EXEC_HOOK_ABORT;
		dv->step++;
	}
	dv->or->pending_step = 0;
	return EXEC_HOOK_DONE;
}

int ops_prepare(struct ops_run *or, const struct test *t, char **why)
{
	memset(or, 0, sizeof *or);
	const struct test_ops *o = t->ops;
	char **addrs = NULL;
	if (o->nservers && servers_start(o->servers, o->nservers, &or->srv, &addrs, why) < 0) {
		for (size_t i = 0; addrs && i < o->nservers; i++)
			free(addrs[i]);
		free(addrs);
		servers_stop(or->srv);
		or->srv = NULL;
		return -1;
	}
	or->env = xcalloc(t->nenv + o->nservers + 1, sizeof *or->env);
	for (size_t i = 0; i < t->nenv; i++) {
		or->env[i].key = xstrdup(t->env[i].key);
		or->env[i].value = xstrdup(t->env[i].value);
	}
	or->nenv = t->nenv;
	for (size_t i = 0; i < o->nservers; i++) {
		size_t j;
		for (j = 0; j < or->nenv && strcmp(or->env[j].key, o->servers[i].env); j++)
			;
		if (j == or->nenv)
			or->env[or->nenv++].key = xstrdup(o->servers[i].env);
		free(or->env[j].value);
		or->env[j].value = addrs[i];
	}
	free(addrs);
	return 0;
}

struct test ops_env_test(const struct ops_run *or, const struct test *t)
{
	struct test v = *t;
	v.env = or->env;
	v.nenv = or->nenv;
	return v;
}

void ops_exec(struct ops_run *or, const struct test *t, struct exec_spec *spec, struct exec_result *x)
{
	struct drv dv = { .or = or, .t = t, .file = t->file ? t->file : "spec", .fd = -1 };
	struct exec_hook hook = { tick, &dv };
	spec->hook = &hook;
	exec_run(spec, x);
	spec->hook = NULL;
	or->aborted = x->status == EXEC_ABORTED;
	if (x->status == EXEC_EXITED || x->status == EXEC_SIGNALED) {
		/* the process ended with steps left: they run on what it left (its output,
		 * bytes still queued on sockets), and any that needs more fails */
		dv.postmortem = true;
		struct exec_live lv = { .stdin_fd = -1, .out = &x->out, .err = &x->err, .out_eof = true, .err_eof = true,
					.exited = true };
		for (int round = 0; round < 50 && dv.step < t->ops->n && !or->failure; round++) {
			lv.nextra = 0;
			lv.wait_ms = -1;
			if (tick(&dv, &lv) != EXEC_HOOK_GO)
				continue;
			if (lv.nextra)
				poll(lv.extra, (nfds_t)lv.nextra, 20);
			else
				break;
		}
		if (!or->failure && dv.step < t->ops->n && t->ops->v[dv.step].type != OP_WAIT)
			fail(&dv, "the process ended before this step could complete");
		or->pending_step = 0;
	}
	drv_reset_step(&dv);
	for (size_t i = 0; i < dv.nconns; i++) {
		close(dv.conns[i].fd);
		free(dv.conns[i].id);
	}
	free(dv.url);
}

void ops_verdict(const struct ops_run *or, const struct test *t, const struct exec_result *x, struct result *r)
{
	if (x->status == EXEC_SPAWN_ERROR || x->status == EXEC_STOPPED)
		return;
	if (or->failure) {
		/* a process that ended by itself: the runtime's own verdict (a trap, a crash, a
		 * refusal) says more, the step's failure follows it */
		bool ended = x->status == EXEC_EXITED || x->status == EXEC_SIGNALED;
		if (ended && (r->outcome == OUT_CRASH || r->outcome == OUT_UNSUPPORTED || r->trapped)) {
			char *more = xasprintf("%s; %s", r->reason ? r->reason : "", or->failure);
			free(r->reason);
			r->reason = more;
			return;
		}
		r->outcome = OUT_FAIL;
		free(r->reason);
		free(r->rule);
		free(r->diff);
		r->diff = NULL;
		r->rule = xasprintf("operations[%zu]", or->failed_step - 1);
		r->reason = xasprintf("%s%s", or->failure, x->status == EXEC_TIMEOUT ?
				      "; then the process did not exit (killed at the timeout)" : "");
		return;
	}
	if (x->status == EXEC_TIMEOUT && or->pending_step) {
		const struct op *p = &t->ops->v[or->pending_step - 1];
		char *more = xasprintf("%s; at step %zu (%s%s%s, %s:%u)", r->reason ? r->reason : "timeout", or->pending_step,
				       op_names[p->type], p->id && *p->id ? " " : "", p->id ? p->id : "",
				       path_basename(t->file ? t->file : "spec"), p->line);
		free(r->reason);
		r->reason = more;
		return;
	}
	if (x->status == EXEC_SIGNALED && or->sent_signal && x->code == or->sent_signal) {
		free(r->reason);
		free(r->rule);
		r->outcome = OUT_FAIL;
		r->rule = NULL;
		r->reason = xasprintf("the runtime ended on SIG%s, which the test's kill step sent, instead of exiting %d",
				      sigabbrev_np(x->code), t->expect.exit ? t->expect.exit[0] : 0);
	}
}

void ops_finish(struct ops_run *or)
{
	servers_stop(or->srv);
	kv_free(or->env, or->nenv);
	free(or->failure);
	free(or->log);
	memset(or, 0, sizeof *or);
}
