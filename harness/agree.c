/* agree.c - see agree.h. A behaviour signature is built per (test, runtime) from what
 * can be observed from outside: how the process ended (exit code, trap, signal,
 * timeout), stdout (bytes, exactly), stderr class (empty or not: runtimes word their
 * own diagnostics differently, so their text is not compared) and files_digest. */
#include "agree.h"
#include "outcome.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether a result ran and passed or failed, from the outcome table (outcome.h). A
 * validated file has no unknown outcome; one would count as not run. */
static enum outcome_agree agree_class(const json_t *r)
{
	enum outcome o;
	if (!outcome_parse(json_string_value(json_object_get(r, "outcome")), &o))
		return OUTCOME_AGREE_NOT_RUN;
	return outcome_info(o)->agree;
}

static bool ran(const json_t *r)
{
	return json_is_true(json_object_get(r, "ran")) && agree_class(r) != OUTCOME_AGREE_NOT_RUN;
}

/* How the process ended, as shown to people: "exit 0", "trap", "signal 9", "timeout". */
static char *ending(const json_t *r)
{
	enum outcome o;
	bool timeout = outcome_parse(json_string_value(json_object_get(r, "outcome")), &o) && o == OUT_TIMEOUT;
	json_t *ec = json_object_get(r, "exit_code"), *sig = json_object_get(r, "signal");
	if (json_is_true(json_object_get(r, "trapped")))
		return xstrdup("trap");
	if (timeout)
		return xstrdup("timeout");
	if (json_is_integer(ec))
		return xasprintf("exit %lld", (long long)json_integer_value(ec));
	if (json_is_integer(sig))
		return xasprintf("signal %lld", (long long)json_integer_value(sig));
	return xstrdup("no exit");
}

/* A new reference to obj[key], or null. */
static json_t *member(const json_t *obj, const char *key)
{
	json_t *j = json_object_get(obj, key);
	return j ? json_incref(j) : json_null();
}

struct member {
	size_t rt;
	const json_t *res;
	char *sig;
	size_t group;
};

/* ---- the architecture axis (docs/architectures.md) ------------------------------------
 * A runtime on several architectures is several columns ("wasmtime", "wasmtime/aarch64"),
 * one adapter: for each test, does it behave the same (the same signature) on each? */
struct axis {
	const json_t *rts;
	size_t nrts, nbases;
	size_t *base;		/* per runtime: its adapter's index in bases */
	char **bases;		/* adapter names */
	const char **arch;	/* per runtime */
	size_t *narch;		/* per base: architectures seen */
	size_t compared, agree;
	json_t *differ;		/* [{test, runtime, spec, results: [...]}] */
};

/* The architecture of runtime entry rt (its "arch", the part of its name after '/', the
 * host's), and its adapter's name (malloc'd) into *base. */
static const char *rt_arch(const json_t *doc, const json_t *rt, char **base)
{
	const char *n = json_string_value(json_object_get(rt, "name"));
	const char *a = json_string_value(json_object_get(rt, "arch"));
	const char *sl = n ? strchr(n, '/') : NULL;
	if (!a && sl)
		a = sl + 1;
	if (!a)
		a = json_string_value(json_object_get(json_object_get(doc, "host"), "arch"));
	if (!a)
		a = "";
	/* "<adapter>/<arch>": the adapter is the name before it */
	size_t nl = n ? strlen(n) : 0, al = strlen(a);
	if (sl && nl > al + 1 && !strcmp(n + nl - al, a) && n[nl - al - 1] == '/')
		*base = xstrndup(n, nl - al - 1);
	else
		*base = xstrdup(n ? n : "");
	return a;
}

static void axis_init(struct axis *ax, const json_t *doc)
{
	memset(ax, 0, sizeof *ax);
	ax->rts = json_object_get(doc, "runtimes");
	ax->nrts = json_array_size(ax->rts);
	ax->base = xcalloc(ax->nrts + 1, sizeof *ax->base);
	ax->bases = xcalloc(ax->nrts + 1, sizeof *ax->bases);
	ax->arch = xcalloc(ax->nrts + 1, sizeof *ax->arch);
	ax->narch = xcalloc(ax->nrts + 1, sizeof *ax->narch);
	for (size_t r = 0; r < ax->nrts; r++) {
		char *b;
		ax->arch[r] = rt_arch(doc, json_array_get(ax->rts, r), &b);
		size_t k;
		for (k = 0; k < ax->nbases && strcmp(ax->bases[k], b); k++)
			;
		if (k == ax->nbases)
			ax->bases[ax->nbases++] = b;
		else
			free(b);
		ax->base[r] = k;
		ax->narch[k]++;
	}
	ax->differ = json_array();
}

/* One test's members m[0..n) (signatures computed): each adapter that ran it on two or
 * more architectures is compared with itself. */
static void axis_test(struct axis *ax, const json_t *test, const struct member *m, size_t n)
{
	for (size_t b = 0; b < ax->nbases; b++) {
		if (ax->narch[b] < 2)
			continue;
		size_t first = n, same = 1, count = 0;
		for (size_t k = 0; k < n; k++) {
			if (ax->base[m[k].rt] != b)
				continue;
			count++;
			if (first == n)
				first = k;
			else if (strcmp(m[k].sig, m[first].sig))
				same = 0;
		}
		if (count < 2)
			continue;
		ax->compared++;
		ax->agree += same;
		if (same)
			continue;
		json_t *res = json_array();
		for (size_t k = 0; k < n; k++) {
			if (ax->base[m[k].rt] != b)
				continue;
			char *end = ending(m[k].res);
			json_array_append_new(res, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "runtime",
				json_string_value(json_object_get(m[k].res, "runtime")), "arch", ax->arch[m[k].rt],
				"ending", end, "stdout", member(m[k].res, "stdout"), "outcome",
				member(m[k].res, "outcome"), "stderr",
				json_string_length(json_object_get(m[k].res, "stderr")) ? "non-empty" : "empty"));
			free(end);
		}
		json_array_append_new(ax->differ, json_pack("{s:s, s:s, s:o, s:o}", "test",
			json_string_value(json_object_get(test, "id")), "runtime", ax->bases[b], "spec",
			member(test, "spec"), "results", res));
	}
}

/* The "architectures" object, or NULL when no adapter ran on two architectures. Arch-
 * dependent results come in the order a reader needs them: those where the spec says
 * the result is deterministic (a runtime bug), then those of tests that say nothing, then
 * those the spec allows to differ. */
static json_t *axis_finish(struct axis *ax)
{
	json_t *out = NULL;
	json_t *multi = json_object();
	for (size_t b = 0; b < ax->nbases; b++) {
		if (ax->narch[b] < 2)
			continue;
		json_t *arches = json_array();
		for (size_t r = 0; r < ax->nrts; r++)
			if (ax->base[r] == b)
				json_array_append_new(arches, json_pack("{s:s, s:s}", "arch", ax->arch[r], "runtime",
					json_string_value(json_object_get(json_array_get(ax->rts, r), "name"))));
		json_object_set_new(multi, ax->bases[b], arches);
	}
	if (json_object_size(multi)) {
		json_t *sorted = json_array();
		static const char *const order[] = { "deterministic", NULL, "nondeterministic" };
		for (size_t pass = 0; pass < 3; pass++) {
			size_t i;
			json_t *d;
			json_array_foreach(ax->differ, i, d) {
				const char *sp = json_string_value(json_object_get(d, "spec"));
				bool known = sp && (!strcmp(sp, "deterministic") || !strcmp(sp, "nondeterministic"));
				if ((order[pass] && known && !strcmp(sp, order[pass])) || (!order[pass] && !known))
					json_array_append(sorted, d);
			}
		}
		out = json_pack("{s:o, s:I, s:I, s:I, s:o}", "runtimes", multi, "compared", (json_int_t)ax->compared,
				"agree", (json_int_t)ax->agree, "differ_count", (json_int_t)json_array_size(sorted),
				"differ", sorted);
	} else {
		json_decref(multi);
	}
	json_decref(ax->differ);
	for (size_t b = 0; b < ax->nbases; b++)
		free(ax->bases[b]);
	free(ax->bases);
	free(ax->base);
	free(ax->arch);
	free(ax->narch);
	return out;
}

json_t *agree_compute(const json_t *doc)
{
	json_t *rts = json_object_get(doc, "runtimes"), *tests = json_object_get(doc, "tests"),
	       *results = json_object_get(doc, "results");
	size_t nrts = json_array_size(rts), ntests = json_array_size(tests);
	json_t *rtmap = json_object(), *testmap = json_object();
	size_t i;
	json_t *o;
	json_array_foreach(rts, i, o) {
		const char *n = json_string_value(json_object_get(o, "name"));
		if (n)
			json_object_set_new(rtmap, n, json_integer((json_int_t)i));
	}
	struct axis ax;
	axis_init(&ax, doc);
	json_array_foreach(tests, i, o) {
		const char *n = json_string_value(json_object_get(o, "id"));
		if (n)
			json_object_set_new(testmap, n, json_integer((json_int_t)i));
	}
	/* cells[t * nrts + r]: the result, when the runtime ran the test */
	const json_t **cells = xcalloc(ntests * nrts + 1, sizeof *cells);
	json_array_foreach(results, i, o) {
		json_t *t = json_object_get(testmap, json_string_value(json_object_get(o, "test")) ?
							      json_string_value(json_object_get(o, "test")) : "");
		json_t *r = json_object_get(rtmap, json_string_value(json_object_get(o, "runtime")) ?
							   json_string_value(json_object_get(o, "runtime")) : "");
		if (t && r && ran(o))
			cells[(size_t)json_integer_value(t) * nrts + (size_t)json_integer_value(r)] = o;
	}
	size_t *rt_ran = xcalloc(nrts + 1, sizeof *rt_ran);
	json_t **only = xcalloc(nrts + 1, sizeof *only);
	for (size_t r = 0; r < nrts; r++)
		only[r] = json_array();
	json_t *jtests = json_object();
	size_t compared = 0, agree = 0, single = 0;
	struct member *m = xcalloc(nrts + 1, sizeof *m);
	for (size_t t = 0; t < ntests; t++) {
		size_t n = 0;
		for (size_t r = 0; r < nrts; r++) {
			const json_t *res = cells[t * nrts + r];
			if (!res)
				continue;
			rt_ran[r]++;
			const char *out = json_string_value(json_object_get(res, "stdout"));
			const char *err = json_string_value(json_object_get(res, "stderr"));
			const char *fd = json_string_value(json_object_get(res, "files_digest"));
			char *end = ending(res);
			size_t outn = out ? json_string_length(json_object_get(res, "stdout")) : 0;
			long long outb = json_integer_value(json_object_get(res, "stdout_bytes"));
			bool err_empty = !err || !*err;
			m[n].rt = r;
			m[n].res = res;
			m[n].sig = xasprintf("%s|%016llx:%lld|%s|%s", end, fnv1a(FNV1A_INIT, out ? out : "", outn),
					     outb, err_empty ? "empty" : "non-empty", fd ? fd : "");
			free(end);
			n++;
		}
		if (!n)
			continue;
		json_t *groups = json_array();
		size_t ng = 0, npassed = 0;
		struct strset sigs = STRSET_INIT;	/* signature -> its group */
		for (size_t k = 0; k < n; k++) {
			size_t g;
			npassed += agree_class(m[k].res) == OUTCOME_AGREE_PASSED;
			if (!strset_add(&sigs, m[k].sig, strlen(m[k].sig), ng, &g)) {
				m[k].group = g;
				json_array_append_new(json_object_get(json_array_get(groups, m[k].group), "runtimes"),
						      json_string(json_string_value(json_object_get(m[k].res, "runtime"))));
				continue;
			}
			m[k].group = ng++;
			const json_t *res = m[k].res;
			const char *err = json_string_value(json_object_get(res, "stderr"));
			const char *out = json_string_value(json_object_get(res, "stdout"));
			char *end = ending(res);
			json_t *gj = json_object();
			json_t *names = json_array();
			json_array_append_new(names, json_string(json_string_value(json_object_get(res, "runtime"))));
			json_object_set_new(gj, "runtimes", names);
			json_object_set_new(gj, "ending", json_string(end));
			json_object_set_new(gj, "exit_code", member(res, "exit_code"));
			json_object_set_new(gj, "trap", json_boolean(json_is_true(json_object_get(res, "trapped"))));
			char h[17];
			snprintf(h, sizeof h, "%016llx",
				 fnv1a(FNV1A_INIT, out ? out : "", out ? json_string_length(json_object_get(res, "stdout")) : 0));
			json_object_set_new(gj, "stdout_hash", json_string(h));
			json_object_set_new(gj, "stdout_bytes", member(res, "stdout_bytes"));
			json_object_set_new(gj, "stderr", json_string(err && *err ? "non-empty" : "empty"));
			json_object_set_new(gj, "files_digest", member(res, "files_digest"));
			json_array_append_new(groups, gj);
			free(end);
		}
		strset_release(&sigs);
		axis_test(&ax, json_array_get(tests, t), m, n);
		json_t *tj = json_object();
		json_object_set_new(tj, "ran", json_integer((json_int_t)n));
		json_object_set_new(tj, "groups", groups);
		json_object_set_new(jtests, json_string_value(json_object_get(json_array_get(tests, t), "id")), tj);
		if (n >= 2) {
			compared++;
			agree += ng == 1;
			/* fails only here: this runtime fails, every other runtime that ran passes
			 * (a failed one is not a passed one, so: all the others) */
			for (size_t k = 0; k < n; k++) {
				if (agree_class(m[k].res) != OUTCOME_AGREE_FAILED)
					continue;
				if (npassed == n - 1)
					json_array_append_new(only[m[k].rt], json_string(json_string_value(
									     json_object_get(json_array_get(tests, t), "id"))));
			}
		} else {
			single++;
		}
		for (size_t k = 0; k < n; k++)
			free(m[k].sig);
	}
	json_t *jrts = json_object();
	for (size_t r = 0; r < nrts; r++) {
		const char *name = json_string_value(json_object_get(json_array_get(rts, r), "name"));
		if (!name || !rt_ran[r]) {
			json_decref(only[r]);
			continue;
		}
		json_object_set_new(jrts, name, json_pack("{s:I, s:o}", "ran", (json_int_t)rt_ran[r],
							  "fails_only_here", only[r]));
	}
	json_t *overall = json_pack("{s:I, s:I, s:I, s:o}", "compared", (json_int_t)compared, "agree",
				    (json_int_t)agree, "single_runtime", (json_int_t)single,
				    "share", compared ? json_real((double)agree / (double)compared) : json_null());
	json_t *a = json_pack("{s:[s,s,s,s], s:o, s:o, s:o}", "basis", "ending", "stdout", "stderr_class",
			      "files_digest", "overall", overall, "runtimes", jrts, "tests", jtests);
	json_t *arch = axis_finish(&ax);
	if (arch)
		json_object_set_new(a, "architectures", arch);
	free(m);
	free(only);
	free(rt_ran);
	free(cells);
	json_decref(rtmap);
	json_decref(testmap);
	return a;
}
