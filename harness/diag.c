/* diag.c - see diag.h */
#define _GNU_SOURCE
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_add(struct diag *d, enum diag_level lv, const char *file, unsigned line,
	      unsigned col, unsigned width, const char *fmt, ...)
{
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 8;
		d->v = xrealloc(d->v, d->alloc * sizeof(*d->v));
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	struct diag_entry *e = &d->v[d->n++];
	e->level = lv;
	e->file = xstrdup(file ? file : "<input>");
	e->line = line;
	e->col = col;
	e->width = width ? width : 1;
	e->msg = msg;
	if (lv == DIAG_ERROR)
		d->errors++;
}

/* The start of every line of 'text', so that each diagnostic finds its line at once
 * (scanning from the top for each one made N errors in a big file N * size). */
struct line_index {
	const char **start;
	size_t n;
};

static void line_index_build(struct line_index *x, const char *text)
{
	size_t alloc = 64;
	x->start = xmalloc(alloc * sizeof *x->start);
	x->n = 0;
	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (x->n == alloc)
			x->start = xrealloc(x->start, (alloc *= 2) * sizeof *x->start);
		x->start[x->n++] = p;
	}
}

/* Returns the 'line'th line (1-based) as [start, len). */
static bool find_line(const struct line_index *x, unsigned line, const char **start, size_t *len)
{
	if (line < 1 || line > x->n)
		return false;
	const char *p = x->start[line - 1];
	size_t n = strcspn(p, "\n");
	if (n && p[n - 1] == '\r')
		n--;
	*start = p;
	*len = n;
	return true;
}

void diag_print(const struct diag *d, FILE *out, bool color)
{
	const char *bold = color ? "\033[1m" : "", *red = color ? "\033[1;31m" : "",
		   *mag = color ? "\033[1;35m" : "", *green = color ? "\033[1;32m" : "",
		   *reset = color ? "\033[0m" : "";
	char *cached_name = NULL, *cached_text = NULL;
	struct line_index lines = { NULL, 0 };
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->v[i];
		const char *what = e->level == DIAG_ERROR ? "error" : "warning";
		const char *wc = e->level == DIAG_ERROR ? red : mag;
		/* file names, messages and source lines come from input: made visible */
		char *vfile = text_visible_str(e->file, false), *vmsg = text_visible_str(e->msg, false);
		if (e->line)
			fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s\n", bold, vfile, e->line, e->col,
				reset, wc, what, reset, vmsg);
		else
			fprintf(out, "%s%s:%s %s%s:%s %s\n", bold, vfile, reset, wc, what, reset,
				vmsg);
		free(vfile);
		free(vmsg);
		if (!e->line)
			continue;
		if (!cached_name || strcmp(cached_name, e->file)) {
			free(cached_name);
			free(cached_text);
			cached_name = xstrdup(e->file);
			cached_text = fs_read_file(e->file, NULL);
			free(lines.start);
			lines.start = NULL;
			lines.n = 0;
			if (cached_text)
				line_index_build(&lines, cached_text);
		}
		const char *ls;
		size_t ll;
		if (!cached_text || !find_line(&lines, e->line, &ls, &ll))
			continue;
		if (ll > 200)
			ll = 200;
		struct buf vl = BUF_INIT, vp = BUF_INIT;
		text_visible(&vl, ls, ll, true);
		text_visible(&vp, ls, e->col - 1 < ll ? e->col - 1 : ll, true);
		fprintf(out, " %5u | %s\n       | ", e->line, vl.data ? vl.data : "");
		for (size_t c = 0; c < vp.len; c++)
			fputc(vp.data[c] == '\t' ? '\t' : ' ', out);
		buf_release(&vl);
		buf_release(&vp);
		fputs(green, out);
		fputc('^', out);
		for (unsigned w = 1; w < e->width && e->col + w <= ll + 1; w++)
			fputc('~', out);
		fprintf(out, "%s\n", reset);
	}
	free(lines.start);
	free(cached_name);
	free(cached_text);
}

void diag_release(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->alloc = d->errors = 0;
}
