/* html.c - the HTML matrix: one self-contained file (inline CSS and JS from
 * reports/matrix.css and matrix.js, no network, works from file://). The results are
 * embedded as JSON in the results format itself, with each result's stdout, stderr
 * and diff clipped to report_opts.max_output bytes (default 16 KiB) so a run that
 * floods output does not make a page nobody can open; the table is built from that
 * JSON in the browser. */
#include "report.h"
#include "featmatrix.h"
#include "jsonw.h"

#include <string.h>

#define DEFAULT_MAX_OUTPUT (16 * 1024)

/* s cut to max bytes at a UTF-8 boundary, with a marker. */
static void clip(struct jsonw *w, const json_t *s, size_t max)
{
	size_t n = json_string_length(s);
	const char *v = json_string_value(s);
	while (max && ((unsigned char)v[max] & 0xc0) == 0x80)
		max--;
	struct buf b = BUF_INIT;
	buf_add(&b, v, max);
	buf_addf(&b, "\n[… %zu more bytes in results.json]", n - max);
	jw_strn(w, b.data, b.len);
	buf_release(&b);
}

static bool is_long_field(const char *k)
{
	return !strcmp(k, "stdout") || !strcmp(k, "stderr") || !strcmp(k, "diff") || !strcmp(k, "command");
}

/* The page's data, written as it goes: the results document with only the members the
 * page reads, and each result's long strings clipped. */
static void page_data(const struct results *rf, size_t max, struct jsonw *w)
{
	static const char *const keep[] = { "schema", "version", "tool", "run", "host", "runtimes", "suites",
		"tests", "summary", "agreement" };
	static const char *const long_fields[] = { "stdout", "stderr", "diff", "command" };
	jw_obj(w);
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
		json_t *v = json_object_get(rf->doc, keep[i]);
		if (v)
			jw_kvalue(w, keep[i], v);
	}
	jw_key(w, "results");
	jw_arr(w);
	for (size_t i = 0; i < rf->nresults; i++) {
		json_t *r = json_array_get(rf->results, i);
		bool big = false;
		for (size_t k = 0; k < sizeof long_fields / sizeof *long_fields; k++) {
			json_t *s = json_object_get(r, long_fields[k]);
			big |= json_is_string(s) && json_string_length(s) > max;
		}
		if (!big) {
			jw_value(w, r);
			continue;
		}
		const char *k;
		json_t *x;
		jw_obj(w);
		json_object_foreach(r, k, x) {
			jw_key(w, k);
			if (is_long_field(k) && json_is_string(x) && json_string_length(x) > max)
				clip(w, x, max);
			else
				jw_value(w, x);
		}
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
}

/* The architecture axis (agreement.architectures, docs/architectures.md), before the
 * matrix: every arch-dependent result, deterministic ones first (agree.c orders them). */
static void html_arch(const struct results *rf, struct buf *b)
{
	json_t *ax = json_object_get(rf->agreement, "architectures");
	if (!json_is_object(ax))
		return;
	json_t *differ = json_object_get(ax, "differ");
	buf_addf(b, "<section id=\"arch\">\n<h2>Across architectures</h2>\n<p>%lld of %lld (test, runtime) "
		 "pairs behave the same on every architecture the runtime ran on; <strong>%zu differ</strong>.",
		 results_int(ax, "agree", 0), results_int(ax, "compared", 0), json_array_size(differ));
	const char *base;
	json_t *cols;
	json_object_foreach(json_object_get(ax, "runtimes"), base, cols) {
		size_t i;
		json_t *c;
		buf_adds(b, " ");
		esc_html_str(b, base);
		buf_adds(b, ":");
		json_array_foreach(cols, i, c) {
			buf_adds(b, i ? ", " : " ");
			esc_html_str(b, results_str_or_empty(c, "arch"));
		}
		buf_adds(b, ".");
	}
	buf_adds(b, "</p>\n");
	if (json_array_size(differ)) {
		buf_adds(b, "<table class=\"arch\"><thead><tr><th>test</th><th>runtime</th><th>spec</th>"
			 "<th>architecture</th><th>ending</th><th>outcome</th><th>stdout</th></tr></thead><tbody>\n");
		size_t i, k;
		json_t *d, *x;
		json_array_foreach(differ, i, d) {
			json_t *res = json_object_get(d, "results");
			const char *spec = report_test_spec(rf, d);
			json_array_foreach(res, k, x) {
				buf_adds(b, "<tr>");
				if (!k) {
					buf_addf(b, "<td rowspan=\"%zu\"><code>", json_array_size(res));
					esc_html_str(b, results_str_or_empty(d, "test"));
					buf_addf(b, "</code></td><td rowspan=\"%zu\">", json_array_size(res));
					esc_html_str(b, results_str_or_empty(d, "runtime"));
					buf_addf(b, "</td><td rowspan=\"%zu\" class=\"spec-%s\">", json_array_size(res),
						 spec && !strcmp(spec, "deterministic") ? "det" : "nondet");
					esc_html_str(b, report_spec_words(spec));
					buf_adds(b, "</td>");
				}
				buf_adds(b, "<td>");
				esc_html_str(b, results_str_or_empty(x, "arch"));
				buf_adds(b, "</td><td>");
				esc_html_str(b, results_str_or_empty(x, "ending"));
				buf_adds(b, "</td><td>");
				esc_html_str(b, results_str_or_empty(x, "outcome"));
				buf_adds(b, "</td><td><pre>");
				const char *out = results_str_or_empty(x, "stdout");
				esc_html(b, out, strlen(out) > 2000 ? 2000 : strlen(out));
				buf_adds(b, "</pre></td></tr>\n");
			}
		}
		buf_adds(b, "</tbody></table>\n");
	}
	buf_adds(b, "</section>\n");
}

int html_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err)
{
	size_t max = o && o->max_output ? o->max_output : DEFAULT_MAX_OUTPUT;
	json_t *run = json_object_get(rf->doc, "run"), *host = json_object_get(rf->doc, "host");
	json_t *ov = json_object_get(rf->agreement, "overall");
	size_t avail, unexpected;
	report_count_run(rf, &avail, &unexpected);
	struct featmatrix fm;
	int feat = report_featmatrix(rf, o, &fm, err);
	if (feat < 0)
		return -1;
	struct buf b = BUF_INIT;
	buf_addf(&b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<meta name=\"generator\" content=\"wasmatrix %s\">\n"
		 "<title>wasmatrix: %zu tests × %zu runtimes</title>\n<style>\n",
		 results_str(json_object_get(rf->doc, "tool"), "version"), rf->ntests, avail);
	buf_adds(&b, report_asset_matrix_css);
	buf_adds(&b, "</style>\n</head>\n<body>\n<header>\n<h1>wasmatrix compatibility matrix</h1>\n<p class=\"meta\">");
	buf_addf(&b, "%zu tests × %zu runtimes, %zu results, <strong>%zu unexpected</strong>", rf->ntests, avail,
		 rf->nresults, unexpected);
	long long cmp = results_int(ov, "compared", 0), agr = results_int(ov, "agree", 0);
	if (cmp)
		buf_addf(&b, "; %lld of %lld tests (%.1f%%) behave the same on every runtime", agr, cmp,
			 100.0 * (double)agr / (double)cmp);
	buf_adds(&b, ".<br>Run <code>");
	esc_html_str(&b, results_str(run, "id"));
	buf_adds(&b, "</code> started ");
	esc_html_str(&b, results_str(run, "started"));
	buf_addf(&b, " (%.1f s) on ", results_num(run, "duration", 0));
	esc_html_str(&b, results_str(host, "hostname"));
	buf_adds(&b, " (");
	esc_html_str(&b, results_str(host, "os"));
	buf_adds(&b, " ");
	esc_html_str(&b, results_str(host, "arch"));
	buf_adds(&b, ").");
	json_t *inc = json_object_get(rf->doc, "incomplete");
	if (json_is_object(inc)) {
		buf_adds(&b, "<br><strong>Incomplete run</strong>: stopped by ");
		esc_html_str(&b, results_str(inc, "signal") ? results_str(inc, "signal") : "a signal");
		buf_addf(&b, " after %lld of %lld results; the tests that did not finish have no result.",
			 results_int(inc, "results", 0), results_int(inc, "planned", 0));
	}
	bool any = false;
	for (size_t r = 0; r < rf->nrts; r++) {
		if (results_rt_available(rf, r))
			continue;
		buf_adds(&b, any ? ", " : " Not found, so not shown: ");
		esc_html_str(&b, results_str(json_array_get(rf->runtimes, r), "name"));
		any = true;
	}
	buf_adds(&b, "</p>\n<p class=\"legend\">Cells: symbol and outcome; suite rows: passed/total "
		 "(skips not counted), greener is better. Agreement: behaviour groups among the runtimes that "
		 "ran the test (exit or trap, stdout, stderr empty or not, files). Click a cell for details.</p>\n"
		 "</header>\n");
	html_arch(rf, &b);
	buf_adds(&b, "<nav class=\"bar\" id=\"controls\" aria-label=\"filters\"></nav>\n"
		 "<main>\n<noscript><p>This page needs JavaScript to draw the matrix; the data is in the "
		 "wm-data element of its source, and in results.json.</p></noscript>\n"
		 "<table id=\"matrix\"></table>\n");
	if (feat) {
		features_html(&fm, &b);
		featmatrix_release(&fm);
	}
	buf_adds(&b, "</main>\n<aside id=\"details\" hidden aria-live=\"polite\"></aside>\n"
		 "<script type=\"application/json\" id=\"wm-data\">");
	fwrite(b.data, 1, b.len, f);
	b.len = 0;
	struct jsonw w;
	jw_init(&w, &b, f, 0, true);
	page_data(rf, max, &w);
	buf_adds(&b, "</script>\n<script>\n");
	buf_adds(&b, report_asset_matrix_js);
	buf_adds(&b, "</script>\n</body>\n</html>\n");
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	if (ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
