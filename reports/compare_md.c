/* compare_md.c - `wasmatrix compare --format md`: the comparison (compare.h) as a
 * Markdown page, one table per section. */
#include "compare.h"
#include "escape.h"

#include <stdint.h>

int compare_md_render(const struct comparison *cmp, FILE *f, char **err)
{
	const struct compare_counts *c = &cmp->counts;
	struct buf b = BUF_INIT;
	buf_adds(&b, "## wasmatrix compare\n\n");
	esc_md_cell(&b, cmp->old_path, SIZE_MAX);
	buf_adds(&b, " (run `");
	esc_md_cell(&b, cmp->old_run, SIZE_MAX);
	buf_adds(&b, "`) → ");
	esc_md_cell(&b, cmp->new_path, SIZE_MAX);
	buf_adds(&b, " (run `");
	esc_md_cell(&b, cmp->new_run, SIZE_MAX);
	buf_adds(&b, "`)\n");
	buf_addf(&b, "\n**%zu regressions**, %zu fixes, %zu other changes, %zu new tests, %zu removed tests, "
		     "%zu runtime changes.\n",
		 c->regressions, c->fixes, c->changed, c->new_tests, c->removed_tests, c->versions);
	if (cmp->features)
		buf_addf(&b, "%zu features appeared, disappeared or changed on a runtime.\n", c->features);
	for (int s = 0; s < CMP__SECTIONS; s++) {
		const struct compare_section *sec = &cmp->sec[s];
		if (s == CMP_FEATURES && !cmp->features)
			continue;
		buf_addf(&b, "\n### %s (%zu)\n\n", sec->title, sec->nrows);
		if (!sec->nrows)
			continue;
		buf_adds(&b, "|");
		for (size_t i = 0; i < sec->ncols; i++)
			buf_addf(&b, " %s |", sec->cols[i]);
		buf_adds(&b, "\n|");
		for (size_t i = 0; i < sec->ncols; i++)
			buf_adds(&b, "---|");
		buf_addc(&b, '\n');
		for (size_t r = 0; r < sec->nrows; r++) {
			buf_adds(&b, "|");
			for (size_t i = 0; i < sec->ncols; i++) {
				buf_addc(&b, ' ');
				esc_md_cell(&b, sec->rows[r].v[i], SIZE_MAX);
				buf_adds(&b, " |");
			}
			buf_adds(&b, "\n");
		}
	}
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	if (ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
