/* check.c - see check.h. `check` reuses the suite machinery: the module becomes a one-test
 * suite built in memory, run by run_execute() on every available runtime with the same
 * isolation as any suite (fresh copy of each --dir per runtime, exact environment, process
 * group, timeout, capped capture). The results are then grouped by observable behaviour:
 *   exited: exit code, stdout, stderr, files left in the preopens (tree digest)
 *   trap:   stdout and files (the trap message is the runtime's, not the guest's)
 *   refused / timeout / crash / error: the state alone.
 * The largest group is the majority; every other runtime gets what differs and the likely
 * causes, from the static view (imports, features), the runtime's refusal message, its
 * adapter (exit_passthrough_max, lacks, known) and, with --matrix, suite results. */
#define _GNU_SOURCE
#include "check.h"
#include "cmd.h"
#include "adapter.h"
#include "diff.h"
#include "plan.h"
#include "results_read.h"
#include "run.h"
#include "fixture.h"
#include "guestpath.h"
#include "ops.h"
#include "wasm.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const check_state_names[CHECK__COUNT] = { "exited", "trap", "refused", "timeout", "crash",
							      "error", "skipped" };

const char *check_state_name(enum check_state st)
{
	return (unsigned)st < CHECK__COUNT ? check_state_names[st] : "?";
}

struct checkctx {
	struct check_report r;	/* the model the renderers read */
	json_t *matrix;		/* --matrix: the validated results document */
	const char *matrix_path;
	unsigned char *module_bytes;
	size_t module_len;
};

static enum check_state state_of(const struct result *r)
{
	switch (r->outcome) {
	case OUT_SKIP: return CHECK_SKIPPED;
	case OUT_TIMEOUT: return CHECK_TIMEOUT;
	case OUT_CRASH: return CHECK_CRASH;
	case OUT_ERROR: return CHECK_ERROR;
	/* not run: the adapter does not declare the module's WASI version (jco and core modules,
	 * core-only runtimes and components), so it is set aside as skipped, never a divergence */
	case OUT_UNSUPPORTED: return r->ran ? CHECK_REFUSED : CHECK_SKIPPED;
	default: return r->trapped ? CHECK_TRAP : CHECK_EXITED;
	}
}

static bool same_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && (an == 0 || !memcmp(a, b, an));
}

static bool same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static bool same_behaviour(const struct result *a, enum check_state sa, const struct result *b, enum check_state sb)
{
	if (sa != sb)
		return false;
	if (sa == CHECK_EXITED)
		return a->exit_code == b->exit_code && same_bytes(a->out, a->outn, b->out, b->outn) &&
		       same_bytes(a->err, a->errn, b->err, b->errn) && same_str(a->files_digest, b->files_digest);
	if (sa == CHECK_TRAP)
		return same_bytes(a->out, a->outn, b->out, b->outn) && same_str(a->files_digest, b->files_digest);
	return true;
}

static void add_cause(struct check_runtime *ri, const char *kind, char *detail)
{
	ri->causes = xrealloc(ri->causes, (ri->ncauses + 1) * sizeof *ri->causes);
	ri->causes[ri->ncauses++] = (struct check_cause){ kind, detail };
}

/* Whole-word, case-sensitive search of 'word' in s[0..n). */
static bool mentions(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);
	if (!wl || !s)
		return false;
	for (const char *p = s; (size_t)(p - s) + wl <= n; p++) {
		p = memmem(p, n - (size_t)(p - s), word, wl);
		if (!p)
			return false;
		bool lb = p == s || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') ||
				     (p[-1] >= '0' && p[-1] <= '9'));
		const char *e = p + wl;
		bool rb = (size_t)(e - s) >= n || !(*e == '_' || (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
						(*e >= '0' && *e <= '9'));
		if (lb && rb)
			return true;
	}
	return false;
}

static bool mentions_ci(const char *s, size_t n, const char *word)
{
	char *copy = xstrndup(s ? s : "", n);
	bool r = strcasestr(copy, word) != NULL;
	free(copy);
	return r;
}

/* Words in a refusal message that point at a feature. */
static const struct {
	enum wasm_feature f;
	const char *words[5];
} feature_words[] = {
	{ WF_SIMD, { "simd", "v128", "i8x16", "f32x4", NULL } },
	{ WF_RELAXED_SIMD, { "relaxed", NULL } },
	{ WF_TAIL_CALL, { "tail call", "tail-call", "return_call", "tail_call", NULL } },
	{ WF_EXCEPTIONS, { "exception", "try_table", "exnref", "throw", NULL } },
	{ WF_THREADS, { "thread", "atomic", "shared memor", NULL } },
	{ WF_SHARED_MEMORY, { "shared memor", "shared", NULL } },
	{ WF_GC, { "gc proposal", "garbage", "struct.new", "rec group", NULL } },
	{ WF_MEMORY64, { "memory64", "64-bit memor", "memory 64", NULL } },
	{ WF_MULTI_MEMORY, { "multi-memory", "multi_memory", "multiple memories", NULL } },
	{ WF_EXTENDED_CONST, { "extended-const", "extended_const", "constant expression", NULL } },
	{ WF_FUNCTION_REFERENCES, { "function-references", "function_references", "call_ref", NULL } },
	{ WF_BULK_MEMORY, { "bulk memory", "bulk-memory", "memory.copy", NULL } },
	{ WF_REFERENCE_TYPES, { "reference types", "reference-types", "externref", NULL } },
};

static bool refusal_cause(struct checkctx *cx, size_t ri_idx, const struct adapter *a, const struct result *r)
{
	struct check_runtime *ri = &cx->r.rt[ri_idx];
	char *line = text_first_line(r->err, r->errn, 200);
	bool found = false;
	/* an import it does not provide: the refusal names it */
	for (size_t i = 0; i < cx->r.module.m.nimports; i++) {
		const struct wasm_import *im = &cx->r.module.m.imports[i];
		if (mentions(r->err, r->errn, im->name) || mentions(r->out, r->outn, im->name)) {
			add_cause(ri, "missing-import",
				  xasprintf("%s does not provide the import %s%s%s (%s): %s", a->name, im->module,
					    *im->module ? "." : "", im->name, wasm_extern_name(im->kind), line));
			found = true;
		}
	}
	if (!found)	/* a whole import module it lacks */
		for (size_t i = 0; i < cx->r.module.m.nimports; i++) {
			const struct wasm_import *im = &cx->r.module.m.imports[i];
			if (*im->module && !inspect_is_group(im->module) && mentions(r->err, r->errn, im->module)) {
				add_cause(ri, "missing-import", xasprintf("%s provides no import module '%s': %s",
									  a->name, im->module, line));
				found = true;
				break;
			}
		}
	/* a feature it lacks: its message names it, or its adapter says so */
	for (size_t k = 0; k < sizeof feature_words / sizeof *feature_words; k++) {
		enum wasm_feature f = feature_words[k].f;
		if (!wasm_uses(&cx->r.module.m, f))
			continue;
		for (size_t w = 0; feature_words[k].words[w]; w++)
			if (mentions_ci(r->err, r->errn, feature_words[k].words[w])) {
				add_cause(ri, "feature", xasprintf("%s does not support %s (the module uses it: %s): %s",
								   a->name, wasm_feature_title(f), cx->r.module.m.features[f].first,
								   line));
				found = true;
				break;
			}
	}
	for (int f = 0; f < WF__COUNT; f++)
		for (size_t j = 0; j < a->lacks.n; j++)
			if (wasm_uses(&cx->r.module.m, f) && !strcmp(a->lacks.v[j], wasm_feature_name(f))) {
				add_cause(ri, "feature", xasprintf("%s lacks '%s' (%s: lacks)", a->name,
								   wasm_feature_name(f), a->file));
				found = true;
			}
	if (!found) {
		bool opcode = mentions_ci(r->err, r->errn, "opcode") || mentions_ci(r->err, r->errn, "unknown instruction") ||
			      mentions_ci(r->err, r->errn, "not enabled") || mentions_ci(r->err, r->errn, "unsupported") ||
			      mentions_ci(r->err, r->errn, "invalid") || mentions_ci(r->err, r->errn, "proposal");
		struct buf used = BUF_INIT;
		for (int f = 0; f < WF__COUNT; f++)
			if (wasm_uses(&cx->r.module.m, f))
				buf_addf(&used, "%s%s", used.len ? ", " : "", wasm_feature_name(f));
		if (opcode && used.len) {
			add_cause(ri, "feature", xasprintf("%s rejected the code; the module uses post-MVP features "
							   "(%s): %s", a->name, used.data, line));
			found = true;
		}
		buf_release(&used);
	}
	if (!found)
		add_cause(ri, "refused", xasprintf("%s refused the module: %s", a->name, line));
	free(line);
	return found;
}

static void output_hints(struct checkctx *cx, struct check_runtime *ri)
{
	static const struct {
		const char *import, *hint;
	} hints[] = {
		{ "fd_readdir", "the module lists a directory (fd_readdir): runtimes differ in whether '.' and '..' "
				"are listed, in entry order and in d_type/d_ino values" },
		{ "clock_time_get", "the module reads a clock (clock_time_get): its output may differ on every run" },
		{ "random_get", "the module reads random bytes (random_get): its output may differ on every run" },
		{ "fd_filestat_get", "the module reads file metadata (fd_filestat_get): inode numbers, times and sizes "
				     "of directories are host- and runtime-specific" },
		{ "path_filestat_get", "the module reads file metadata (path_filestat_get): inode numbers, times and "
				       "sizes of directories are host- and runtime-specific" },
	};
	for (size_t h = 0; h < sizeof hints / sizeof *hints; h++)
		for (size_t i = 0; i < cx->r.module.m.nimports; i++)
			if (!strcmp(cx->r.module.m.imports[i].name, hints[h].import) &&
			    strncmp(cx->r.module.m.imports[i].module, "wasi_", 5) == 0) {
				add_cause(ri, "wasi-behaviour", xstrdup(hints[h].hint));
				break;
			}
}

/* With --matrix: tests of that run using this very module, and tests needing a feature the
 * module uses, that did not pass on this runtime. */
static void matrix_causes(struct checkctx *cx, struct check_runtime *ri, const struct adapter *a)
{
	if (!cx->matrix)
		return;
	json_t *tests = json_object_get(cx->matrix, "tests"), *results = json_object_get(cx->matrix, "results");
	size_t i;
	json_t *t;
	json_array_foreach(tests, i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));
		const char *mod = json_string_value(json_object_get(t, "module"));
		if (!id || !mod)
			continue;
		bool same = false;
		size_t n = 0;
		char *data = fs_read_file(mod, &n);
		same = data && n == cx->module_len && !memcmp(data, cx->module_bytes, n);
		free(data);
		json_t *needs = json_object_get(t, "requires"), *tags = json_object_get(t, "tags");
		int feat = -1;
		for (int f = 0; f < WF__COUNT && feat < 0 && !same; f++) {
			if (!wasm_uses(&cx->r.module.m, f))
				continue;
			size_t k;
			json_t *v;
			json_array_foreach(needs, k, v)
				if (json_string_value(v) && !strcmp(json_string_value(v), wasm_feature_name(f)))
					feat = f;
			json_array_foreach(tags, k, v)
				if (json_string_value(v) && !strcmp(json_string_value(v), wasm_feature_name(f)))
					feat = f;
		}
		if (!same && feat < 0)
			continue;
		size_t k;
		json_t *r;
		json_array_foreach(results, k, r) {
			const char *rid = json_string_value(json_object_get(r, "test"));
			const char *rrt = json_string_value(json_object_get(r, "runtime"));
			const char *oc = json_string_value(json_object_get(r, "outcome"));
			if (!rid || !rrt || !oc || strcmp(rid, id) || strcmp(rrt, a->name) || !strcmp(oc, "pass"))
				continue;
			const char *why = json_string_value(json_object_get(r, "reason"));
			const char *known = json_string_value(json_object_get(json_object_get(r, "known"), "reason"));
			if (same)
				add_cause(ri, "matrix", xasprintf("%s: test %s (this module) was %s on %s: %s%s%s",
								  cx->matrix_path, id, oc, a->name, why ? why : "-",
								  known ? "; known: " : "", known ? known : ""));
			else
				add_cause(ri, "matrix", xasprintf("%s: %s is %s on test %s, which needs '%s': %s",
								  cx->matrix_path, a->name, oc, id,
								  wasm_feature_name(feat), why ? why : "-"));
		}
	}
}

static void add_diff(struct buf *d, const char *what, const char *maj, const char *a, size_t an, const char *b,
		     size_t bn)
{
	buf_addf(d, "%s: majority (%s) vs this runtime\n", what, maj);
	diff_unified(a ? a : "", an, b ? b : "", bn, d);
}

/* Puts every runtime that ran into a group of identical behaviour, largest group first
 * (ties keep the order of their first runtime). */
static void group_runtimes(struct check_report *cr)
{
	struct run *run = &cr->run;
	size_t n = run->nrts;
	cr->rt = xcalloc(n + 1, sizeof *cr->rt);
	cr->groups = xcalloc(n + 1, sizeof *cr->groups);
	for (size_t i = 0; i < n; i++) {
		struct check_runtime *ri = &cr->rt[i];
		ri->st = state_of(&run->results[i]);
		ri->group = -1;
		buf_init(&ri->diff, 0);
		if (ri->st == CHECK_SKIPPED)
			continue;
		for (size_t g = 0; g < cr->ngroups && ri->group < 0; g++) {
			size_t rep = cr->groups[g].rt[0];
			if (same_behaviour(&run->results[rep], cr->rt[rep].st, &run->results[i], ri->st))
				ri->group = (int)g;
		}
		if (ri->group < 0) {
			ri->group = (int)cr->ngroups;
			cr->groups[cr->ngroups++].rt = xcalloc(n + 1, sizeof(size_t));
		}
		struct check_group *g = &cr->groups[ri->group];
		g->rt[g->n++] = i;
	}
	for (size_t a = 1; a < cr->ngroups; a++)
		for (size_t b = a; b > 0 && cr->groups[b].n > cr->groups[b - 1].n; b--) {
			struct check_group tmp = cr->groups[b];
			cr->groups[b] = cr->groups[b - 1];
			cr->groups[b - 1] = tmp;
		}
	for (size_t g = 0; g < cr->ngroups; g++)
		for (size_t k = 0; k < cr->groups[g].n; k++)
			cr->rt[cr->groups[g].rt[k]].group = (int)g;
}

/* The majority's representative, against which a runtime is explained. */
struct majority {
	const struct result *r;
	enum check_state st;
	const char *name;
};

/* Causes from the runtime's own state (timeout, crash, error, refusal, trap). */
static void state_causes(struct checkctx *cx, size_t i, const struct majority *M, const char *line)
{
	struct check_runtime *ri = &cx->r.rt[i];
	const struct result *r = &cx->r.run.results[i];
	const struct adapter *a = &cx->r.run.rts[i];
	if (ri->st != M->st)
		strvec_push_nodup(&ri->differs, xasprintf("%s (majority: %s)", check_state_name(ri->st),
							   check_state_name(M->st)));
	switch (ri->st) {
	case CHECK_TIMEOUT:
		add_cause(ri, "timeout", xasprintf("%s did not finish within %gs (the majority finished in %.2fs)%s",
						   a->name, cx->r.timeout, M->r->duration,
						   r->cache == CC_WARM ? ", with the module's compiled code in its cache" :
						   r->cache == CC_COLD ? ", compiling cold" : ""));
		break;
	case CHECK_CRASH:
		add_cause(ri, "crash", xasprintf("%s itself crashed: %s", a->name, r->reason ? r->reason : "?"));
		break;
	case CHECK_ERROR:
		add_cause(ri, "error", xasprintf("wasmatrix could not run %s: %s", a->name, r->reason ? r->reason : "?"));
		break;
	case CHECK_REFUSED:
		refusal_cause(cx, i, a, r);
		break;
	case CHECK_TRAP:
		if (M->st != CHECK_TRAP)
			add_cause(ri, "trap", xasprintf("the module trapped on %s: %s", a->name, line));
		break;
	default:
		break;
	}
	if (M->st == CHECK_REFUSED && ri->st != CHECK_REFUSED)
		add_cause(ri, "runs", xasprintf("%s runs the module, which the majority refused", a->name));
}

/* Both exited with different codes: the adapter's exit_passthrough_max, codes above 125,
 * or a plain difference. */
static void exit_code_cause(struct check_runtime *ri, const struct result *r, const struct adapter *a,
			    const struct majority *M, const char *line)
{
	int me = M->r->exit_code, hi = me > r->exit_code ? me : r->exit_code;
	strvec_push_nodup(&ri->differs, xasprintf("exit code %d (majority: %d)", r->exit_code, me));
	if (me > a->exit_passthrough_max)
		add_cause(ri, "exit-code-range",
			  xasprintf("%s does not report guest exit codes above %d faithfully (%s: "
				    "exit_passthrough_max: %d); the guest exited %d: %s", a->name,
				    a->exit_passthrough_max, a->file, a->exit_passthrough_max, me, line));
	else if (hi > 125 && r->exit_code > 125)
		add_cause(ri, "exit-code-range",
			  xasprintf("%s reported exit %d; exit codes above 125 are unreliable across runtimes (the "
				    "majority reports %d)", a->name, r->exit_code, me));
	else
		add_cause(ri, "exit-code", xasprintf("%s exited %d, the majority %d%s%s", a->name, r->exit_code, me,
						     *line ? ": " : "", line));
}

/* Output that differs: stdout, stderr (both exited), files; diffs and hints. */
static void output_causes(struct checkctx *cx, size_t i, const struct majority *M)
{
	struct check_runtime *ri = &cx->r.rt[i];
	const struct result *r = &cx->r.run.results[i];
	const struct adapter *a = &cx->r.run.rts[i];
	bool cmp_out = (ri->st == CHECK_EXITED || ri->st == CHECK_TRAP) && (M->st == CHECK_EXITED || M->st == CHECK_TRAP);
	bool outdiff = false;
	if (cmp_out && !same_bytes(r->out, r->outn, M->r->out, M->r->outn)) {
		strvec_push(&ri->differs, "stdout");
		add_diff(&ri->diff, "stdout", M->name, M->r->out, M->r->outn, r->out, r->outn);
		outdiff = true;
	}
	if (ri->st == CHECK_EXITED && M->st == CHECK_EXITED && !same_bytes(r->err, r->errn, M->r->err, M->r->errn)) {
		strvec_push(&ri->differs, "stderr");
		add_diff(&ri->diff, "stderr", M->name, M->r->err, M->r->errn, r->err, r->errn);
		outdiff = true;
	}
	if (cmp_out && !same_str(r->files_digest, M->r->files_digest)) {
		strvec_push_nodup(&ri->differs, xasprintf("files left in the preopened directories (digest %s, majority %s)",
							   r->files_digest ? r->files_digest : "-",
							   M->r->files_digest ? M->r->files_digest : "-"));
		outdiff = true;
	}
	if (outdiff && ri->st == M->st)
		output_hints(cx, ri);
	if (outdiff && !ri->ncauses)
		add_cause(ri, "output", xasprintf("%s ran the module to the end with different output (see the diff)",
						  a->name));
}

/* Groups the runtimes, then explains every runtime outside the majority. */
static void analyse(struct checkctx *cx)
{
	struct check_report *cr = &cx->r;
	group_runtimes(cr);
	if (cr->ngroups < 2)
		return;
	size_t mi = cr->groups[0].rt[0];
	struct majority M = { &cr->run.results[mi], cr->rt[mi].st, cr->run.rts[mi].name };
	const char *test_id = cr->run.tests[0]->id;
	for (size_t g = 1; g < cr->ngroups; g++)
		for (size_t k = 0; k < cr->groups[g].n; k++) {
			size_t i = cr->groups[g].rt[k];
			struct check_runtime *ri = &cr->rt[i];
			const struct result *r = &cr->run.results[i];
			const struct adapter *a = &cr->run.rts[i];
			char *line = text_first_line(r->err, r->errn, 200);
			state_causes(cx, i, &M, line);
			if (ri->st == CHECK_EXITED && M.st == CHECK_EXITED && r->exit_code != M.r->exit_code)
				exit_code_cause(ri, r, a, &M, line);
			output_causes(cx, i, &M);
			const struct known_div *kd = adapter_known(a, test_id);
			if (kd)
				add_cause(ri, "known-divergence", xasprintf("%s (%s%s%s)", kd->reason, a->file,
									    kd->link ? ", " : "", kd->link ? kd->link : ""));
			matrix_causes(cx, ri, a);
			free(line);
		}
}

/* ---- command ---- */

static void checkctx_release(struct checkctx *cx)
{
	for (size_t i = 0; cx->r.rt && i < cx->r.run.nrts; i++) {
		strvec_release(&cx->r.rt[i].differs);
		buf_release(&cx->r.rt[i].diff);
		for (size_t c = 0; c < cx->r.rt[i].ncauses; c++)
			free(cx->r.rt[i].causes[c].detail);
		free(cx->r.rt[i].causes);
	}
	free(cx->r.rt);
	for (size_t g = 0; g < cx->r.ngroups; g++)
		free(cx->r.groups[g].rt);
	free(cx->r.groups);
	run_release(&cx->r.run);
	inspect_release(&cx->r.module);
	strvec_release(&cx->r.unavailable);
	if (cx->matrix)
		json_decref(cx->matrix);
	free(cx->module_bytes);
}

/* --matrix: read through the validating results reader (results_read.h), so a bad file gets
 * file:line:col errors and exit 2 like every other results input. */
static int load_matrix(struct checkctx *cx, const char *path)
{
	struct results rf;
	if (cmd_load_results(&rf, path) < 0) {
		results_release(&rf);
		return -1;
	}
	cx->matrix = json_incref(rf.doc);
	cx->matrix_path = path;
	results_release(&rf);
	return 0;
}

/* The one test: the module with its arguments, environment, preopens and stdin.
 * Returns 0, or -1 after printing what is wrong (t is then still the caller's). */
static int build_test(struct checkctx *cx, const struct check_opts *o, struct test *t)
{
	char *abs = realpath(o->path, NULL);
	t->module = abs ? abs : xstrdup(o->path);
	/* a component runs only where its adapter declares its version; the others are skipped */
	t->wasi = ops_module_version(t->module);
	t->name = xstrdup(path_basename(o->path));
	t->id = xasprintf("check/%s", t->name);
	t->file = xstrdup(o->path);
	t->expect.exit = xcalloc(1, sizeof *t->expect.exit);
	t->expect.nexit = 1;
	t->timeout = cx->r.timeout;
	for (size_t i = 0; i < o->nargs; i++)
		strvec_push(&t->args, o->args[i]);
	t->env = xcalloc(o->envs->n + 1, sizeof *t->env);
	for (size_t i = 0; i < o->envs->n; i++) {
		const char *kv = o->envs->v[i], *eq = strchr(kv, '=');
		if (!eq || eq == kv) {
			fprintf(stderr, "wasmatrix check: --env takes KEY=VALUE, not '%s'\n", kv);
			return -1;
		}
		t->env[t->nenv].key = xstrndup(kv, (size_t)(eq - kv));
		t->env[t->nenv++].value = xstrdup(eq + 1);
	}
	t->dirs = xcalloc(o->dirs->n + 1, sizeof *t->dirs);
	for (size_t i = 0; i < o->dirs->n; i++) {
		char *spec = o->dirs->v[i], *colon = strrchr(spec, ':');
		char *host = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
		const char *guest = colon ? colon + 1 : spec;
		char *real = realpath(host, NULL), *why = NULL;
		const char *bad = guestpath_invalid(guest);
		free(host);
		if (!real || !fs_is_dir(real) || bad) {
			fprintf(stderr, "wasmatrix check: --dir '%s': %s%s%s\n", spec, bad ? "guest path " : "",
				bad ? bad : "host directory not found",
				bad ? " (a guest path is '/', '.', or names without '..' or empty components)" : "");
			free(real);
			return -1;
		}
		if (fixture_check(real, &why) < 0) {
			fprintf(stderr, "wasmatrix check: --dir '%s': %s\n", spec, why);
			free(why);
			free(real);
			return -1;
		}
		t->dirs[t->ndirs].host = real;
		t->dirs[t->ndirs++].guest = xstrdup(guest);
	}
	if (o->stdin_file) {
		t->stdin_data = fs_read_file(o->stdin_file, &t->stdin_len);
		if (!t->stdin_data) {
			fprintf(stderr, "wasmatrix check: --stdin: cannot read '%s': %s\n", o->stdin_file, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Runs the one test t (owned by the run from here on) on every runtime of cx->r.run.
 * With the compile caches on (not cold), a runtime that times out while compiling cold
 * compiles into its cache and runs again warm (run.c) before it can be called slow.
 * Returns 0, -1 on a harness fault or a stop, -2 when the compile cache is refused. */
static int run_test(struct checkctx *cx, struct test *t, bool cold, const atomic_int *stop)
{
	struct run *run = &cx->r.run;
	run->suites = xcalloc(1, sizeof *run->suites);
	run->nsuites = 1;
	run->suites[0].name = xstrdup("check");
	run->suites[0].path = xstrdup(t->file);
	run->suites[0].kind = xstrdup("check");
	run->suites[0].tests = t;
	run->suites[0].ntests = 1;
	plan_select(run, NULL);
	const char *tmp = getenv("TMPDIR");
	struct run_opts ro = { cx->r.timeout, (int)run->nrts, 4 << 20, false, tmp && *tmp ? tmp : "/tmp", NULL, NULL,
			       stop, 0, false };
	char *cwhy = NULL, *croot = cold ? NULL : run_cache_root(&cwhy);
	if (!cold && !croot) {
		fprintf(stderr, "wasmatrix check: warning: %s; running cold\n", cwhy);
		free(cwhy);
	} else if (croot && run_cache_prepare(run, croot, &cwhy) < 0) {
		fprintf(stderr, "wasmatrix check: compile cache: %s (or run with --cold)\n", cwhy);
		free(cwhy);
		free(croot);
		return -2;
	}
	free(croot);
	run->id = xasprintf("check-%lx-%lx", (unsigned long)time(NULL), (unsigned long)getpid());
	return run_execute(run, &ro) < 0 || run->stopped ? -1 : 0;
}

/* The static view, read by a thread of check_module while the runtimes run. */
struct inspect_job {
	struct inspect *in;
	const char *path;
	int rc;		/* inspect_load's */
};

static void *inspect_job_run(void *arg)
{
	struct inspect_job *j = arg;
	j->rc = inspect_load(j->in, j->path, "check");
	return NULL;
}

/* The 8-byte preamble of a core module (version 1) or of a component (layer 1): the
 * only thing inspect_load refuses outright (inspect.c); anything else gives a view. */
static bool header_plausible(const unsigned char *d, size_t n)
{
	return d && n >= 8 && wasm_is_wasm(d, n) &&
	       ((d[4] == 1 && !d[5] && !d[6] && !d[7]) || (d[6] == 1 && !d[7]));
}

int check_module(const struct check_opts *o)
{
	struct checkctx cx;
	memset(&cx, 0, sizeof cx);
	cx.r.timeout = o->timeout;
	struct test *t = xcalloc(1, sizeof *t);
	int rc = EXIT_USAGE;
	/* The static view (a full decode: a fifth of a second for a 70 MB module) is read
	 * by a thread while the runtimes run, as nothing in the run needs it. A module whose
	 * header already says it is no module is refused first, as before (exit 2). */
	cx.module_bytes = (unsigned char *)fs_read_file(o->path, &cx.module_len);
	struct inspect_job ij = { &cx.r.module, o->path, 0 };
	pthread_t ith;
	bool threaded = header_plausible(cx.module_bytes, cx.module_len) &&
			pthread_create(&ith, NULL, inspect_job_run, &ij) == 0;
	if (!threaded && (inspect_job_run(&ij), ij.rc < 0))
		goto out;
	if ((o->matrix && load_matrix(&cx, o->matrix) < 0) || build_test(&cx, o, t) < 0)
		goto out;
	if ((rc = plan_check_runtimes(&cx.r.run, o->runtimes, o->runners, o->runtimes_dir, &cx.r.unavailable)) != EXIT_OK)
		goto out;
	struct test *owned = t;
	t = NULL;	/* the run owns it now */
	int rr = run_test(&cx, owned, o->cold, o->stop);
	if (threaded) {
		pthread_join(ith, NULL);
		threaded = false;
	}
	if (ij.rc < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (ij.rc > 0)
		fprintf(stderr, "wasmatrix check: warning: %s: the static view is partial: %s\n", o->path, cx.r.module.err);
	if (rr < 0) {
		rc = rr == -2 ? EXIT_USAGE : EXIT_FAULT;
		goto out;
	}
	analyse(&cx);
	struct check_report_opts ro = { o->color };
	const struct check_reporter *rp = o->format ? o->format : check_reporter_all()[0];
	if (check_report_write(rp, &cx.r, &ro, o->out ? o->out : "-") < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	size_t ran = check_ran(&cx.r);
	if (ran < 2) {
		fprintf(stderr, "wasmatrix check: only %zu runtime%s could run the module; nothing to compare\n", ran,
			ran == 1 ? "" : "s");
		rc = EXIT_FAULT;
	} else {
		rc = cx.r.ngroups == 1 ? EXIT_OK : EXIT_UNEXPECTED;
	}
out:
	if (threaded)
		pthread_join(ith, NULL);
	if (t) {
		test_release(t);
		free(t);
	}
	checkctx_release(&cx);
	return rc;
}
