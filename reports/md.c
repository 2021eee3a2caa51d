/* md.c - the Markdown summary: runtimes × outcomes, agreement, unexpected results
 * first. It writes only Markdown; the GitHub Actions step summary and annotations are
 * github.c's. */
#define _GNU_SOURCE
#include "report.h"
#include "featmatrix.h"

#include <stdlib.h>
#include <string.h>

#define MD_MAX_ROWS 100

/* tests[].spec of the test id (suites/arch: "deterministic" or "nondeterministic"), else the
 * one the agreement recorded, or NULL. */
const char *report_test_spec(const struct results *rf, const json_t *differ)
{
	const char *id = results_str(differ, "test");
	for (size_t t = 0; id && t < rf->ntests; t++) {
		json_t *tj = json_array_get(rf->tests, t);
		if (!strcmp(results_str_or_empty(tj, "id"), id))
			return results_str(tj, "spec") ? results_str(tj, "spec") : results_str(differ, "spec");
	}
	return results_str(differ, "spec");
}

const char *report_spec_words(const char *spec)
{
	if (!spec)
		return "not stated";
	if (!strcmp(spec, "deterministic"))
		return "deterministic: must not differ (a runtime bug)";
	if (!strcmp(spec, "nondeterministic"))
		return "allowed to differ";
	return spec;
}

/* The 0-based index of the first stdout line that is not the same in every result of
 * res (0 when they differ from the first line, or only in how they end). */
static size_t first_differing_line(const json_t *res)
{
	const char *a = results_str(json_array_get(res, 0), "stdout");
	size_t best = (size_t)-1;
	for (size_t k = 1; k < json_array_size(res); k++) {
		const char *b = results_str(json_array_get(res, k), "stdout");
		const char *p = a ? a : "", *q = b ? b : "";
		size_t line = 0;
		while (*p && *p == *q) {
			line += *p == '\n';
			p++, q++;
		}
		if (line < best)
			best = line;
	}
	return best == (size_t)-1 ? 0 : best;
}

/* The architecture axis (agreement.architectures, docs/architectures.md): every result
 * that depends on the architecture, deterministic ones first (agree.c orders them). */
static void md_arch(const struct results *rf, struct buf *b)
{
	json_t *ax = json_object_get(rf->agreement, "architectures");
	if (!json_is_object(ax))
		return;
	json_t *differ = json_object_get(ax, "differ");
	buf_adds(b, "### Across architectures\n\n");
	const char *base;
	json_t *cols;
	buf_adds(b, "The same runtime on several architectures (");
	bool first = true;
	json_object_foreach(json_object_get(ax, "runtimes"), base, cols) {
		size_t i;
		json_t *c;
		buf_addf(b, "%s%s: ", first ? "" : "; ", base);
		json_array_foreach(cols, i, c)
			buf_addf(b, "%s%s", i ? ", " : "", results_str_or_empty(c, "arch"));
		first = false;
	}
	buf_addf(b, "): %lld of %lld (test, runtime) pairs behave the same on each; **%zu differ**.\n\n",
		 results_int(ax, "agree", 0), results_int(ax, "compared", 0), json_array_size(differ));
	if (!json_array_size(differ))
		return;
	buf_adds(b, "| test | runtime | spec | results |\n|---|---|---|---|\n");
	size_t i;
	json_t *d;
	json_array_foreach(differ, i, d) {
		if (i == MD_MAX_ROWS) {
			buf_addf(b, "\n… and %zu more: see the HTML report.\n", json_array_size(differ) - MD_MAX_ROWS);
			break;
		}
		buf_adds(b, "| ");
		esc_md_cell(b, results_str(d, "test"), 120);
		buf_adds(b, " | ");
		esc_md_cell(b, results_str(d, "runtime"), 40);
		buf_adds(b, " | ");
		esc_md_cell(b, report_spec_words(report_test_spec(rf, d)), 80);
		buf_adds(b, " | ");
		size_t k;
		json_t *x;
		struct buf cell = BUF_INIT;
		json_t *res = json_object_get(d, "results");
		size_t line = first_differing_line(res);
		json_array_foreach(res, k, x) {
			const char *out = results_str(x, "stdout");
			buf_addf(&cell, "%s%s: %s, %s", k ? "; " : "", results_str_or_empty(x, "arch"),
				 results_str_or_empty(x, "ending"), results_str_or_empty(x, "outcome"));
			/* where the outputs part: the first line that differs, cut at 100 bytes */
			const char *l = out ? out : "";
			for (size_t n = 0; n < line && l; n++)
				l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL;
			if (l && *l) {
				size_t len = strcspn(l, "\n");
				buf_addf(&cell, ", stdout line %zu \"%.*s%s\"", line + 1, (int)(len > 100 ? 100 : len), l,
					 len > 100 ? "…" : "");
			}
		}
		esc_md_cell(b, cell.data ? cell.data : "", 400);
		buf_release(&cell);
		buf_adds(b, " |\n");
	}
	buf_addc(b, '\n');
}

/* Runtimes x WASI versions, when the run has more than preview1 core modules: passed/
 * total per cell, or "unsupported" when the runtime runs none of that version, so "runs
 * preview1 but not 0.2" shows at a glance. */
static void md_wasi(const struct results *rf, struct buf *b)
{
	if (!report_wasi_shown(rf))
		return;
	const char *v[REPORT_MAX_WASI];
	size_t nv = report_wasi_versions(rf, v, REPORT_MAX_WASI);
	buf_adds(b, "\n### By WASI version\n\n| runtime |");
	for (size_t k = 0; k < nv; k++)
		buf_addf(b, " %s |", report_wasi_label(v[k]));
	buf_adds(b, "\n|---|");
	for (size_t k = 0; k < nv; k++)
		buf_adds(b, "---:|");
	buf_addc(b, '\n');
	for (size_t r = 0; r < rf->nrts; r++) {
		if (!results_rt_available(rf, r))
			continue;
		buf_adds(b, "| ");
		esc_md_cell(b, results_str(json_array_get(rf->runtimes, r), "name"), 80);
		buf_adds(b, " |");
		for (size_t k = 0; k < nv; k++) {
			struct report_count c;
			report_count_runtime_wasi(rf, r, v[k], &c);
			if (!c.total)
				buf_adds(b, " – |");
			else if (c.counts[OUT_UNSUPPORTED] == c.total)
				buf_addf(b, " %s unsupported |", outcome_info(OUT_UNSUPPORTED)->symbol);
			else
				buf_addf(b, " %zu/%zu |", c.pass, c.total);
		}
		buf_addc(b, '\n');
	}
}

void md_summary(const struct results *rf, struct buf *b)
{
	json_t *run = json_object_get(rf->doc, "run");
	size_t avail, unexpected;
	report_count_run(rf, &avail, &unexpected);
	buf_adds(b, "## wasmatrix results\n\n");
	buf_addf(b, "%zu tests on %zu runtimes (%zu available), %zu results, **%zu unexpected**",
		 rf->ntests, rf->nrts, avail, rf->nresults, unexpected);
	if (results_str(run, "started"))
		buf_addf(b, "; run %s started %s, %.1f s", results_str(run, "id") ? results_str(run, "id") : "",
			 results_str(run, "started"), results_num(run, "duration", 0));
	buf_adds(b, ".\n\n");
	json_t *inc = json_object_get(rf->doc, "incomplete");
	if (json_is_object(inc)) {
		buf_adds(b, "> **Incomplete run**: stopped by ");
		esc_md_cell(b, results_str(inc, "signal") ? results_str(inc, "signal") : "a signal", 32);
		buf_addf(b, " after %lld of %lld results; the tests that did not finish have no result.\n\n",
			 results_int(inc, "results", 0), results_int(inc, "planned", 0));
	}
	md_arch(rf, b);
	buf_adds(b, "| runtime | version | passed |");
	for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
		buf_addf(b, " %s |", outcome_name(o));
	buf_adds(b, "\n|---|---|---:|");
	for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
		buf_adds(b, "---:|");
	buf_addc(b, '\n');
	for (size_t r = 0; r < rf->nrts; r++) {
		struct report_count c;
		report_count_runtime(rf, r, &c);
		json_t *rt = json_array_get(rf->runtimes, r);
		buf_adds(b, "| ");
		esc_md_cell(b, results_str(rt, "name"), 80);
		buf_adds(b, " | ");
		if (results_rt_available(rf, r))
			esc_md_cell(b, results_rt_version(rf, r), 80);
		else
			buf_adds(b, "not found");
		if (c.total)
			buf_addf(b, " | %zu/%zu (%.0f%%) |", c.pass, c.total, 100.0 * (double)c.pass / (double)c.total);
		else
			buf_adds(b, " | – |");
		for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
			buf_addf(b, " %zu |", c.counts[o]);
		buf_addc(b, '\n');
	}
	md_wasi(rf, b);
	json_t *ov = json_object_get(rf->agreement, "overall");
	long long cmp = results_int(ov, "compared", 0), agr = results_int(ov, "agree", 0);
	buf_adds(b, "\n### Agreement between runtimes\n\n");
	if (cmp)
		buf_addf(b, "%lld of %lld tests (%.1f%%) behave the same on every runtime that ran them "
			 "(exit/trap, stdout, stderr empty or not, files left).\n\n", agr, cmp,
			 100.0 * (double)agr / (double)cmp);
	else
		buf_adds(b, "No test ran on two runtimes or more.\n\n");
	const char *rname;
	json_t *rv;
	bool any = false;
	json_object_foreach(json_object_get(rf->agreement, "runtimes"), rname, rv) {
		json_t *only = json_object_get(rv, "fails_only_here");
		if (!json_array_size(only))
			continue;
		if (!any)
			buf_adds(b, "Fails only here (every other runtime passes):\n\n");
		any = true;
		buf_addf(b, "- **%s** (%zu): ", rname, json_array_size(only));
		size_t i;
		json_t *id;
		json_array_foreach(only, i, id) {
			if (i == 10) {
				buf_addf(b, ", … %zu more", json_array_size(only) - 10);
				break;
			}
			buf_addf(b, "%s`%s`", i ? ", " : "", json_string_value(id));
		}
		buf_addc(b, '\n');
	}
	if (any)
		buf_addc(b, '\n');
	buf_addf(b, "### Unexpected results (%zu)\n\n", unexpected);
	if (!unexpected) {
		buf_adds(b, "Every result is as expected.\n");
		return;
	}
	buf_adds(b, "| test | runtime | outcome | reason |\n|---|---|---|---|\n");
	size_t shown = 0;
	for (size_t i = 0; i < rf->nresults; i++) {
		json_t *res = json_array_get(rf->results, i);
		enum outcome oc = rf->res_outcome[i];
		if (!outcome_unexpected(oc))
			continue;
		if (shown++ == MD_MAX_ROWS) {
			buf_addf(b, "\n… and %zu more: see the HTML report or the JUnit XML.\n", unexpected - MD_MAX_ROWS);
			break;
		}
		buf_adds(b, "| ");
		esc_md_cell(b, results_str(res, "test"), 120);
		buf_adds(b, " | ");
		esc_md_cell(b, results_str(res, "runtime"), 40);
		buf_addf(b, " | %s %s | ", outcome_info(oc)->symbol, outcome_name(oc));
		esc_md_cell(b, results_str(res, "reason"), 200);
		buf_adds(b, " |\n");
	}
}

int md_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err)
{
	struct buf b = BUF_INIT;
	struct featmatrix fm;
	int feat = report_featmatrix(rf, o, &fm, err);
	if (feat < 0)
		return -1;
	md_summary(rf, &b);
	if (feat) {
		buf_addc(&b, '\n');
		features_md(&fm, "###", &b);
		featmatrix_release(&fm);
	}
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	if (ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
