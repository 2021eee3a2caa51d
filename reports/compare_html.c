/* compare_html.c - `wasmatrix compare --format html`: the comparison (compare.h) as a
 * self-contained page styled with the matrix report's CSS. */
#include "compare.h"
#include "report.h"

int compare_html_render(const struct comparison *cmp, FILE *f, char **err)
{
	const struct compare_counts *c = &cmp->counts;
	struct buf b = BUF_INIT;
	buf_adds(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		     "<title>wasmatrix compare</title><style>\n");
	buf_adds(&b, report_asset_matrix_css);
	buf_adds(&b, "\nmain table{margin-bottom:16px} h2{font-size:16px;margin:18px 0 6px}</style></head>"
		     "<body><header><h1>wasmatrix compare</h1><p class=\"meta\">");
	esc_html_str(&b, cmp->old_path);
	buf_adds(&b, " (run <code>");
	esc_html_str(&b, cmp->old_run);
	buf_adds(&b, "</code>) → ");
	esc_html_str(&b, cmp->new_path);
	buf_adds(&b, " (run <code>");
	esc_html_str(&b, cmp->new_run);
	buf_adds(&b, "</code>)</p></header><main>\n");
	buf_addf(&b, "<p><strong>%zu regressions</strong>, %zu fixes, %zu other changes, %zu new tests, "
		     "%zu removed tests, %zu runtime changes.</p>\n",
		 c->regressions, c->fixes, c->changed, c->new_tests, c->removed_tests, c->versions);
	if (cmp->features)
		buf_addf(&b, "<p>%zu features appeared, disappeared or changed on a runtime.</p>\n", c->features);
	for (int s = 0; s < CMP__SECTIONS; s++) {
		const struct compare_section *sec = &cmp->sec[s];
		if (s == CMP_FEATURES && !cmp->features)
			continue;
		buf_addf(&b, "<h2>%s (%zu)</h2>\n", sec->title, sec->nrows);
		if (!sec->nrows)
			continue;
		buf_adds(&b, "<table><thead><tr>");
		for (size_t i = 0; i < sec->ncols; i++)
			buf_addf(&b, "<th>%s</th>", sec->cols[i]);
		buf_adds(&b, "</tr></thead><tbody>\n");
		for (size_t r = 0; r < sec->nrows; r++) {
			const struct compare_row *row = &sec->rows[r];
			buf_adds(&b, "<tr>");
			for (size_t i = 0; i < sec->ncols; i++) {
				if (row->cls && i == 2)
					buf_addf(&b, "<td class=\"%s\">", row->cls);
				else
					buf_adds(&b, "<td>");
				esc_html_str(&b, row->v[i]);
				buf_adds(&b, "</td>");
			}
			buf_adds(&b, "</tr>\n");
		}
		buf_adds(&b, "</tbody></table>\n");
	}
	buf_adds(&b, "</main></body></html>\n");
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	if (ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
