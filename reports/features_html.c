/* features_html.c - the measured feature matrix (features.h) as a section of the HTML
 * report (html.c): features as rows, runtimes as columns, the installed version or
 * "flag" in a cell, each disagreement with the claims marked (class "dis", the claim in
 * the cell and the whole line in its title), then the list of disagreements. Static
 * HTML: it reads without JavaScript; matrix.js adds the "disagreements only" filter, and
 * its runtime filter hides a runtime's column here too (data-r: the runtime's index). */
#include "escape.h"
#include "featmatrix.h"

#include <string.h>

static void head(const struct featmatrix *fm, struct buf *b)
{
	buf_adds(b, "<thead><tr><th>Feature</th>");
	for (size_t r = 0; r < fm->nrts; r++) {
		buf_addf(b, "<th class=\"rt\" data-r=\"%zu\">", fm->rts[r].r);
		esc_html_str(b, fm->rts[r].name);
		buf_adds(b, "<small>");
		esc_html_str(b, fm->rts[r].version);
		buf_adds(b, "</small></th>");
	}
	buf_adds(b, "</tr></thead>\n");
}

static void cell(const struct featmatrix *fm, size_t f, size_t r, struct buf *b)
{
	const struct fm_cell *c = &fm->fs[f].cells[r];
	bool dis = fdiff_info(c->diff)->disagrees;
	const char *cls = fcell_name(c->cell);
	buf_addf(b, "<td class=\"fc fc-%.*s%s\" data-r=\"%zu\" data-diff=\"%s\"", (int)strcspn(cls, " "), cls,
		 dis ? " dis" : "", fm->rts[r].r, fdiff_info(c->diff)->name);
	if (dis || c->msg) {
		struct buf t = BUF_INIT;
		if (dis)
			featmatrix_diff_line(fm, f, r, &t);
		else
			buf_adds(&t, c->msg);
		buf_adds(b, " title=\"");
		esc_html(b, t.data, t.len);
		buf_adds(b, "\"");
		buf_release(&t);
	}
	buf_adds(b, ">");
	struct buf l = BUF_INIT;
	featmatrix_cell_label(fm, f, r, &l);
	esc_html(b, l.data, l.len);
	buf_release(&l);
	buf_adds(b, "</td>");
}

static void list(const struct featmatrix *fm, struct buf *b)
{
	buf_addf(b, "<h3>Disagreements with the claims (%zu)</h3>\n<ul id=\"featdiffs\">\n", fm->ndisagree);
	for (size_t f = 0; f < fm->nfs; f++)
		for (size_t r = 0; r < fm->nrts; r++) {
			const struct fm_cell *c = &fm->fs[f].cells[r];
			if (!fdiff_info(c->diff)->disagrees)
				continue;
			struct buf l = BUF_INIT;
			featmatrix_diff_line(fm, f, r, &l);
			buf_addf(b, "<li class=\"%s\">", fdiff_info(c->diff)->name);
			esc_html(b, l.data, l.len);
			buf_adds(b, "</li>\n");
			buf_release(&l);
		}
	buf_adds(b, "</ul>\n");
}

void features_html(const struct featmatrix *fm, struct buf *b)
{
	buf_addf(b, "<section id=\"features\">\n<h2>Measured feature matrix</h2>\n<p class=\"legend\">%zu features "
		    "probed. A version: works by default (the installed one); flag: works with the adapter's flag; "
		    "refused, wrong result, crash, timeout: does not work; <span class=\"dis\">≠ CLAIM</span>: "
		    "disagrees with the webassembly.org/features claim (hover for why).</p>\n"
		    "<label><input type=\"checkbox\" id=\"f-featdis\"> disagreements only</label>\n"
		    "<table id=\"featmatrix\">", fm->nfs);
	head(fm, b);
	buf_adds(b, "<tbody>\n");
	for (size_t f = 0; f < fm->nfs; f++) {
		buf_adds(b, "<tr><th>");
		esc_html_str(b, fm->fs[f].key);
		if (fm->fs[f].title) {
			buf_adds(b, "<small>");
			esc_html_str(b, fm->fs[f].title);
			buf_adds(b, "</small>");
		}
		buf_adds(b, "</th>");
		for (size_t r = 0; r < fm->nrts; r++)
			cell(fm, f, r, b);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
	if (fm->has_claims)
		list(fm, b);
	else
		buf_adds(b, "<p>No claims file: the measurement only.</p>\n");
	buf_adds(b, "</section>\n");
}
