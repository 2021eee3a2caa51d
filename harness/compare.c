/* compare.c - see compare.h. A regression is a (test, runtime) whose old outcome was
 * not unexpected (pass, xfail, skip) and whose new one is (fail, unsupported, crash,
 * timeout, xpass, error); a fix is the reverse with a new pass or xfail. Any other
 * outcome change is listed as "changed". Tests only in one file are new or removed,
 * not regressions. */
#define _GNU_SOURCE
#include "compare.h"
#include "report.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

enum kind { K_REGRESSION, K_FIX, K_CHANGED, K__COUNT };

struct change {
	enum kind kind;
	const json_t *test;
	const char *runtime;
	enum outcome old_o, new_o;
	const char *reason;
};

static const char *sv(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void esc(struct buf *b, const char *s, bool html)
{
	if (html)
		esc_html_str(b, s);
	else
		esc_md_cell(b, s, SIZE_MAX);
}

static void table_head(struct buf *b, bool html, const char *title, size_t n, const char *const *cols, size_t ncols)
{
	if (html) {
		buf_addf(b, "<h2>%s (%zu)</h2>\n", title, n);
		if (!n)
			return;
		buf_adds(b, "<table><thead><tr>");
		for (size_t i = 0; i < ncols; i++)
			buf_addf(b, "<th>%s</th>", cols[i]);
		buf_adds(b, "</tr></thead><tbody>\n");
		return;
	}
	buf_addf(b, "\n### %s (%zu)\n\n", title, n);
	if (!n)
		return;
	buf_adds(b, "|");
	for (size_t i = 0; i < ncols; i++)
		buf_addf(b, " %s |", cols[i]);
	buf_adds(b, "\n|");
	for (size_t i = 0; i < ncols; i++)
		buf_adds(b, "---|");
	buf_addc(b, '\n');
}

static void row(struct buf *b, bool html, const char *const *v, size_t n, const char *cls)
{
	buf_adds(b, html ? "<tr>" : "|");
	for (size_t i = 0; i < n; i++) {
		if (html)
			buf_addf(b, "<td%s%s%s>", cls && i == 2 ? " class=\"" : "", cls && i == 2 ? cls : "",
				 cls && i == 2 ? "\"" : "");
		else
			buf_addc(b, ' ');
		esc(b, v[i], html);
		buf_adds(b, html ? "</td>" : " |");
	}
	buf_adds(b, html ? "</tr>\n" : "\n");
}

static void table_end(struct buf *b, bool html, size_t n)
{
	if (html && n)
		buf_adds(b, "</tbody></table>\n");
}

int compare_write(const struct resfile *old, const struct resfile *nw, const char *format, FILE *f,
		  struct compare_counts *c)
{
	bool html = !strcmp(format, "html");
	memset(c, 0, sizeof *c);
	json_t *oldtests = json_object(), *oldrts = json_object(), *newtests = json_object();
	for (size_t t = 0; t < old->ntests; t++)
		json_object_set_new(oldtests, sv(json_array_get(old->tests, t), "id"), json_integer((json_int_t)t));
	for (size_t t = 0; t < nw->ntests; t++)
		json_object_set_new(newtests, sv(json_array_get(nw->tests, t), "id"), json_integer((json_int_t)t));
	for (size_t r = 0; r < old->nrts; r++)
		json_object_set_new(oldrts, sv(json_array_get(old->runtimes, r), "name"), json_integer((json_int_t)r));
	struct change *ch = xcalloc(nw->nresults + 1, sizeof *ch);
	size_t nch = 0;
	for (size_t i = 0; i < nw->nresults; i++) {
		json_t *x = json_array_get(nw->results, i);
		json_t *ot = json_object_get(oldtests, sv(x, "test")), *orr = json_object_get(oldrts, sv(x, "runtime"));
		if (!ot || !orr)
			continue;
		json_t *y = old->cells[(size_t)json_integer_value(ot) * old->nrts + (size_t)json_integer_value(orr)];
		if (!y)
			continue;
		enum outcome o1 = resfile_outcome(y), o2 = resfile_outcome(x);
		if (o1 == o2)
			continue;
		/* a fix: from unexpected to expected, on a test that ran (pass, xfail; not skip) */
		enum kind k = !outcome_unexpected(o1) && outcome_unexpected(o2) ? K_REGRESSION :
			      outcome_unexpected(o1) && !outcome_unexpected(o2) &&
					      outcome_info(o2)->agree != OUTCOME_AGREE_NOT_RUN ? K_FIX : K_CHANGED;
		ch[nch++] = (struct change){ k, json_array_get(nw->tests, nw->res_test[i]), sv(x, "runtime"),
					     o1, o2, sv(x, "reason") };
		c->regressions += k == K_REGRESSION;
		c->fixes += k == K_FIX;
		c->changed += k == K_CHANGED;
	}
	struct buf b = BUF_INIT;
	if (html) {
		buf_adds(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			 "<title>wasmatrix compare</title><style>\n");
		buf_adds(&b, report_asset_matrix_css);
		buf_adds(&b, "\nmain table{margin-bottom:16px} h2{font-size:16px;margin:18px 0 6px}</style></head>"
			 "<body><header><h1>wasmatrix compare</h1><p class=\"meta\">");
	} else {
		buf_adds(&b, "## wasmatrix compare\n\n");
	}
	esc(&b, old->path, html);
	buf_adds(&b, html ? " (run <code>" : " (run `");
	esc(&b, sv(json_object_get(old->doc, "run"), "id"), html);
	buf_adds(&b, html ? "</code>) → " : "`) → ");
	esc(&b, nw->path, html);
	buf_adds(&b, html ? " (run <code>" : " (run `");
	esc(&b, sv(json_object_get(nw->doc, "run"), "id"), html);
	buf_adds(&b, html ? "</code>)</p></header><main>\n" : "`)\n");
	/* runtimes: versions changed, added, removed */
	static const char *const rcols[] = { "runtime", "old", "new" };
	struct buf rb = BUF_INIT;
	size_t nrv = 0;
	for (size_t r = 0; r < nw->nrts; r++) {
		json_t *x = json_array_get(nw->runtimes, r);
		json_t *k = json_object_get(oldrts, sv(x, "name"));
		json_t *y = k ? json_array_get(old->runtimes, (size_t)json_integer_value(k)) : NULL;
		const char *ov = !y ? "(not in old run)" : json_is_true(json_object_get(y, "available")) ? sv(y, "version") : "not found";
		const char *nv = json_is_true(json_object_get(x, "available")) ? sv(x, "version") : "not found";
		if (!strcmp(ov, nv))
			continue;
		const char *v[] = { sv(x, "name"), ov, nv };
		row(&rb, html, v, 3, NULL);
		nrv++;
	}
	for (size_t r = 0; r < old->nrts; r++) {
		json_t *y = json_array_get(old->runtimes, r);
		bool there = false;
		for (size_t q = 0; q < nw->nrts && !there; q++)
			there = !strcmp(sv(y, "name"), sv(json_array_get(nw->runtimes, q), "name"));
		if (there)
			continue;
		const char *v[] = { sv(y, "name"), json_is_true(json_object_get(y, "available")) ? sv(y, "version") : "not found",
				    "(not in new run)" };
		row(&rb, html, v, 3, NULL);
		nrv++;
	}
	c->versions = nrv;
	for (size_t t = 0; t < nw->ntests; t++)
		c->new_tests += !json_object_get(oldtests, sv(json_array_get(nw->tests, t), "id"));
	for (size_t t = 0; t < old->ntests; t++)
		c->removed_tests += !json_object_get(newtests, sv(json_array_get(old->tests, t), "id"));
	buf_addf(&b, html ? "<p><strong>%zu regressions</strong>, %zu fixes, %zu other changes, %zu new tests, "
			    "%zu removed tests, %zu runtime changes.</p>\n" :
			    "\n**%zu regressions**, %zu fixes, %zu other changes, %zu new tests, %zu removed tests, "
			    "%zu runtime changes.\n",
		 c->regressions, c->fixes, c->changed, c->new_tests, c->removed_tests, nrv);
	static const char *const titles[] = { "Regressions", "Fixes", "Other changes" };
	static const char *const ccols[] = { "test", "runtime", "old → new", "reason now" };
	size_t counts[] = { c->regressions, c->fixes, c->changed };
	for (int k = 0; k < K__COUNT; k++) {
		table_head(&b, html, titles[k], counts[k], ccols, 4);
		for (size_t i = 0; i < nch; i++) {
			if (ch[i].kind != (enum kind)k)
				continue;
			char *tr = xasprintf("%s %s → %s %s", outcome_info(ch[i].old_o)->symbol, outcome_name(ch[i].old_o),
					     outcome_info(ch[i].new_o)->symbol, outcome_name(ch[i].new_o));
			const char *v[] = { sv(ch[i].test, "id"), ch[i].runtime, tr, ch[i].reason };
			char *cls = xasprintf("o-%s", outcome_name(ch[i].new_o));
			row(&b, html, v, 4, cls);
			free(cls);
			free(tr);
		}
		table_end(&b, html, counts[k]);
	}
	static const char *const tcols[] = { "test", "suite", "outcomes" };
	for (int which = 0; which < 2; which++) {
		const struct resfile *rf = which ? old : nw;
		json_t *other = which ? newtests : oldtests;
		table_head(&b, html, which ? "Removed tests" : "New tests", which ? c->removed_tests : c->new_tests, tcols, 3);
		for (size_t t = 0; t < rf->ntests; t++) {
			json_t *x = json_array_get(rf->tests, t);
			if (json_object_get(other, sv(x, "id")))
				continue;
			struct buf ob = BUF_INIT;
			buf_adds(&ob, "");
			for (size_t r = 0; r < rf->nrts; r++) {
				json_t *res = rf->cells[t * rf->nrts + r];
				if (res)
					buf_addf(&ob, "%s%s %s", ob.len ? ", " : "", sv(res, "runtime"), sv(res, "outcome"));
			}
			const char *v[] = { sv(x, "id"), sv(x, "suite"), ob.data };
			row(&b, html, v, 3, NULL);
			buf_release(&ob);
		}
		table_end(&b, html, which ? c->removed_tests : c->new_tests);
	}
	table_head(&b, html, "Runtime changes", nrv, rcols, 3);
	if (rb.len)
		buf_add(&b, rb.data, rb.len);
	table_end(&b, html, nrv);
	buf_release(&rb);
	if (html)
		buf_adds(&b, "</main></body></html>\n");
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	free(ch);
	json_decref(oldtests);
	json_decref(newtests);
	json_decref(oldrts);
	return ferror(f) ? -1 : 0;
}
