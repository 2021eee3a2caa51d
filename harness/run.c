/* run.c - see run.h. Workers take the next job index under a mutex; each job works in
 * its own temporary directory: home/ (the runtime's HOME and TMPDIR), work/ (its
 * working directory) and p<N>/ (a fresh copy of each preopened fixture tree).
 * Every process runs contained (exec.h); the harness is a subreaper too, and sweeps its
 * children when the pool is done, for runtimes that killed their containment.
 * A stop (run_opts.stop) is seen by the workers between jobs and by exec_run while a
 * job runs; a stopped job's result is dropped and its temporary directory removed.
 * Compile caches (docs/adapters.md "Compile caches"): the one thing shared between runs
 * of a runtime is its cache directory (run_cache_prepare), named to the runtime only; a
 * module the cache has not seen runs under a per-module flock, and a cold timeout is
 * compiled into the cache (cache.compile) and retried warm. */
#define _GNU_SOURCE
#include "run.h"
#include "exec.h"
#include "net.h"
#include "beneath.h"
#include "fixture.h"
#include "guestpath.h"
#include "text.h"
#include "ops.h"
#include "warm.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pool {
	struct run *run;
	const struct run_opts *o;
	pthread_mutex_t lock;
	size_t next;
	size_t faults;
	char *first_fault;	/* the first fault's reason, for the message */
	bool *finished;		/* per result: judged (not dropped by a stop) */
	char **refusals;	/* nrts * RUN_NKINDS: what the runtime said, run on a module
				 * of a WASI version its adapter does not declare (probe_refusals) */
};

static bool stop_requested(const struct run_opts *o)
{
	return o->stop && atomic_load(o->stop) != 0;
}

static void note_fault(struct pool *p, const char *why)
{
	pthread_mutex_lock(&p->lock);
	if (!p->faults++)
		p->first_fault = xstrdup(why);
	pthread_mutex_unlock(&p->lock);
}

/* Appends 'more' (taken) to a result's reason. */
static void add_reason(struct result *r, char *more)
{
	if (r->reason) {
		char *both = xasprintf("%s; %s", r->reason, more);
		free(r->reason);
		free(more);
		r->reason = both;
	} else {
		r->reason = more;
	}
}

/* A runtime that leaves processes behind does not pass: what it started outlived it. */
static void note_strays(struct result *r, const struct exec_result *x)
{
	r->strays = x->strays;
	if (x->strays > 0) {
		if (r->outcome == OUT_PASS) {
			r->outcome = OUT_FAIL;
			free(r->reason);
			r->reason = NULL;
		}
		add_reason(r, xasprintf("the runtime left %d process%s running after it exited (killed by the harness)",
					x->strays, x->strays == 1 ? "" : "es"));
	}
	if (x->uncontained)
		add_reason(r, xstrdup("the harness could not account for the processes it started (its containment "
				      "process was killed, or /proc is unavailable); what is left is killed at the end of the run"));
}

static char *env_entry(const char *k, const char *v)
{
	return xasprintf("%s=%s", k, v);
}

/* The command as it ran, for sh: the working directory, exactly the environment, the argv,
 * and stdin as the runtime got it: /dev/null, or the test's bytes through a pipe (printf
 * with octal escapes, so any byte survives and the command stays one ASCII line). */
static void build_command(struct result *r, char **argv, char **envp, const struct test *t, const char *cwd)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "cd ");
	text_shell_quote(&b, cwd);
	buf_adds(&b, " && ");
	if (t->stdin_len) {
		buf_adds(&b, "printf '");
		for (size_t i = 0; i < t->stdin_len; i++) {
			unsigned char c = (unsigned char)t->stdin_data[i];
			if (c == '%')
				buf_adds(&b, "%%");
			else if (c == '\\')
				buf_adds(&b, "\\\\");
			else if (c >= 0x20 && c < 0x7f && c != '\'' && (c != '-' || i))	/* not an option */
				buf_addc(&b, (char)c);
			else
				buf_addf(&b, "\\%03o", c);
		}
		buf_adds(&b, "' | ");
	}
	buf_adds(&b, "env -i");
	for (char **e = envp; *e; e++) {
		buf_addc(&b, ' ');
		text_shell_quote(&b, *e);
	}
	for (char **a = argv; *a; a++) {
		buf_addc(&b, ' ');
		text_shell_quote(&b, *a);
	}
	if (!t->stdin_len && !t->ops)
		buf_adds(&b, " </dev/null");	/* a test of steps writes stdin as it goes */
	r->command = buf_detach(&b);
}

/* The one place a preopen's guest path becomes a host directory: a fresh copy of its
 * fixture under the job's directory, opened before the guest runs (jd->fd). For runtimes
 * that preopen the guest path itself (same-path), the copy is the guest path resolved
 * beneath the working directory, which it must not leave. Returns NULL or the reason. */
static char *map_dir(const struct adapter *a, const struct test_dir *td, size_t i, const char *base,
		     int basefd, const char *work, int workfd, struct preopen *pre, struct judged_dir *jd)
{
	const char *bad = guestpath_invalid(td->guest);
	pre->guest = xstrdup(td->guest);
	jd->guest = pre->guest;
	if (bad)
		return xasprintf("guest path '%s' %s", td->guest, bad);
	if (a->preopens == PREOPEN_CWD) {
		jd->host = xstrdup(work);
		pre->host = xstrdup(".");
		jd->fd = openat(workfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else if (a->preopens == PREOPEN_SAME_PATH) {
		jd->host = path_join(work, td->guest);
		pre->host = xstrdup(td->guest);
		jd->fd = beneath_open(workfd, td->guest, O_RDONLY | O_DIRECTORY, BENEATH_FOLLOW | BENEATH_MKDIR);
		if (jd->fd < 0 && errno == EXDEV)
			return xasprintf("guest path '%s' leads out of the working directory", td->guest);
	} else {
		char name[32];
		snprintf(name, sizeof name, "p%zu", i);
		jd->host = xasprintf("%s/%s", base, name);
		pre->host = xstrdup(jd->host);
		if (mkdirat(basefd, name, 0755) == 0)
			jd->fd = openat(basefd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (jd->fd < 0)
		return xasprintf("cannot create %s: %s", jd->host, strerror(errno));
	char *cwhy = NULL;
	if (td->host && (td->except ? fixture_copy_except(td->host, jd->fd, td->except, &cwhy)
			 : fixture_copy(td->host, jd->fd, &cwhy)) < 0) {
		char *w = xasprintf("fixture copy failed: %s", cwhy);
		free(cwhy);
		return w;
	}
	return NULL;
}

/* The runtime's environment: PATH, the run's own HOME and TMPDIR, the adapter's set_env,
 * and with the cache on its cache.env. */
static void base_env(const struct adapter *a, const char *home, const char *cache, struct strvec *envp)
{
	const char *path = getenv("PATH");
	strvec_push_nodup(envp, env_entry("PATH", path ? path : "/usr/bin:/bin"));
	strvec_push_nodup(envp, env_entry("HOME", home));
	strvec_push_nodup(envp, env_entry("TMPDIR", home));
	for (size_t i = 0; i < a->nset_env; i++)
		strvec_push_nodup(envp, env_entry(a->set_env[i].key, a->set_env[i].value));
	adapter_cache_env(a, cache, envp);
}

/* The run in the warm launcher wl (warm.h): its command and environment (its own HOME),
 * and the request, launcher.request expanded as command is for a fresh process. */
static enum warm_status run_warm(struct pool *p, struct test *t, struct adapter *a, const char *cache,
				 struct warm_launcher *wl, const struct preopen *pre, const char *work,
				 const char *base, const struct exec_spec *spec, struct exec_result *x, char **why)
{
	const char *dir = warm_dir(wl, p->o->tmp_root, why);
	if (!dir)
		return WARM_UNUSED;
	char *home = path_join(dir, "home");
	struct strvec largv = STRVEC_INIT, lenv = STRVEC_INIT, req = STRVEC_INIT;
	adapter_launcher_argv(a, cache, &largv);
	base_env(a, home, cache, &lenv);
	adapter_request_argv(a, t, pre, t->ndirs, work, cache, &req);
	enum warm_status ws = warm_exec(wl, strvec_argv(&largv), strvec_argv(&lenv), strvec_argv(&req), work, base,
					spec, x, why);
	strvec_release(&largv);
	strvec_release(&lenv);
	strvec_release(&req);
	free(home);
	return ws;
}

/* One run of test t on runtime a into r, in its own temporary directory; cache is the
 * runtime's cache directory or NULL; wl the warm launcher to run it in, or NULL for a
 * fresh process. Returns false when the job was stopped. When the launcher died during
 * the run, *lost says why and r is to be dropped (run_launch runs it again, fresh). */
static bool run_attempt(struct pool *p, struct test *t, struct adapter *a, const char *cache, struct result *r,
			struct warm_launcher *wl, char **lost)
{
	const struct run_opts *o = p->o;
	char *why = NULL;
	char *base = xasprintf("%s/wasmatrix-XXXXXX", o->tmp_root);
	if (!mkdtemp(base)) {
		r->outcome = OUT_ERROR;
		r->reason = xasprintf("cannot create a temporary directory in %s: %s", o->tmp_root, strerror(errno));
		note_fault(p, r->reason);
		free(base);
		return true;
	}
	bool finished = true;
	char *home = path_join(base, "home"), *work = path_join(base, "work");
	mkdir(home, 0700);
	mkdir(work, 0700);
	/* every copy is reached from fds opened here, before the guest runs: what the guest
	 * does to the tree afterwards (links, renames) cannot redirect the copy or the judge */
	int basefd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int workfd = basefd < 0 ? -1 : openat(basefd, "work", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (workfd < 0)
		why = xasprintf("cannot open %s: %s", work, strerror(errno));
	struct preopen *pre = xcalloc(t->ndirs + 1, sizeof *pre);
	struct judged_dir *jd = xcalloc(t->ndirs + 1, sizeof *jd);
	for (size_t i = 0; i < t->ndirs; i++)
		jd[i].fd = -1;
	for (size_t i = 0; i < t->ndirs && !why; i++)
		why = map_dir(a, &t->dirs[i], i, base, basefd, work, workfd, &pre[i], &jd[i]);
	struct strvec argv = STRVEC_INIT, envp = STRVEC_INIT;
	/* a test of steps (ops.h): its servers start first, their addresses join the env */
	struct ops_run orun = { 0 };
	if (!why && t->ops && ops_prepare(&orun, t, &why) < 0)
		note_fault(p, why);
	if (!why) {
		struct test view = t->ops ? ops_env_test(&orun, t) : *t;
		adapter_argv(a, &view, pre, t->ndirs, work, cache, &argv);
	}
	if (!why && stop_requested(o)) {
		finished = false;
	} else if (why) {
		r->outcome = OUT_ERROR;
		r->reason = why;
	} else {
		base_env(a, home, cache, &envp);
		if (t->ops && t->ops->debug)
			strvec_push_nodup(&envp, env_entry("DEBUG", "true"));	/* as upstream's runner */
		struct exec_spec spec = { 0 };
		spec.argv = strvec_argv(&argv);
		spec.envp = strvec_argv(&envp);
		spec.cwd = work;
		spec.stdin_data = t->stdin_data;
		spec.stdin_len = t->stdin_len;
		/* an emulated runtime's timeout is scaled by its measured slowdown (arch.h) */
		spec.timeout = (t->timeout > 0 ? t->timeout : o->timeout) * a->time_scale;
		spec.cap = o->cap;
		spec.stop = o->stop;
		build_command(r, spec.argv, spec.envp, t, work);
		r->cwd = xstrdup(work);
		struct exec_result x;
		if (t->ops) {
			ops_exec(&orun, t, &spec, &x);
		} else {
			enum warm_status ws = WARM_UNUSED;
			char *wwhy = NULL;
			if (wl)
				ws = run_warm(p, t, a, cache, wl, pre, work, base, &spec, &x, &wwhy);
			if (ws == WARM_LOST) {
				*lost = wwhy;
				goto done;
			}
			if (ws == WARM_UNUSED)
				exec_run(&spec, &x);
			r->warm = ws == WARM_DONE;
			r->launch_note = wwhy;
		}
		finished = x.status != EXEC_STOPPED;
		r->ran = x.status != EXEC_SPAWN_ERROR;
		if (finished)
			judge(t, a, &x, jd, t->ndirs, spec.timeout, r);
		if (finished && t->ops)
			ops_verdict(&orun, t, &x, r);
		note_strays(r, &x);
		if (x.fault)
			note_fault(p, r->reason ? r->reason : "could not start the runtime");
		r->duration = x.duration;
		r->outn = x.out.len;
		r->errn = x.err.len;
		r->out_total = x.out_total;
		r->err_total = x.err_total;
		r->out_trunc = x.out.truncated;
		r->err_trunc = x.err.truncated;
		r->out = buf_detach(&x.out);
		r->err = buf_detach(&x.err);
		if (t->ndirs) {
			struct buf dg = BUF_INIT;
			for (size_t i = 0; i < t->ndirs; i++) {
				char *h = jd[i].fd >= 0 ? fixture_digest_fd(jd[i].fd) : NULL;
				buf_addf(&dg, "%s%s", i ? "," : "", h ? h : "?");
				free(h);
			}
			r->files_digest = buf_detach(&dg);
		}
		exec_result_release(&x);
	}
done:
	ops_finish(&orun);
	if (finished && o->keep && outcome_unexpected(r->outcome)) {
		r->kept = xstrdup(base);
	} else if (fs_remove_tree(base) != 0) {
		fprintf(stderr, "wasmatrix: warning: could not remove %s\n", base);
	}
	for (size_t i = 0; i < t->ndirs; i++) {
		free(pre[i].host);
		free(pre[i].guest);
		free((char *)jd[i].host);
		if (jd[i].fd >= 0)
			close(jd[i].fd);
	}
	if (workfd >= 0)
		close(workfd);
	if (basefd >= 0)
		close(basefd);
	free(pre);
	free(jd);
	strvec_release(&argv);
	strvec_release(&envp);
	free(home);
	free(work);
	free(base);
	return finished;
}

/* The sha256 of a file as 64 hex digits (malloc'd), or NULL. */
static char *file_sha256(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	char *hex = NULL;
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL)) {
		unsigned char b[65536];
		ssize_t n;
		while ((n = read(fd, b, sizeof b)) > 0)
			EVP_DigestUpdate(c, b, (size_t)n);
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned len = 0;
		if (n == 0 && EVP_DigestFinal_ex(c, md, &len)) {
			hex = xcalloc(2 * len + 1, 1);
			for (unsigned i = 0; i < len; i++)
				snprintf(hex + 2 * i, 3, "%02x", md[i]);
		}
	}
	EVP_MD_CTX_free(c);
	close(fd);
	return hex;
}

static bool seen(const struct run_cache *rc, const char *digest)
{
	struct stat st;
	return fstatat(rc->seenfd, digest, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static void mark_seen(const struct run_cache *rc, const char *digest)
{
	int fd = openat(rc->seenfd, digest, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

/* cache.compile for the test's module into the cache, in a temporary directory of its
 * own. Returns NULL when it finished (whatever its exit code: a module the runtime
 * refuses is refused again by the retry), else why not (malloc'd). */
static char *compile_into_cache(struct pool *p, struct test *t, struct adapter *a, const char *cache)
{
	const struct run_opts *o = p->o;
	char *base = xasprintf("%s/wasmatrix-XXXXXX", o->tmp_root);
	if (!mkdtemp(base)) {
		char *w = xasprintf("cannot create a temporary directory in %s: %s", o->tmp_root, strerror(errno));
		free(base);
		return w;
	}
	char *home = path_join(base, "home"), *work = path_join(base, "work");
	mkdir(home, 0700);
	mkdir(work, 0700);
	struct strvec argv = STRVEC_INIT, envp = STRVEC_INIT;
	adapter_compile_argv(a, t, work, cache, &argv);
	base_env(a, home, cache, &envp);
	struct exec_spec spec = { 0 };
	spec.argv = strvec_argv(&argv);
	spec.envp = strvec_argv(&envp);
	spec.cwd = work;
	spec.timeout = (o->compile_timeout > 0 ? o->compile_timeout : 600) * a->time_scale;
	spec.cap = 1 << 16;
	spec.stop = o->stop;
	struct exec_result x;
	exec_run(&spec, &x);
	char *why = x.status == EXEC_TIMEOUT ? xasprintf("compiling alone took longer than %gs", spec.timeout) :
		x.status == EXEC_STOPPED ? xstrdup("stopped") :
		x.status == EXEC_SPAWN_ERROR ? xasprintf("cache.compile could not start: %s", x.error ? x.error : "?") :
		NULL;
	exec_result_release(&x);
	if (fs_remove_tree(base) != 0)
		fprintf(stderr, "wasmatrix: warning: could not remove %s\n", base);
	strvec_release(&argv);
	strvec_release(&envp);
	free(home);
	free(work);
	free(base);
	return why;
}

/* run_attempt in the warm launcher wl (or fresh when NULL); a run whose launcher died
 * during it runs again in a fresh process, with fresh fixture copies, and says so. */
static bool run_launch(struct pool *p, struct test *t, struct adapter *a, const char *cache, struct result *r,
		       struct warm_launcher *wl)
{
	char *lost = NULL;
	struct result fresh = *r;	/* the fields set before a run */
	bool finished = run_attempt(p, t, a, cache, r, wl, &lost);
	if (!lost)
		return finished;
	if (r->kept)
		fs_remove_tree(r->kept);
	result_release(r);
	*r = fresh;
	finished = run_attempt(p, t, a, cache, r, NULL, NULL);
	char *note = xasprintf("%s; this run is in a fresh process", lost);
	free(lost);
	free(r->launch_note);
	r->launch_note = note;
	return finished;
}

/* ---- what a runtime says about a module it does not run ----
 *
 * A test whose WASI version the runtime's adapter does not declare (a component on
 * wazero, a core module on jco) is `unsupported` without running it. Its reason is the
 * runtime's own: before the tests start, each such runtime runs, once per version, the
 * first module of that version in the run (its plain command line: no arguments,
 * environment or preopens), and the line of its output that says why it refused the
 * module joins every such result's reason. One short process per (runtime, version),
 * not one per test: a refusal of the binary's kind does not depend on the test. */

#define RUN_NKINDS 3

static int kind_slot(const char *wasi)
{
	static const char *const kinds[RUN_NKINDS] = { "wasm32-wasip1", "wasm32-wasip2", "wasm32-wasip3" };
	for (int i = 0; i < RUN_NKINDS; i++)
		if (!strcmp(wasi, kinds[i]))
			return i;
	return -1;
}

static bool has_word_ci(const char *s, size_t n, const char *w)
{
	size_t wn = strlen(w);
	for (size_t i = 0; i + wn <= n; i++)
		if (!strncasecmp(s + i, w, wn))
			return true;
	return false;
}

/* The line that says why: the first naming the binary's version, magic, layer, header
 * or parser; else the first naming a component (a path can hold that word, so it comes second);
 * else the first naming an error; else the first that is not a warning (stack frames are
 * never picked). Trimmed of
 * blanks, of the tree-drawing some runtimes put before a cause and of its number;
 * made visible, at most 300 bytes; malloc'd, or NULL when there is no line. */
static char *refusal_line(const char *s, size_t n)
{
	static const char *const words[3][6] = {
		{ "version", "magic", "layer", "header", "parser" }, { "component", NULL }, { "error", NULL } };
	const char *pick[4] = { NULL, NULL, NULL, NULL };
	size_t plen[4] = { 0, 0, 0, 0 };
	for (size_t i = 0; i < n;) {
		size_t e = i;
		while (e < n && s[e] != '\n')
			e++;
		size_t a = i, z = e;
		while (a < z && (strchr(" \t\r^", s[a]) || (unsigned char)s[a] >= 0x80))
			a++;
		size_t d = a;	/* "1: " of a numbered cause */
		while (d < z && s[d] >= '0' && s[d] <= '9')
			d++;
		if (d > a && d + 1 < z && s[d] == ':' && s[d + 1] == ' ')
			a = d + 2;
		while (z > a && strchr(" \t\r", s[z - 1]))
			z--;
		bool frame = z - a > 3 && !strncmp(s + a, "at ", 3);	/* a JavaScript stack frame */
		if (z > a && !frame && !has_word_ci(s + a, z - a, "warning") &&
		    !has_word_ci(s + a, z - a, "stack backtrace")) {
			int k = 3;
			for (int r = 0; r < 3 && k == 3; r++)
				for (int w = 0; words[r][w] && k == 3; w++)
					if (has_word_ci(s + a, z - a, words[r][w]))
						k = r;
			if (!pick[k]) {
				pick[k] = s + a;
				plen[k] = z - a;
			}
		}
		i = e + 1;
	}
	for (int k = 0; k < 4; k++) {
		if (!pick[k])
			continue;
		/* without the terminal's colours (CSI sequences), the rest made visible */
		struct buf raw = BUF_INIT, out = BUF_INIT;
		for (size_t i = 0; i < plen[k]; i++) {
			if (pick[k][i] == '\033' && i + 1 < plen[k] && pick[k][i + 1] == '[') {
				i += 2;
				while (i < plen[k] && !(pick[k][i] >= 0x40 && pick[k][i] <= 0x7e))
					i++;
				continue;
			}
			buf_addc(&raw, pick[k][i]);
		}
		text_visible(&out, raw.data ? raw.data : "", raw.len > 300 ? 300 : raw.len, false);
		buf_release(&raw);
		return buf_detach(&out);
	}
	return NULL;
}

/* Runs t's module (of version wasi) on a as its adapter runs any module; returns what it
 * said (malloc'd), or NULL. */
static char *probe_one(struct pool *p, struct adapter *a, const struct test *t, const char *wasi)
{
	const struct run_opts *o = p->o;
	char *base = xasprintf("%s/wasmatrix-XXXXXX", o->tmp_root);
	if (!mkdtemp(base)) {
		free(base);
		return NULL;
	}
	char *home = path_join(base, "home"), *work = path_join(base, "work");
	mkdir(home, 0700);
	mkdir(work, 0700);
	struct test probe;
	memset(&probe, 0, sizeof probe);
	probe.module = t->module;
	probe.name = t->name;
	probe.id = t->id;
	probe.wasi = t->wasi;	/* the adapter's command for a version it does not declare: its default */
	struct strvec argv = STRVEC_INIT, envp = STRVEC_INIT;
	adapter_argv(a, &probe, NULL, 0, work, NULL, &argv);
	base_env(a, home, NULL, &envp);
	struct exec_spec spec = { 0 };
	spec.argv = strvec_argv(&argv);
	spec.envp = strvec_argv(&envp);
	spec.cwd = work;
	spec.timeout = o->timeout > 0 && o->timeout < 20 ? o->timeout : 20;
	spec.cap = 64 << 10;
	spec.stop = o->stop;
	struct exec_result x;
	exec_run(&spec, &x);
	char *line = refusal_line(x.err.data, x.err.len);
	if (!line)
		line = refusal_line(x.out.data, x.out.len);
	char *said;
	if (x.status == EXEC_EXITED && x.code == 0)
		said = xasprintf("%s ran %s (exit 0) when tried, though its adapter does not declare %s: its versions "
				 "are out of date", a->name, t->id, wasi);
	else if (x.status == EXEC_EXITED || x.status == EXEC_SIGNALED)
		said = xasprintf("%s says: %s (%s %d, tried on %s)", a->name, line ? line : "(nothing)",
				 x.status == EXEC_EXITED ? "exit" : "signal", x.code, t->id);
	else if (x.status == EXEC_TIMEOUT)
		said = xasprintf("%s said nothing in %.0f s on %s", a->name, spec.timeout, t->id);
	else
		said = NULL;	/* stopped, or could not start: the adapter's reason stands */
	free(line);
	exec_result_release(&x);
	strvec_release(&argv);
	strvec_release(&envp);
	fs_remove_tree(base);
	free(home);
	free(work);
	free(base);
	return said;
}

static void probe_refusals(struct pool *p)
{
	struct run *run = p->run;
	for (size_t ri = 0; ri < run->nrts; ri++) {
		struct adapter *a = &run->rts[ri];
		if (a->missing)
			continue;
		bool tried[RUN_NKINDS] = { false };
		for (size_t ti = 0; ti < run->ntests && !stop_requested(p->o); ti++) {
			const struct test *t = run->tests[ti];
			const char *wasi = t->wasi ? t->wasi : "wasm32-wasip1";
			int k = kind_slot(wasi);
			if (k < 0 || tried[k] || t->skip || (run->preskip && run->preskip[ti * run->nrts + ri]) ||
			    adapter_declares(a, wasi) || !t->module)
				continue;
			tried[k] = true;
			if (!p->refusals)
				p->refusals = xcalloc(run->nrts * RUN_NKINDS, sizeof *p->refusals);
			p->refusals[ri * RUN_NKINDS + k] = probe_one(p, a, t, wasi);
		}
	}
}

/* Returns false when the job was stopped: its result is dropped. wl: the worker's warm
 * launchers (one per runtime), or NULL. */
static bool run_one(struct pool *p, size_t idx, struct warm_launcher *wls)
{
	struct run *run = p->run;
	size_t ti = idx / run->nrts, ri = idx % run->nrts;
	struct test *t = run->tests[ti];
	struct adapter *a = &run->rts[ri];
	struct result *r = &run->results[idx];
	r->test_idx = ti;
	r->rt_idx = ri;
	r->exit_code = -1;
	if (run->preskip && run->preskip[idx]) {
		r->outcome = OUT_SKIP;
		r->reason = xstrdup(run->preskip[idx]);
		return true;
	}
	if (t->skip) {
		r->outcome = OUT_SKIP;
		r->reason = xstrdup(t->skip);
		return true;
	}
	if (a->missing) {
		r->outcome = OUT_SKIP;
		r->reason = xasprintf("runtime %s unavailable: %s", a->name, a->missing);
		return true;
	}
	char *why = adapter_unsupported(a, t);
	if (why) {
		r->outcome = OUT_UNSUPPORTED;
		int k = kind_slot(t->wasi ? t->wasi : "wasm32-wasip1");
		const char *said = p->refusals && k >= 0 ? p->refusals[ri * RUN_NKINDS + k] : NULL;
		if (said && !adapter_declares(a, t->wasi ? t->wasi : "wasm32-wasip1")) {
			r->reason = xasprintf("%s; %s", said, why);
			free(why);
		} else {
			r->reason = why;
		}
		return true;
	}
	why = adapter_cannot_run(a, t);
	if (why) {
		r->outcome = OUT_SKIP;
		r->reason = why;
		return true;
	}
	/* a flag variant runs fresh: the launcher was started without the feature's flags */
	struct warm_launcher *wl = wls && a->launcher_command.n && !t->flag_variant ? &wls[ri] : NULL;
	const struct run_cache *rc = run->caches && run->caches[ri].dir ? &run->caches[ri] : NULL;
	if (!rc) {
		r->cache = a->cache.on ? CC_OFF : CC_NONE;
		bool finished = run_launch(p, t, a, NULL, r, wl);
		if (!finished)
			result_release(r);
		return finished;
	}
	/* The cache is on. A module not seen yet compiles into it: one job at a time per
	 * (runtime, module), here and in other wasmatrix processes (flock), so a runtime never
	 * reads an entry another one is writing, whatever its own cache does about that. */
	char *digest = file_sha256(t->module);
	if (digest && t->flag_variant) {
		/* compiled with the feature's flags: another entry than the default run's */
		char *flagged = xasprintf("%s.flag", digest);
		free(digest);
		digest = flagged;
	}
	int lockfd = -1;
	if (digest && !seen(rc, digest)) {
		char *lock = xasprintf("%s.lock", digest);
		lockfd = openat(rc->seenfd, lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (lockfd >= 0)
			flock(lockfd, LOCK_EX);
		free(lock);
	}
	r->cache = digest && seen(rc, digest) ? CC_WARM : CC_COLD;
	bool finished = run_launch(p, t, a, rc->dir, r, wl);
	if (finished && r->cache == CC_COLD && r->outcome == OUT_TIMEOUT && digest && a->cache.compile.n &&
	    !stop_requested(p->o)) {
		/* a timeout while compiling cold is no verdict on the runtime: compile into the
		 * cache without a run's limit, then run again, warm, with the same limit */
		double cold = r->duration;
		char *cwhy = compile_into_cache(p, t, a, rc->dir);
		if (!cwhy) {
			mark_seen(rc, digest);
			struct result again = { 0 };
			again.test_idx = ti;
			again.rt_idx = ri;
			again.exit_code = -1;
			again.cache = CC_WARM;
			finished = run_launch(p, t, a, rc->dir, &again, wl);
			if (finished) {
				if (r->kept)
					fs_remove_tree(r->kept);
				result_release(r);
				*r = again;
				r->cold_timeout = cold;
				add_reason(r, xasprintf("the cold run timed out after %.1fs (compiling into an empty cache); "
							"compiled into the cache, this is the warm retry", cold));
			} else {
				result_release(&again);
			}
		} else if (strcmp(cwhy, "stopped")) {
			add_reason(r, xasprintf("cold run: the module was not yet in %s's compile cache, and %s", a->name,
						cwhy));
		}
		free(cwhy);
	} else if (finished && r->cache == CC_COLD && r->outcome == OUT_TIMEOUT && digest) {
		add_reason(r, xasprintf("cold run: the module was not yet in %s's compile cache (the adapter has no "
					"cache.compile to compile it first)", a->name));
	} else if (finished && digest && r->ran && r->outcome != OUT_TIMEOUT && r->outcome != OUT_ERROR) {
		mark_seen(rc, digest);
	}
	if (lockfd >= 0)
		close(lockfd);	/* releases the flock */
	free(digest);
	if (!finished)
		result_release(r);
	return finished;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct warm_launcher *wls = p->o->warm_launch ? xcalloc(p->run->nrts + 1, sizeof *wls) : NULL;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t idx = p->next < p->run->nresults && !stop_requested(p->o) ? p->next++ : (size_t)-1;
		pthread_mutex_unlock(&p->lock);
		if (idx == (size_t)-1)
			break;
		if (!run_one(p, idx, wls))
			continue;
		pthread_mutex_lock(&p->lock);
		p->run->done++;
		p->finished[idx] = true;
		if (p->o->progress)
			p->o->progress(p->o->progress_ctx, p->run, idx);
		pthread_mutex_unlock(&p->lock);
	}
	for (size_t i = 0; wls && i < p->run->nrts; i++)
		warm_close(&wls[i]);
	free(wls);
	return NULL;
}

/* ---- compile caches ---- */

bool run_cold_env(void)
{
	const char *v = getenv("WASMATRIX_COLD");
	return v && *v && strcmp(v, "0");
}

bool run_warm_launch_env(void)
{
	const char *v = getenv("WASMATRIX_WARM_LAUNCH");
	return v && *v && strcmp(v, "0");
}

const char *compile_cache_name(enum compile_cache c)
{
	static const char *const names[] = { "none", "off", "cold", "warm" };
	return names[c];
}

bool compile_cache_parse(const char *s, enum compile_cache *c)
{
	for (int i = CC_NONE; i <= CC_WARM; i++)
		if (!strcmp(s, compile_cache_name((enum compile_cache)i))) {
			*c = (enum compile_cache)i;
			return true;
		}
	return false;
}

char *run_cache_root(char **why)
{
	struct net_opts no;
	net_opts_init(&no);	/* the one place the cache directory is found */
	char *root = no.cache_dir;
	no.cache_dir = NULL;
	net_opts_release(&no);
	if (!root)
		*why = xstrdup("no directory for the compile caches (set XDG_CACHE_HOME or HOME to an absolute path)");
	return root;
}

/* Opens (making it 0700 if missing) the directory name beneath parentfd, never through a
 * symbolic link, and checks it is ours and not writable by others. shown names it in
 * messages. Returns the descriptor, or -1 with *why. */
static int private_subdir(int parentfd, const char *name, const char *shown, char **why)
{
	if (mkdirat(parentfd, name, 0700) < 0 && errno != EEXIST) {
		*why = xasprintf("cannot create %s: %s", shown, strerror(errno));
		return -1;
	}
	int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		int e = errno;
		if (fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
			*why = xasprintf("%s is a symbolic link: refusing to follow it; remove it", shown);
		else if (e == ENOTDIR)
			*why = xasprintf("%s is not a directory: remove it", shown);
		else
			*why = xasprintf("cannot open %s: %s", shown, strerror(e));
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		*why = st.st_uid != geteuid() ?
			xasprintf("%s belongs to another user (uid %ld): refusing to use it", shown, (long)st.st_uid) :
			xasprintf("%s is writable by others (mode %03o): refusing to use it", shown,
				  (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	return fd;
}

/* name@version with every byte outside [A-Za-z0-9._+-] as '_', never starting with '.'. */
static char *cache_name(const struct adapter *a)
{
	char *n = xasprintf("%s@%s", a->name, a->version && *a->version ? a->version : "unknown");
	for (char *c = n; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		      *c == '_' || *c == '+' || *c == '-' || *c == '@'))
			*c = '_';
	if (n[0] == '.')
		n[0] = '_';
	return n;
}

/* Is dir (a real path) path itself or beneath it? */
static bool path_within(const char *dir, const char *path)
{
	size_t n = strlen(path);
	return !strncmp(dir, path, n) && (dir[n] == '/' || dir[n] == 0 || (n == 1 && path[0] == '/'));
}

/* Writes cache.files into the cache directory, each by a new file and a rename. */
static int write_cache_files(const struct adapter *a, const struct run_cache *rc, char **why)
{
	for (size_t i = 0; i < a->cache.nfiles; i++) {
		char *text = adapter_cache_file(a, i, rc->dir);
		char *tmp = xasprintf(".wasmatrix-tmp-%ld-%s", (long)getpid(), a->cache.files[i].key);
		unlinkat(rc->fd, tmp, 0);
		int fd = openat(rc->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		size_t len = strlen(text);
		bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len;
		if (fd >= 0 && close(fd) != 0)
			ok = false;
		if (ok && renameat(rc->fd, tmp, rc->fd, a->cache.files[i].key) != 0)
			ok = false;
		if (!ok) {
			*why = xasprintf("cannot write %s/%s: %s", rc->dir, a->cache.files[i].key, strerror(errno));
			unlinkat(rc->fd, tmp, 0);
		}
		free(tmp);
		free(text);
		if (!ok)
			return -1;
	}
	return 0;
}

int run_cache_prepare(struct run *run, const char *root, char **why)
{
	*why = NULL;
	bool any = false;
	for (size_t i = 0; i < run->nrts; i++)
		any |= run->rts[i].cache.on && !run->rts[i].missing;
	if (!any)
		return 0;
	if (fs_mkdir_private(root, why) < 0)
		return -1;
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		*why = xasprintf("cannot open %s: %s", root, strerror(errno));
		return -1;
	}
	char *shown = path_join(root, "compile");
	int compfd = private_subdir(rootfd, "compile", shown, why);
	close(rootfd);
	free(shown);
	if (compfd < 0)
		return -1;
	run->caches = xcalloc(run->nrts + 1, sizeof *run->caches);
	for (size_t i = 0; i < run->nrts; i++)
		run->caches[i].fd = run->caches[i].seenfd = -1;
	int rc = 0;
	for (size_t i = 0; i < run->nrts && rc == 0; i++) {
		const struct adapter *a = &run->rts[i];
		struct run_cache *c = &run->caches[i];
		if (!a->cache.on || a->missing)
			continue;
		char *name = cache_name(a);
		char *path = xasprintf("%s/compile/%s", root, name);
		c->fd = private_subdir(compfd, name, path, why);
		free(path);
		free(name);
		if (c->fd < 0) {
			rc = -1;
			break;
		}
		/* {cache} is the directory just checked, by its real path, so what the runtime is
		 * given is what was checked */
		char link[64], real[PATH_MAX];
		snprintf(link, sizeof link, "/proc/self/fd/%d", c->fd);
		ssize_t n = readlink(link, real, sizeof real - 1);
		if (n <= 0) {
			*why = xasprintf("cannot resolve the compile cache of %s: %s", a->name, strerror(errno));
			rc = -1;
			break;
		}
		real[n] = 0;
		for (const char *q = real; *q && rc == 0; q++)
			if ((unsigned char)*q < 0x20 || *q == '\'' || *q == '"' || *q == '\\' || *q == 0x7f) {
				*why = xasprintf("the compile cache path %s holds a quote, a backslash or a control "
						 "character, which a runtime's config file cannot name; set XDG_CACHE_HOME "
						 "elsewhere or run with --cold", real);
				rc = -1;
			}
		if (rc)
			break;
		c->dir = xstrdup(real);
		/* a preopened fixture holding the cache would copy it into the guest's view */
		for (size_t t = 0; t < run->ntests && rc == 0; t++)
			for (size_t k = 0; k < run->tests[t]->ndirs && rc == 0; k++) {
				const char *host = run->tests[t]->dirs[k].host;
				char *hr = host ? realpath(host, NULL) : NULL;
				if (hr && path_within(c->dir, hr)) {
					*why = xasprintf("the compile cache %s lies inside %s, which test %s preopens: the "
							 "guest would see it; set XDG_CACHE_HOME elsewhere or run with --cold",
							 c->dir, hr, run->tests[t]->id);
					rc = -1;
				}
				free(hr);
			}
		if (rc)
			break;
		char *sshown = path_join(c->dir, ".wasmatrix-seen");
		c->seenfd = private_subdir(c->fd, ".wasmatrix-seen", sshown, why);
		free(sshown);
		if (c->seenfd < 0 || write_cache_files(a, c, why) < 0)
			rc = -1;
	}
	close(compfd);
	return rc;
}

/* Descriptors one job may hold at once: four pipes while its runtime starts (8), and a
 * fixture tree being copied, digested or removed a few directories deep. */
#define RUN_FDS_PER_JOB 16
/* The harness's own: stdio, the output lock, whatever loading left open. */
#define RUN_FDS_RESERVE 16

int run_jobs_max(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)INT_MAX)
		return INT_MAX;
	long n = ((long)rl.rlim_cur - RUN_FDS_RESERVE) / RUN_FDS_PER_JOB;
	return n < 1 ? 1 : (int)n;
}

int run_check_tmp(const char *tmp_root, char **why)
{
	char *probe = xasprintf("%s/wasmatrix-XXXXXX", tmp_root);
	int rc = 0;
	if (!mkdtemp(probe)) {
		*why = xasprintf("cannot create a temporary directory in %s: %s", tmp_root, strerror(errno));
		rc = -1;
	} else {
		rmdir(probe);
	}
	free(probe);
	return rc;
}

int run_execute(struct run *run, const struct run_opts *o)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	run->started = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	double t0 = now_seconds();
	run->nresults = run->planned = run->ntests * run->nrts;
	run->results = xcalloc(run->nresults + 1, sizeof *run->results);
	run->done = 0;
	run->stopped = 0;
	exec_contain_init();
	struct pool p = { .run = run, .o = o, .lock = PTHREAD_MUTEX_INITIALIZER };
	p.finished = xcalloc(run->nresults + 1, sizeof *p.finished);
	probe_refusals(&p);
	int n = o->jobs > 0 ? o->jobs : 1, max = run_jobs_max();
	if (n > max)
		n = max;
	if ((size_t)n > run->nresults)
		n = run->nresults ? (int)run->nresults : 1;
	pthread_t *th = xcalloc((size_t)n, sizeof *th);
	int started = 0;
	for (int i = 0; i < n; i++) {
		if (pthread_create(&th[i], NULL, worker, &p) != 0)
			break;
		started++;
	}
	if (started == 0)
		worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&p.lock);
	int orphans = exec_sweep_orphans();
	if (orphans)
		fprintf(stderr, "wasmatrix: warning: killed %d process%s that runtimes left running outside "
			"their containment\n", orphans, orphans == 1 ? "" : "es");
	if (run->done < run->nresults) {
		/* stopped: keep the finished results, in order */
		run->stopped = o->stop ? atomic_load(o->stop) : 0;
		if (!run->stopped)
			run->stopped = -1;
		size_t j = 0;
		for (size_t i = 0; i < run->nresults; i++) {
			if (!p.finished[i]) {
				result_release(&run->results[i]);
				continue;
			}
			if (j != i) {
				run->results[j] = run->results[i];
				memset(&run->results[i], 0, sizeof run->results[i]);
			}
			j++;
		}
		run->nresults = j;
	}
	free(p.finished);
	for (size_t i = 0; p.refusals && i < run->nrts * RUN_NKINDS; i++)
		free(p.refusals[i]);
	free(p.refusals);
	run->faults = p.faults;
	if (p.faults)
		fprintf(stderr, "wasmatrix: harness fault: %zu result%s could not be run (%s)\n", p.faults,
			p.faults == 1 ? "" : "s", p.first_fault);
	free(p.first_fault);
	run->duration = now_seconds() - t0;
	return p.faults ? -1 : 0;
}

void run_release(struct run *run)
{
	if (run->preskip)
		for (size_t i = 0; i < run->ntests * run->nrts; i++)
			free(run->preskip[i]);
	free(run->preskip);
	for (size_t i = 0; i < run->nresults; i++)
		result_release(&run->results[i]);
	free(run->results);
	for (size_t i = 0; i < run->nsuites; i++)
		suite_release(&run->suites[i]);
	free(run->suites);
	for (size_t i = 0; i < run->nrts; i++)
		adapter_release(&run->rts[i]);
	free(run->rts);
	free(run->tests);
	free(run->test_suite);
	free(run->id);
	for (size_t i = 0; run->caches && i < run->nrts; i++) {
		free(run->caches[i].dir);
		if (run->caches[i].fd >= 0)
			close(run->caches[i].fd);
		if (run->caches[i].seenfd >= 0)
			close(run->caches[i].seenfd);
	}
	free(run->caches);
	memset(run, 0, sizeof *run);
}
