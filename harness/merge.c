/* merge.c - see merge.h. Tests are ordered by suite (first appearance), then by their
 * file and line, so merged shards come out in the order an unsharded run writes. */
#define _GNU_SOURCE
#include "merge.h"
#include "agree.h"
#include "outcome.h"
#include "results_read.h"
#include "results_write.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct mtest {
	json_t *test;		/* borrowed from an input */
	size_t suite, order;
	size_t file;		/* the input it was first seen in */
};

static int cmp_mtest(const void *a, const void *b)
{
	const struct mtest *x = a, *y = b;
	if (x->suite != y->suite)
		return x->suite < y->suite ? -1 : 1;
	const char *fx = json_string_value(json_object_get(x->test, "file"));
	const char *fy = json_string_value(json_object_get(y->test, "file"));
	int c = strcmp(fx ? fx : "", fy ? fy : "");
	if (c)
		return c;
	long long lx = json_integer_value(json_object_get(x->test, "line"));
	long long ly = json_integer_value(json_object_get(y->test, "line"));
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool same_json(const json_t *a, const json_t *b)
{
	return a == b || (a && b && json_equal((json_t *)a, (json_t *)b));
}

/* Do two inputs record the same definition of a test? By the "definition" digest when
 * both have one; otherwise (files written before it) by the recorded fields that define
 * a test, leaving out those that depend on where it ran: the directories of the module
 * and of the fixtures (their names are compared), the suite file and line. On a
 * difference, *what says what differs (for digests: the first recorded field that does,
 * else the contents of the module or fixtures, which only the digest covers). */
static bool same_definition(const json_t *x, const json_t *y, const char **what)
{
	const char *dx = json_string_value(json_object_get(x, "definition"));
	const char *dy = json_string_value(json_object_get(y, "definition"));
	bool digests = dx && dy;
	if (digests && !strcmp(dx, dy))
		return true;
	static const char *const keys[] = { "args", "env", "stdin_bytes", "timeout", "requires", "links",
		"skip", "expect" };
	static const char *const differ[] = { "args differ", "env differs", "stdin differs",
		"timeout differs", "requires differs", "links differ", "skip differs", "expect differs" };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!same_json(json_object_get(x, keys[i]), json_object_get(y, keys[i]))) {
			*what = differ[i];
			return false;
		}
	*what = "the module differs";
	if (strcmp(path_basename(results_str_or_empty(x, "module")), path_basename(results_str_or_empty(y, "module"))))
		return false;
	*what = "dirs differ";
	json_t *ax = json_object_get(x, "dirs"), *ay = json_object_get(y, "dirs");
	if (json_array_size(ax) != json_array_size(ay) || !json_is_array(ax) != !json_is_array(ay))
		return false;
	for (size_t i = 0; i < json_array_size(ax); i++) {
		json_t *a = json_array_get(ax, i), *b = json_array_get(ay, i);
		if (strcmp(results_str_or_empty(a, "guest"), results_str_or_empty(b, "guest")) ||
		    strcmp(path_basename(results_str_or_empty(a, "host")), path_basename(results_str_or_empty(b, "host"))) ||
		    !json_is_string(json_object_get(a, "host")) != !json_is_string(json_object_get(b, "host")))
			return false;
	}
	*what = "the contents of the module or of a fixture differ";
	return !digests;
}

#define MAX_DEFINITION_ERRORS 10

json_t *merge_docs(const struct results *in, size_t n, bool force, struct diag *d)
{
	size_t errors0 = d->errors;
	const struct results *a = &in[0];
	const char *tv = results_str_or_empty(json_object_get(a->doc, "tool"), "version");
	json_t *rts = json_array(), *suites = json_array(), *rtmap = json_object(), *suitemap = json_object(),
	       *testmap = json_object(), *seen = json_object(), *merged_from = json_array();
	struct mtest *mt = NULL;
	size_t nmt = 0;
	double started_dur = 0;
	const char *first_started = NULL;
	/* one stopped input makes the merge incomplete: it lacks that input's unfinished tests */
	const char *inc_signal = NULL;
	bool inc = false;
	json_int_t planned = 0;
	for (size_t f = 0; f < n; f++) {
		const struct results *rf = &in[f];
		json_t *run = json_object_get(rf->doc, "run");
		json_t *fi = json_object_get(rf->doc, "incomplete");
		if (json_is_object(fi)) {
			if (!inc_signal)
				inc_signal = json_string_value(json_object_get(fi, "signal"));
			inc = true;
			planned += json_integer_value(json_object_get(fi, "planned"));
		} else {
			planned += (json_int_t)json_array_size(rf->results);
		}
		json_array_append_new(merged_from, json_pack("{s:s, s:O, s:O, s:O, s:O}", "file", rf->path, "id",
							     json_object_get(run, "id") ? json_object_get(run, "id") : json_null(),
							     "started", json_object_get(run, "started") ? json_object_get(run, "started") : json_null(),
							     "duration", json_object_get(run, "duration") ? json_object_get(run, "duration") : json_null(),
							     "argv", json_object_get(run, "argv") ? json_object_get(run, "argv") : json_null()));
		const char *st = results_str_or_empty(run, "started");
		if (*st && (!first_started || strcmp(st, first_started) < 0))
			first_started = st;
		double du = json_number_value(json_object_get(run, "duration"));
		if (du > started_dur)
			started_dur = du;
		const char *v = results_str_or_empty(json_object_get(rf->doc, "tool"), "version");
		if (f && strcmp(v, tv) && !force)
			diag_error(d, rf->path, 0, 0, "written by wasmatrix %s but %s was written by %s; use --force to merge anyway",
				   v, a->path, tv);
		/* suites: the same set in every file (names and kinds) */
		if (f) {
			bool same = rf->nsuites == a->nsuites;
			for (size_t s = 0; same && s < rf->nsuites; s++) {
				json_t *x = json_array_get(rf->suites, s), *y = json_array_get(a->suites, s);
				same = !strcmp(results_str_or_empty(x, "name"), results_str_or_empty(y, "name")) &&
				       !strcmp(results_str_or_empty(x, "kind"), results_str_or_empty(y, "kind"));
			}
			if (!same && !force) {
				struct buf b = BUF_INIT, c = BUF_INIT;
				for (size_t s = 0; s < rf->nsuites; s++)
					buf_addf(&b, "%s'%s'", s ? ", " : "", results_str_or_empty(json_array_get(rf->suites, s), "name"));
				for (size_t s = 0; s < a->nsuites; s++)
					buf_addf(&c, "%s'%s'", s ? ", " : "", results_str_or_empty(json_array_get(a->suites, s), "name"));
				diag_error(d, rf->path, 0, 0, "ran suites %s but %s ran %s; use --force to merge anyway",
					   b.len ? b.data : "(none)", a->path, c.len ? c.data : "(none)");
				buf_release(&b);
				buf_release(&c);
			}
		}
		for (size_t s = 0; s < rf->nsuites; s++) {
			json_t *x = json_array_get(rf->suites, s);
			if (!json_object_get(suitemap, results_str_or_empty(x, "name"))) {
				json_object_set_new(suitemap, results_str_or_empty(x, "name"), json_integer((json_int_t)json_array_size(suites)));
				json_t *c = json_copy(x);
				json_object_set_new(c, "tests", json_integer(0));
				json_array_append_new(suites, c);
			}
		}
		for (size_t r = 0; r < rf->nrts; r++) {
			json_t *x = json_array_get(rf->runtimes, r);
			json_t *k = json_object_get(rtmap, results_str_or_empty(x, "name"));
			if (!k) {
				json_object_set_new(rtmap, results_str_or_empty(x, "name"), json_integer((json_int_t)json_array_size(rts)));
				json_array_append(rts, x);
				continue;
			}
			json_t *y = json_array_get(rts, (size_t)json_integer_value(k));
			bool xa = json_is_true(json_object_get(x, "available")), ya = json_is_true(json_object_get(y, "available"));
			/* runtime@version/arch: one name is one architecture (docs/architectures.md) */
			const char *xarch = results_rt_arch(rf, r), *yarch = results_str(y, "arch");
			if (yarch && *xarch && strcmp(xarch, yarch))
				diag_error(d, rf->path, 0, 0, "runtime '%s' ran on %s here but on %s in an earlier file: "
					   "one column cannot hold two architectures (run the other one as %s/%s, "
					   "docs/architectures.md)", results_str_or_empty(x, "name"), xarch, yarch,
					   results_str_or_empty(x, "name"), xarch);
			if (xa && ya && strcmp(results_str_or_empty(x, "version"), results_str_or_empty(y, "version")) && !force)
				diag_error(d, rf->path, 0, 0, "runtime '%s' is version %s here but %s in an earlier file; "
					   "use --force to merge anyway", results_str_or_empty(x, "name"), results_str_or_empty(x, "version"),
					   results_str_or_empty(y, "version"));
			if (xa && !ya)
				json_array_set(rts, (size_t)json_integer_value(k), x);
		}
		size_t differ = 0;
		for (size_t t = 0; t < rf->ntests; t++) {
			json_t *x = json_array_get(rf->tests, t);
			json_t *k = json_object_get(testmap, results_str_or_empty(x, "id"));
			const char *what;
			if (k) {
				/* one test, one definition: results of two definitions are not one matrix,
				 * not even with --force */
				const struct mtest *m = &mt[json_integer_value(k)];
				if (!same_definition(m->test, x, &what) && ++differ <= MAX_DEFINITION_ERRORS)
					diag_error(d, rf->path, 0, 0, "test '%s' is defined differently here than in %s "
						   "(%s): these are runs of different suites, re-run them from one",
						   results_str_or_empty(x, "id"), in[m->file].path, what);
				continue;
			}
			json_object_set_new(testmap, results_str_or_empty(x, "id"), json_integer((json_int_t)nmt));
			if ((nmt & (nmt - 1)) == 0)	/* grow at powers of two */
				mt = xrealloc(mt, (nmt ? 2 * nmt : 1) * sizeof *mt);
			mt[nmt].test = x;
			mt[nmt].suite = (size_t)json_integer_value(json_object_get(suitemap, results_str_or_empty(x, "suite")));
			mt[nmt].order = nmt;
			mt[nmt].file = f;
			nmt++;
		}
		if (differ > MAX_DEFINITION_ERRORS)
			diag_error(d, rf->path, 0, 0, "%zu more tests are defined differently here than in an earlier file",
				   differ - MAX_DEFINITION_ERRORS);
		for (size_t i = 0; i < rf->nresults; i++) {
			json_t *x = json_array_get(rf->results, i);
			char *key = xasprintf("%s\x1f%s", results_str_or_empty(x, "test"), results_str_or_empty(x, "runtime"));
			json_t *prev = json_object_get(seen, key);
			if (prev)
				diag_error(d, rf->path, 0, 0, "duplicate result: test '%s' on runtime '%s' is also in %s "
					   "(results[%zu]); a result must come from one file only", results_str_or_empty(x, "test"),
					   results_str_or_empty(x, "runtime"), json_string_value(prev), i);
			else
				json_object_set_new(seen, key, json_string(rf->path));
			free(key);
		}
	}
	json_t *doc = NULL;
	if (d->errors > errors0)
		goto out;
	if (nmt > 1)
		qsort(mt, nmt, sizeof *mt, cmp_mtest);
	size_t nrts = json_array_size(rts);
	json_t **cells = xcalloc(nmt * nrts + 1, sizeof *cells);
	json_t *order = json_object();	/* test id -> merged position */
	json_t *tests = json_array();
	for (size_t t = 0; t < nmt; t++) {
		json_object_set_new(order, results_str_or_empty(mt[t].test, "id"), json_integer((json_int_t)t));
		json_array_append(tests, mt[t].test);
		json_t *s = json_array_get(suites, mt[t].suite);
		json_object_set_new(s, "tests", json_integer(json_integer_value(json_object_get(s, "tests")) + 1));
	}
	for (size_t f = 0; f < n; f++)
		for (size_t i = 0; i < in[f].nresults; i++) {
			json_t *x = json_array_get(in[f].results, i);
			size_t t = (size_t)json_integer_value(json_object_get(order, results_str_or_empty(x, "test")));
			size_t r = (size_t)json_integer_value(json_object_get(rtmap, results_str_or_empty(x, "runtime")));
			cells[t * nrts + r] = x;
		}
	json_t *results = json_array(), *summary = json_object();
	for (size_t r = 0; r < nrts; r++) {
		json_t *c = json_object();
		for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
			json_object_set_new(c, outcome_name(o), json_integer(0));
		json_object_set_new(summary, results_str_or_empty(json_array_get(rts, r), "name"), c);
	}
	for (size_t i = 0; i < nmt * nrts; i++) {
		if (!cells[i])
			continue;
		json_array_append(results, cells[i]);
		json_t *c = json_object_get(json_object_get(summary, results_str_or_empty(cells[i], "runtime")),
					    results_str_or_empty(cells[i], "outcome"));
		if (c)
			json_integer_set(c, json_integer_value(c) + 1);
	}
	free(cells);
	json_decref(order);
	json_t *run = json_copy(json_object_get(a->doc, "run"));
	if (first_started)
		json_object_set_new(run, "started", json_string(first_started));
	json_object_set_new(run, "duration", json_real(started_dur));
	json_object_set(run, "merged_from", merged_from);
	doc = json_object();
	json_object_set_new(doc, "schema", json_string(RESULTS_SCHEMA));
	json_object_set_new(doc, "version", json_integer(RESULTS_VERSION));
	json_object_set(doc, "tool", json_object_get(a->doc, "tool"));
	json_object_set_new(doc, "run", run);
	if (json_object_get(a->doc, "host"))
		json_object_set(doc, "host", json_object_get(a->doc, "host"));
	json_object_set(doc, "runtimes", rts);
	json_object_set(doc, "suites", suites);
	json_object_set_new(doc, "tests", tests);
	json_object_set_new(doc, "incomplete", !inc ? json_null()
		: json_pack("{s:o, s:I, s:I}", "signal", inc_signal ? json_string(inc_signal) : json_null(),
			    "results", (json_int_t)json_array_size(results), "planned", planned));
	json_object_set_new(doc, "results", results);
	json_object_set_new(doc, "summary", summary);
	json_object_set_new(doc, "agreement", agree_compute(doc));
out:
	free(mt);
	json_decref(rts);
	json_decref(suites);
	json_decref(rtmap);
	json_decref(suitemap);
	json_decref(testmap);
	json_decref(seen);
	json_decref(merged_from);
	return doc;
}
