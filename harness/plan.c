/* plan.c - the plan of a run (plan.h): suites resolved and loaded, runtimes selected and
 * probed, tests filtered and sharded, baseline pre-skips marked. */
#define _GNU_SOURCE
#include "plan.h"
#include "arch.h"
#include "cmd.h"
#include "diag.h"
#include "load.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bundled suites: <root>/suites/<name>/suite.yaml, except calibration. */
static void default_suites(const char *root, struct strvec *out)
{
	char *sd = path_join(root, "suites");
	struct strvec names = STRVEC_INIT;
	fs_list_dir(sd, NULL, &names);
	for (size_t i = 0; i < names.n; i++) {
		if (!strcmp(names.v[i], "calibration"))
			continue;
		char *f = xasprintf("%s/%s/suite.yaml", sd, names.v[i]);
		if (fs_is_file(f))
			strvec_push(out, f);
		free(f);
	}
	strvec_release(&names);
	free(sd);
}

/* Finds the suites in an unpacked archive: directories with suite.yaml or manifest.json. */
static void find_suites(const char *dir, int depth, struct strvec *out)
{
	char *y = path_join(dir, "suite.yaml"), *m = path_join(dir, "manifest.json");
	bool hit = fs_is_file(y) || fs_is_file(m);
	free(y);
	free(m);
	if (hit) {
		strvec_push(out, dir);
		return;
	}
	if (depth > 8)
		return;
	struct strvec subs = STRVEC_INIT;
	fs_list_dir(dir, NULL, &subs);
	for (size_t i = 0; i < subs.n; i++) {
		char *sub = path_join(dir, subs.v[i]);
		if (fs_is_dir(sub))
			find_suites(sub, depth + 1, out);
		free(sub);
	}
	strvec_release(&subs);
}

/* Replaces URL#sha256=HEX arguments by the suites inside the fetched archive. */
static void expand_urls(struct strvec *suites, struct load_net *net, struct diag *d)
{
	struct strvec out = STRVEC_INIT;
	for (size_t i = 0; i < suites->n; i++) {
		const char *a = suites->v[i];
		if (!net_is_url(a)) {
			strvec_push(&out, a);
			continue;
		}
		const char *h = strstr(a, "#sha256=");
		if (!h) {
			diag_error(d, a, 0, 0, "a suite given by URL must carry its checksum: URL#sha256=HEX");
			continue;
		}
		char *url = xstrndup(a, (size_t)(h - a)), *dir = NULL, *why = NULL;
		if (net_fetch_tree(url, h + 8, net->opts, &dir, &why) < 0) {
			diag_error(d, url, 0, 0, "cannot fetch the suite archive: %s", why);
			net->failures++;
		} else {
			size_t before = out.n;
			find_suites(dir, 0, &out);
			if (out.n == before)
				diag_error(d, url, 0, 0, "the archive holds no suite (no suite.yaml or manifest.json)");
		}
		free(url);
		free(dir);
		free(why);
	}
	strvec_release(suites);
	*suites = out;
}

/* Runtime selection by name, shared by `run` and `check`: the adapters named in the
 * comma-separated list (every adapter when list is NULL), each once, in the order named,
 * go to pick[] as indexes into all[] (pick has room for nall), their count to *npick.
 * Each unknown name goes to 'unknown' as "unknown runtime 'NAME'" followed by "; did you
 * mean 'NEAR'?" when one is close. Returns the number of unknown names. */
static size_t plan_runtimes(const char *list, const struct adapter *all, size_t nall, size_t *pick,
			    size_t *npick, struct strvec *unknown)
{
	bool *used = xcalloc(nall + 1, sizeof *used);
	size_t bad = 0;
	*npick = 0;
	char *copy = xstrdup(list ? list : ""), *save = NULL;
	for (char *r = strtok_r(copy, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
		/* "wasmtime" names the adapter on every architecture selected (arch.h),
		 * "wasmtime/aarch64" one of them */
		bool hit = false;
		for (size_t k = 0; k < nall; k++)
			if (!strcmp(all[k].name, r) || (!strchr(r, '/') && all[k].base && !strcmp(all[k].base, r))) {
				hit = true;
				if (!used[k]) {
					used[k] = true;
					pick[(*npick)++] = k;
				}
			}
		if (!hit) {
			const char **names = xcalloc(nall + 1, sizeof *names);
			for (size_t m = 0; m < nall; m++)
				names[m] = all[m].name;
			const char *near = suggest_closest(r, names, nall);
			strvec_push_nodup(unknown, xasprintf("unknown runtime '%s'%s%s%s", r, near ? "; did you mean '" : "",
							    near ? near : "", near ? "'?" : ""));
			free(names);
			bad++;
		}
	}
	free(copy);
	for (size_t k = 0; !list && k < nall; k++)
		pick[(*npick)++] = k;
	free(used);
	return bad;
}

void plan_select(struct run *run, const char *filters)
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

/* Keeps shard k of n (1-based) of the selected tests, chosen by a hash of the test id
 * so a test stays in its shard when others are added or removed. */
static void plan_shard(struct run *run, unsigned k, unsigned n)
{
	size_t j = 0;
	for (size_t i = 0; i < run->ntests; i++)
		if (fnv1a(FNV1A_INIT, run->tests[i]->id, strlen(run->tests[i]->id)) % n == k - 1) {
			run->tests[j] = run->tests[i];
			run->test_suite[j++] = run->test_suite[i];
		}
	run->ntests = j;
	run->shard_index = k;
	run->shard_count = n;
}

int plan_check_runtimes(struct run *run, const char *list, const char *runners, const char *runtimes_dir,
			struct strvec *unavailable)
{
	struct adapter *all = NULL;
	size_t nall = 0;
	struct diag d = DIAG_INIT;
	bool *want = NULL;
	int rc = EXIT_USAGE;
	if (adapter_load_dir(&all, &nall, runners, &d) < 0 || d.errors) {
		diag_print(&d, stderr, false);
		goto out;
	}
	/* the names as `run` takes them; compared in the adapters' order */
	want = xcalloc(nall + 1, sizeof *want);
	size_t *pick = xcalloc(nall + 1, sizeof *pick), npick;
	struct strvec unknown = STRVEC_INIT;
	plan_runtimes(list, all, nall, pick, &npick, &unknown);
	for (size_t i = 0; i < unknown.n; i++)
		fprintf(stderr, "wasmatrix check: %s\n", unknown.v[i]);
	for (size_t i = 0; i < npick; i++)
		want[pick[i]] = true;
	free(pick);
	size_t nunknown = unknown.n;
	strvec_release(&unknown);
	if (nunknown)
		goto out;
	run->rts = xcalloc(nall + 1, sizeof *run->rts);
	for (size_t k = 0; k < nall; k++) {
		if (want[k]) {
			adapter_probe(&all[k], runtimes_dir);
			if (!all[k].missing) {
				run->rts[run->nrts++] = all[k];
				continue;
			}
			strvec_push(unavailable, all[k].name);
		}
		adapter_release(&all[k]);
	}
	nall = 0;
	rc = EXIT_OK;
	if (run->nrts < 2) {
		fprintf(stderr, "wasmatrix check: %zu runtime%s available; comparing needs at least two "
			"(`wasmatrix runtimes` shows what is installed; `make runtimes` installs them)\n",
			run->nrts, run->nrts == 1 ? "" : "s");
		rc = EXIT_FAULT;
	}
out:
	for (size_t k = 0; k < nall; k++)
		adapter_release(&all[k]);
	free(all);
	free(want);
	diag_release(&d);
	return rc;
}

/* The adapters named by o->runtimes go to run->rts (the others are released); unknown
 * names are errors in d. Takes the adapters in all[]. */
static void select_runtimes(struct run *run, const struct plan_opts *o, struct adapter *all, size_t nall,
			    struct diag *d)
{
	size_t *pick = xcalloc(nall + 1, sizeof *pick), npick;
	bool *used = xcalloc(nall + 1, sizeof *used);
	struct strvec unknown = STRVEC_INIT;
	plan_runtimes(o->runtimes, all, nall, pick, &npick, &unknown);
	for (size_t i = 0; i < unknown.n; i++)
		diag_error(d, "--runtime", 0, 0, "%s (adapters in %s)", unknown.v[i], o->runners);
	run->rts = xcalloc(nall + 1, sizeof *run->rts);
	for (size_t i = 0; i < npick; i++) {
		used[pick[i]] = true;
		run->rts[run->nrts++] = all[pick[i]];
	}
	for (size_t k = 0; k < nall; k++)
		if (!used[k])
			adapter_release(&all[k]);
	strvec_release(&unknown);
	free(used);
	free(pick);
}

/* Loads the suites (fetching those given by URL), the adapters and the baseline, and
 * selects the runtimes. Returns -1 to go on, else the exit code (input errors printed). */
static int plan_load(struct plan *pl, const struct plan_opts *o, struct strvec *suites)
{
	struct run *run = &pl->run;
	struct diag d = DIAG_INIT;
	struct load_net lnet = { o->net, 0 };
	expand_urls(suites, &lnet, &d);
	run->suites = xcalloc(suites->n + 1, sizeof *run->suites);
	for (size_t i = 0; i < suites->n; i++) {
		load_suite_net(&run->suites[run->nsuites], suites->v[i], &lnet, &d);
		run->nsuites++;
	}
	struct strset suite_names = STRSET_INIT;	/* name -> first suite with it */
	for (size_t i = 0, j; i < run->nsuites; i++)
		if (run->suites[i].name &&
		    !strset_add(&suite_names, run->suites[i].name, strlen(run->suites[i].name), i, &j))
			diag_error(&d, run->suites[i].path, 0, 0, "suite name '%s' is also used by %s",
				   run->suites[i].name, run->suites[j].path);
	strset_release(&suite_names);
	struct adapter *all = NULL;
	size_t nall = 0;
	if (adapter_load_dir(&all, &nall, o->runners, &d) == 0 && !d.errors)
		arch_expand(&all, &nall, o->arches, o->runtimes_dir, o->runtimes, false, &d);
	const char *bp = o->baseline_path;
	if (bp && !(o->update_baseline && !fs_is_dir(bp) && !fs_is_file(bp)))
		baseline_load(&pl->bl, bp, &d);
	select_runtimes(run, o, all, nall, &d);
	free(all);
	diag_print(&d, stderr, o->ecolor);
	int code = -1;
	if (d.errors) {
		fprintf(stderr, "wasmatrix: %zu error%s in the input; nothing was run\n", d.errors,
			d.errors == 1 ? "" : "s");
		code = lnet.failures ? EXIT_FAULT : EXIT_USAGE;
	}
	diag_release(&d);
	return code;
}

int plan_build(struct plan *pl, const struct plan_opts *o)
{
	memset(pl, 0, sizeof *pl);
	struct strvec suites = STRVEC_INIT;
	for (size_t i = 0; i < o->suites->n; i++)
		strvec_push(&suites, o->suites->v[i]);
	if (!suites.n)
		default_suites(o->root, &suites);
	if (!suites.n) {
		fprintf(stderr, "wasmatrix run: no suites given and no bundled suites found in %s/suites\n", o->root);
		return EXIT_USAGE;
	}
	int code = plan_load(pl, o, &suites);
	strvec_release(&suites);
	if (code >= 0)
		return code;
	struct run *run = &pl->run;
	plan_select(run, o->filter);
	if (o->sharded)
		plan_shard(run, o->shard_k, o->shard_n);
	for (size_t i = 0; i < run->nrts; i++) {
		adapter_probe(&run->rts[i], o->runtimes_dir);
		pl->avail += !run->rts[i].missing;
	}
	if (o->baseline_path)
		baseline_preskip(&pl->bl, run);
	return -1;
}

void plan_release(struct plan *pl)
{
	baseline_release(&pl->bl);
	run_release(&pl->run);
}
