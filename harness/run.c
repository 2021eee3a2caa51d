/* run.c - see run.h. Workers take the next job index under a mutex; each job works in
 * its own temporary directory: home/ (the runtime's HOME and TMPDIR), work/ (its
 * working directory) and p<N>/ (a fresh copy of each preopened fixture tree). */
#define _GNU_SOURCE
#include "run.h"
#include "exec.h"
#include "tree.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pool {
	struct run *run;
	const struct run_opts *o;
	pthread_mutex_t lock;
	size_t next;
	int fault;
};

void run_select(struct run *run, const char *filters)
{
	size_t total = 0;
	for (size_t s = 0; s < run->nsuites; s++)
		total += run->suites[s].ntests;
	run->tests = xcalloc(total + 1, sizeof *run->tests);
	run->test_suite = xcalloc(total + 1, sizeof *run->test_suite);
	run->ntests = 0;
	struct strvec pats = STRVEC_INIT;
	if (filters) {
		char *copy = xstrdup(filters), *save = NULL;
		for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
			if (*p)
				strvec_push(&pats, p);
		free(copy);
	}
	for (size_t s = 0; s < run->nsuites; s++)
		for (size_t i = 0; i < run->suites[s].ntests; i++) {
			struct test *t = &run->suites[s].tests[i];
			bool in = pats.n == 0;
			for (size_t k = 0; k < pats.n && !in; k++)
				in = fnmatch(pats.v[k], t->id, 0) == 0 || fnmatch(pats.v[k], t->name, 0) == 0 ||
				     fnmatch(pats.v[k], run->suites[s].name, 0) == 0;
			if (in) {
				run->test_suite[run->ntests] = s;
				run->tests[run->ntests++] = t;
			}
		}
	strvec_release(&pats);
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
	shell_quote(&b, cwd);
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
		shell_quote(&b, *e);
	}
	for (char **a = argv; *a; a++) {
		buf_addc(&b, ' ');
		shell_quote(&b, *a);
	}
	if (!t->stdin_len)
		buf_adds(&b, " </dev/null");
	r->command = buf_detach(&b);
}

static void run_one(struct pool *p, size_t idx)
{
	struct run *run = p->run;
	const struct run_opts *o = p->o;
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
		return;
	}
	if (t->skip) {
		r->outcome = OUT_SKIP;
		r->reason = xstrdup(t->skip);
		return;
	}
	if (a->missing) {
		r->outcome = OUT_SKIP;
		r->reason = xasprintf("runtime %s unavailable: %s", a->name, a->missing);
		return;
	}
	char *why = adapter_cannot_run(a, t);
	if (why) {
		r->outcome = OUT_SKIP;
		r->reason = why;
		return;
	}
	char *base = xasprintf("%s/wasmatrix-XXXXXX", o->tmp_root);
	if (!mkdtemp(base)) {
		r->outcome = OUT_ERROR;
		r->reason = xasprintf("cannot create a temporary directory in %s: %s", o->tmp_root, strerror(errno));
		free(base);
		return;
	}
	char *home = path_join(base, "home"), *work = path_join(base, "work");
	mkdir(home, 0700);
	mkdir(work, 0700);
	struct preopen *pre = xcalloc(t->ndirs + 1, sizeof *pre);
	struct judged_dir *jd = xcalloc(t->ndirs + 1, sizeof *jd);
	for (size_t i = 0; i < t->ndirs && !why; i++) {
		char *copy;
		if (a->preopens == PREOPEN_CWD) {
			copy = xstrdup(work);
			pre[i].host = xstrdup(".");
		} else if (a->preopens == PREOPEN_SAME_PATH) {
			copy = path_join(work, t->dirs[i].guest);
			pre[i].host = xstrdup(t->dirs[i].guest);
			if (mkdir(copy, 0755) < 0 && errno != EEXIST)
				why = xasprintf("cannot create %s: %s", copy, strerror(errno));
		} else {
			copy = xasprintf("%s/p%zu", base, i);
			pre[i].host = xstrdup(copy);
			mkdir(copy, 0755);
		}
		pre[i].guest = xstrdup(t->dirs[i].guest);
		jd[i].guest = pre[i].guest;
		jd[i].host = copy;
		char *cwhy = NULL;
		if (!why && t->dirs[i].host && tree_copy(t->dirs[i].host, copy, &cwhy) < 0) {
			why = xasprintf("fixture copy failed: %s", cwhy);
			free(cwhy);
		}
	}
	struct strvec argv = STRVEC_INIT, envp = STRVEC_INIT;
	if (!why)
		adapter_argv(a, t, pre, t->ndirs, work, &argv, &why);
	if (why) {
		r->outcome = OUT_ERROR;
		r->reason = why;
	} else {
		const char *path = getenv("PATH");
		strvec_push_nodup(&envp, env_entry("PATH", path ? path : "/usr/bin:/bin"));
		strvec_push_nodup(&envp, env_entry("HOME", home));
		strvec_push_nodup(&envp, env_entry("TMPDIR", home));
		for (size_t i = 0; i < a->nset_env; i++)
			strvec_push_nodup(&envp, env_entry(a->set_env[i].key, a->set_env[i].value));
		struct exec_spec spec = { 0 };
		spec.argv = strvec_argv(&argv);
		spec.envp = strvec_argv(&envp);
		spec.cwd = work;
		spec.stdin_data = t->stdin_data;
		spec.stdin_len = t->stdin_len;
		spec.timeout = t->timeout > 0 ? t->timeout : o->timeout;
		spec.cap = o->cap;
		build_command(r, spec.argv, spec.envp, t, work);
		r->cwd = xstrdup(work);
		struct exec_result x;
		exec_run(&spec, &x);
		r->ran = x.status != EXEC_SPAWN_ERROR;
		judge(t, a, &x, jd, t->ndirs, spec.timeout, r);
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
				char *h = tree_digest(jd[i].host);
				buf_addf(&dg, "%s%s", i ? "," : "", h ? h : "?");
				free(h);
			}
			r->files_digest = buf_detach(&dg);
		}
		exec_result_release(&x);
	}
	if (o->keep && outcome_unexpected(r->outcome)) {
		r->kept = xstrdup(base);
	} else if (remove_tree(base) != 0) {
		fprintf(stderr, "wasmatrix: warning: could not remove %s\n", base);
	}
	for (size_t i = 0; i < t->ndirs; i++) {
		free(pre[i].host);
		free(pre[i].guest);
		free((char *)jd[i].host);
	}
	free(pre);
	free(jd);
	strvec_release(&argv);
	strvec_release(&envp);
	free(home);
	free(work);
	free(base);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t idx = p->next < p->run->nresults ? p->next++ : (size_t)-1;
		pthread_mutex_unlock(&p->lock);
		if (idx == (size_t)-1)
			break;
		run_one(p, idx);
		pthread_mutex_lock(&p->lock);
		p->run->done++;
		if (p->o->progress)
			p->o->progress(p->o->progress_ctx, p->run, idx);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

int run_execute(struct run *run, const struct run_opts *o)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	run->started = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	double t0 = now_seconds();
	run->nresults = run->ntests * run->nrts;
	run->results = xcalloc(run->nresults + 1, sizeof *run->results);
	run->done = 0;
	struct pool p = { run, o, PTHREAD_MUTEX_INITIALIZER, 0, 0 };
	int n = o->jobs > 0 ? o->jobs : 1;
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
	run->duration = now_seconds() - t0;
	return p.fault ? -1 : 0;
}

static unsigned long long fnv1a(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void run_shard(struct run *run, unsigned k, unsigned n)
{
	size_t j = 0;
	for (size_t i = 0; i < run->ntests; i++)
		if (fnv1a(run->tests[i]->id) % n == k - 1) {
			run->tests[j] = run->tests[i];
			run->test_suite[j++] = run->test_suite[i];
		}
	run->ntests = j;
	run->shard_index = k;
	run->shard_count = n;
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
	memset(run, 0, sizeof *run);
}
