/* features_text.c - `wasmatrix features --format text`: the measured matrix (features.h)
 * for a terminal, features as rows and runtimes as columns, then the disagreements with
 * the claims. Names from the results are made visible (escape.h). */
#include "escape.h"
#include "featmatrix.h"

#include <string.h>

#define NAME_MAX_BYTES 40
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define RED "\033[31m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Terminal columns of UTF-8 text: one per character (the cells hold no wide ones). */
static size_t width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static void pad(struct buf *b, size_t from, size_t to)
{
	for (size_t i = from; i < to + 2; i++)
		buf_addc(b, ' ');
}

static const char *colour(const struct fm_cell *c)
{
	return c->cell == FC_DEFAULT ? GREEN : c->cell == FC_FLAG ? YELLOW : c->cell == FC_NONE || c->cell == FC_SKIP ? "" : RED;
}

/* Every cell's label, made visible, and each column's width (column 0: the features). */
static char **labels(const struct featmatrix *fm, size_t *w)
{
	size_t nc = fm->nrts + 1;
	char **v = xcalloc((fm->nfs + 1) * nc, sizeof *v);
	for (size_t f = 0; f <= fm->nfs; f++)
		for (size_t k = 0; k < nc; k++) {
			struct buf b = BUF_INIT, raw = BUF_INIT;
			if (!f)
				buf_adds(&raw, k ? fm->rts[k - 1].name : "feature");
			else if (!k)
				buf_adds(&raw, fm->fs[f - 1].key);
			else
				featmatrix_cell_label(fm, f - 1, k - 1, &raw);
			esc_term(&b, raw.data, raw.len, NAME_MAX_BYTES);
			buf_release(&raw);
			v[f * nc + k] = b.data ? buf_detach(&b) : xstrdup("");
			size_t n = width(v[f * nc + k], strlen(v[f * nc + k]));
			w[k] = n > w[k] ? n : w[k];
		}
	return v;
}

static void table(const struct featmatrix *fm, bool color, struct buf *b)
{
	size_t nc = fm->nrts + 1, *w = xcalloc(nc, sizeof *w);
	char **v = labels(fm, w);
	for (size_t f = 0; f <= fm->nfs; f++) {
		for (size_t k = 0; k < nc; k++) {
			const char *s = v[f * nc + k];
			const struct fm_cell *c = f && k ? &fm->fs[f - 1].cells[k - 1] : NULL;
			const char *on = !color ? "" : !f ? BOLD : c ? colour(c) : "";
			buf_addf(b, "%s%s%s", on, s, *on ? RESET : "");
			if (k + 1 < nc)
				pad(b, width(s, strlen(s)), w[k]);
			free(v[f * nc + k]);
		}
		buf_addc(b, '\n');
	}
	free(v);
	free(w);
}

static void disagreements(const struct featmatrix *fm, struct buf *b)
{
	buf_addf(b, "\ndisagreements with the claims (%zu):%s\n", fm->ndisagree, fm->ndisagree ? "" : " none");
	for (size_t f = 0; f < fm->nfs; f++)
		for (size_t r = 0; r < fm->nrts; r++) {
			if (!fdiff_info(fm->fs[f].cells[r].diff)->disagrees)
				continue;
			struct buf line = BUF_INIT;
			featmatrix_diff_line(fm, f, r, &line);
			buf_adds(b, "  ");
			esc_term(b, line.data, line.len, 400);
			buf_addc(b, '\n');
			buf_release(&line);
		}
}

int features_text_render(const struct featmatrix *fm, const struct features_opts *o, FILE *f, char **err)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "measured feature matrix of ");
	esc_term(&b, fm->results_path, strlen(fm->results_path), 200);
	buf_adds(&b, fm->has_claims ? ", against the claims in " : " (no claims)");
	if (fm->has_claims)
		esc_term(&b, fm->claims.path, strlen(fm->claims.path), 200);
	buf_adds(&b, "\n\n");
	table(fm, o->color, &b);
	buf_adds(&b, "\nA version: works by default (installed version); flag: works with the adapter's flag;\n"
		     "refused, wrong result, crash, timeout: fails by default and with the flag; ≠ CLAIM: disagrees.\n");
	for (size_t i = 0; i < fm->missing.n; i++) {
		buf_adds(&b, i ? ", " : "not found, so not shown: ");
		esc_term(&b, fm->missing.v[i], strlen(fm->missing.v[i]), NAME_MAX_BYTES);
		buf_adds(&b, i + 1 == fm->missing.n ? "\n" : "");
	}
	if (fm->has_claims)
		disagreements(fm, &b);
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	if (ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
