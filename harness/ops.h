/* ops.h - a test as steps against the live guest: upstream wasi-testsuite's "operations"
 * form (docs/wasi-testsuite.md). ops_parse() reads and validates the steps from a spec
 * (JSON or YAML, through ynode) the way upstream's runner does, with file:line:col errors;
 * ops_exec() runs them against the running process: it starts the test's HTTP servers
 * (servers.h), runs the command through exec_run() with a hook (exec.h) that writes
 * stdin, reads stdout/stderr, sends signals and talks TCP/UDP/HTTP to the guest while the
 * process lives, each step bounded by the test's deadline; ops_verdict() turns what the
 * steps saw into the result. Everything is per test: servers, ports and connections are
 * created for one run and closed when it ends, so parallel tests share nothing.
 * A struct test_ops owns everything in it; ops_release() frees it. */
#ifndef WM_OPS_H
#define WM_OPS_H

#include "diag.h"
#include "exec.h"
#include "model.h"

struct ynode;

enum op_type { OP_RUN, OP_WAIT, OP_READ, OP_WRITE, OP_KILL, OP_CONNECT, OP_SEND, OP_RECV, OP_REQUEST };
enum op_proto { PROTO_TCP, PROTO_UDP };

struct op {
	enum op_type type;
	unsigned line, col;	/* the step in its spec, for messages */
	char *id;		/* read: stdout/stderr; write: stdin; connect/send/recv: a name */
	char *payload;		/* read/write/send/recv bytes (may hold NULs) */
	size_t len;
	int exit_code;		/* wait */
	bool has_exit;		/* wait: exit_code was given */
	int sig;		/* kill */
	enum op_proto proto;	/* connect */
	/* request */
	char *method, *path, *body;
	size_t body_len;
	struct kv *headers;
	size_t nheaders;
	int status;		/* the expected response: status, headers (a subset, names */
	struct kv *resp_headers;	/* case-insensitive), body (exact) */
	size_t nresp_headers;
	char *resp_body;
	size_t resp_body_len;
};

enum ep_mode { EP_STATIC, EP_ECHO_BODY, EP_ECHO_HEADERS };

/* One route of a test's HTTP server: (method, path) answered in 'mode'. */
struct endpoint {
	char *method, *path;
	enum ep_mode mode;
	int status;		/* static */
	struct kv *headers;
	size_t nheaders;
	char *body;
	size_t body_len;
	struct strvec chunks;	/* static, chunked: the body's chunks (then 'body' is unused) */
	bool chunked;
	struct kv *trailers;
	size_t ntrailers;
};

struct server_spec {
	char *name;		/* exported to the guest as HTTP_SERVER_<NAME, uppercased> */
	char *env;		/* "HTTP_SERVER_<NAME>" */
	bool closed;		/* kind closed: an address where nothing listens */
	struct endpoint *eps;
	size_t neps;
};

#define OPS_MAX_SERVERS 16	/* per test */

struct test_ops {
	struct op *v;
	size_t n;
	struct server_spec *servers;
	size_t nservers;
	bool debug;		/* DEBUG=true in the runtime's environment, as upstream */
};

/* Reads the list 'ops' of a spec into t: t->ops->v, the run step's args/env (into t) and,
 * when parse_run_dirs, its legacy 'dirs' through dirs_cb. The last wait's exit code
 * becomes t->expect.exit. Validates like upstream (a process before any step that needs
 * one, streams that exist, one process at a time). false with errors in d. A second
 * 'run' (a test with two processes) sets t->skip. */
typedef bool (*ops_dirs_fn)(void *ctx, const struct ynode *dirs, struct test *t);
bool ops_parse(const struct ynode *ops, const char *file, struct diag *d, struct test *t,
	       ops_dirs_fn dirs_cb, void *dirs_ctx);
/* The steps of a test that gives none: run, then wait. */
void ops_default(struct test *t);
/* Reads the 'servers' list into t->ops. false with errors in d. */
bool ops_parse_servers(const struct ynode *servers, const char *file, struct diag *d, struct test *t);
/* 'proposals' (a list of http, sockets) into t->proposals; 'world' into t->world. */
bool ops_parse_proposals(const struct ynode *v, const char *file, struct diag *d, struct test *t);
bool ops_parse_world(const struct ynode *v, const char *file, struct diag *d, struct test *t);
/* A YAML suite's test keys of the same format (docs/suite-format.md): operations, servers,
 * proposals, world, and wasi (the WASI version). *known is false for any other key. */
bool ops_yaml_key(const char *key, const struct ynode *v, const char *file, struct diag *d, struct test *t,
		  bool *known);
/* After a YAML test's keys: steps by default when it has servers, stdin given twice, the
 * WASI version from the module when not given. false with errors in d. */
bool ops_yaml_finish(struct test *t, const char *file, struct diag *d);
/* A module's WASI version from what it is (malloc'd): a core module is wasm32-wasip1, a
 * component importing a wasi: interface at @0.3 wasm32-wasip3, another wasm32-wasip2. */
char *ops_module_version(const char *path);
/* t->ops, created empty when missing. */
struct test_ops *ops_of(struct test *t);
void ops_release(struct test_ops *o);

/* One run of a test's steps. */
struct ops_run {
	struct servers *srv;	/* the test's servers, while it runs */
	struct kv *env;		/* the guest's environment: the test's plus the servers' */
	size_t nenv;
	char *failure;		/* the first step that failed, and why */
	size_t failed_step;	/* 1-based, 0: none */
	size_t pending_step;	/* the step under way when the run ended (a timeout) */
	int sent_signal;	/* the last signal a kill step sent, 0: none */
	bool aborted;		/* the hook ended the process after a failed step */
	char *log;		/* what the steps did, one line each (for the result) */
};

/* Starts the test's servers and builds the guest's environment; call before the command
 * line is built (ops_env_test() gives the test as the adapter must see it). 0, or -1 with
 * *why: the servers could not start (a harness fault). */
int ops_prepare(struct ops_run *or, const struct test *t, char **why);
/* A shallow copy of t whose env is the run's (free nothing of it). */
struct test ops_env_test(const struct ops_run *or, const struct test *t);
/* Runs the command of 'spec' (its stdin settings are ignored: stdin is a pipe the steps
 * write) and the steps of t against it. */
void ops_exec(struct ops_run *or, const struct test *t, struct exec_spec *spec, struct exec_result *x);
struct result;
/* After judge(): a failed step makes a pass (or the status judge read from a process the
 * steps ended) a fail naming the step; a pending step is named in a timeout's reason. */
void ops_verdict(const struct ops_run *or, const struct test *t, const struct exec_result *x,
		 struct result *r);
/* Stops the servers and frees the run. */
void ops_finish(struct ops_run *or);

#endif
