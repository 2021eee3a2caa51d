/* features_md.c - the measured feature matrix (features.h) in Markdown: `wasmatrix
 * features --format md`, and the section of summary.md (md.c). */
#include "escape.h"
#include "featmatrix.h"

#include <string.h>

static void head(const struct featmatrix *fm, struct buf *b)
{
	buf_adds(b, "| feature |");
	for (size_t r = 0; r < fm->nrts; r++) {
		buf_adds(b, " ");
		esc_md_cell(b, fm->rts[r].name, 40);
		buf_adds(b, " |");
	}
	buf_adds(b, "\n|---|");
	for (size_t r = 0; r < fm->nrts; r++)
		buf_adds(b, "---|");
	buf_addc(b, '\n');
}

static void row(const struct featmatrix *fm, size_t f, struct buf *b)
{
	const struct fm_feature *ft = &fm->fs[f];
	buf_adds(b, "| `");
	esc_md_cell(b, ft->key, 60);
	buf_adds(b, "`");
	if (ft->title) {
		buf_adds(b, " (");
		esc_md_cell(b, ft->title, 80);
		buf_adds(b, ")");
	}
	buf_adds(b, " |");
	for (size_t r = 0; r < fm->nrts; r++) {
		struct buf l = BUF_INIT;
		bool dis = fdiff_info(ft->cells[r].diff)->disagrees;
		featmatrix_cell_label(fm, f, r, &l);
		buf_adds(b, dis ? " **" : " ");
		esc_md_cell(b, l.data, 80);
		buf_adds(b, dis ? "** |" : " |");
		buf_release(&l);
	}
	buf_addc(b, '\n');
}

void features_md(const struct featmatrix *fm, const char *level, struct buf *b)
{
	buf_addf(b, "%s Measured feature matrix\n\n", level);
	buf_addf(b, "%zu features probed on %zu runtimes. A version: works by default (the installed one); "
		    "`flag`: works with the adapter's flag; refused, wrong result, crash, timeout: does not work; "
		    "**≠ CLAIM**: disagrees with the webassembly.org/features claim.", fm->nfs, fm->nrts);
	if (fm->missing.n)
		buf_addf(b, " Not found, so not shown: %zu runtime%s.", fm->missing.n, fm->missing.n == 1 ? "" : "s");
	buf_adds(b, "\n\n");
	head(fm, b);
	for (size_t f = 0; f < fm->nfs; f++)
		row(fm, f, b);
	if (!fm->has_claims) {
		buf_adds(b, "\nNo claims file: the measurement only.\n");
		return;
	}
	buf_addf(b, "\n%s Disagreements with the claims (%zu)\n\n", level, fm->ndisagree);
	if (!fm->ndisagree)
		buf_adds(b, "Every measured cell agrees with its claim.\n");
	for (size_t f = 0; f < fm->nfs; f++)
		for (size_t r = 0; r < fm->nrts; r++) {
			if (!fdiff_info(fm->fs[f].cells[r].diff)->disagrees)
				continue;
			struct buf l = BUF_INIT;
			featmatrix_diff_line(fm, f, r, &l);
			buf_adds(b, "- ");
			esc_md_cell(b, l.data, 400);
			buf_addc(b, '\n');
			buf_release(&l);
		}
}

int features_md_render(const struct featmatrix *fm, const struct features_opts *o, FILE *f, char **err)
{
	(void)o;
	struct buf b = BUF_INIT;
	features_md(fm, "##", &b);
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	if (ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
