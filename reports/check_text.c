/* check_text.c - `wasmatrix check --format text`: the check (check.h) for people: the
 * module, the runtimes, the verdict, then each group with its behaviour and, for every
 * runtime outside the majority, what differs, the likely causes and the diff. Text from
 * the module, the runtimes and the guest is made visible (escape.h). */
#include "check.h"
#include "escape.h"

#include <string.h>

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[1;31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

struct style {
	const char *b, *r, *d;	/* bold, reset, dim: "" without colour */
	bool color;
};

/* At most max_lines lines of s[0..n), each indented and cut at 300 bytes. */
static void print_block(FILE *f, const char *s, size_t n, const char *indent, size_t max_lines)
{
	size_t lines = 0;
	const char *p = s, *e = s + n;
	while (p < e && lines < max_lines) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(e - p);
		fputs(indent, f);
		esc_term_file(f, p, l, 300);
		fputc('\n', f);
		lines++;
		p += l + (nl ? 1 : 0);
	}
	if (p < e)
		fprintf(f, "%s... (%zu more bytes)\n", indent, (size_t)(e - p));
}

/* module, runtimes, the unavailable and the skipped ones */
static void print_head(FILE *f, const struct check_report *cr, const struct style *s)
{
	const struct run *run = &cr->run;
	struct buf sum = BUF_INIT;
	check_module_summary(&sum, &cr->module.m);
	fprintf(f, "%smodule%s   ", s->b, s->r);
	esc_term_str(f, cr->module.path);
	fprintf(f, ": %s\n", sum.data);
	buf_release(&sum);
	if (cr->module.err)
		fprintf(f, "%s          warning: the static view is partial: %s%s\n", s->color ? YELLOW : "",
			cr->module.err, s->r);
	fprintf(f, "%sruntimes%s ", s->b, s->r);
	for (size_t i = 0; i < run->nrts; i++) {
		fputs(i ? ", " : "", f);
		esc_term_str(f, run->rts[i].name);
		fputc(' ', f);
		esc_term_str(f, run->rts[i].version ? run->rts[i].version : "?");
	}
	fputc('\n', f);
	if (cr->unavailable.n) {
		fprintf(f, "%s          not available:", s->d);
		for (size_t i = 0; i < cr->unavailable.n; i++) {
			fprintf(f, "%s ", i ? "," : "");
			esc_term_str(f, cr->unavailable.v[i]);
		}
		fprintf(f, "%s\n", s->r);
	}
	for (size_t i = 0; i < run->nrts; i++)
		if (cr->rt[i].st == CHECK_SKIPPED) {
			/* unsupported: the runtime does not run this kind of module (its own message) */
			fprintf(f, "%s          %s ", s->d,
				run->results[i].outcome == OUT_UNSUPPORTED ? "cannot run it:" : "skipped");
			esc_term_str(f, run->rts[i].name);
			fputs(": ", f);
			esc_term_str(f, run->results[i].reason);
			fprintf(f, "%s\n", s->r);
		}
	fputc('\n', f);
}

/* A runtime outside the majority: what differs, why, and the diff. */
static void print_divergence(FILE *f, const struct check_report *cr, size_t i, const struct style *s)
{
	const struct check_runtime *ri = &cr->rt[i];
	fprintf(f, "  %s", s->b);
	esc_term_str(f, cr->run.rts[i].name);
	fprintf(f, "%s differs:", s->r);
	for (size_t j = 0; j < ri->differs.n; j++) {
		fprintf(f, "%s ", j ? ";" : "");
		esc_term_str(f, ri->differs.v[j]);
	}
	fputc('\n', f);
	for (size_t j = 0; j < ri->ncauses; j++) {
		fprintf(f, "    %slikely cause%s [%s]: ", s->color ? YELLOW : "", s->r, ri->causes[j].kind);
		esc_term_str(f, ri->causes[j].detail);
		fputc('\n', f);
	}
	if (ri->diff.len)
		print_block(f, ri->diff.data, ri->diff.len, "      ", 40);
}

static void print_group(FILE *f, const struct check_report *cr, size_t g, const struct style *s)
{
	const struct run *run = &cr->run;
	const struct check_group *gr = &cr->groups[g];
	const struct result *rep = &run->results[gr->rt[0]];
	enum check_state st = cr->rt[gr->rt[0]].st;
	fprintf(f, "\n%s[%zu]%s %s", s->b, g + 1, s->r, g == 0 && cr->ngroups > 1 ? "majority: " : "");
	for (size_t k = 0; k < gr->n; k++) {
		fprintf(f, "%s%s", k ? ", " : "", s->color ? (g ? YELLOW : GREEN) : "");
		esc_term_str(f, run->rts[gr->rt[k]].name);
		fputs(s->r, f);
	}
	struct buf d = BUF_INIT;
	check_describe(&d, rep, st);
	fputs("\n    ", f);
	esc_term_str(f, d.data);
	fputc('\n', f);
	buf_release(&d);
	if (rep->outn && (st == CHECK_EXITED || st == CHECK_TRAP)) {
		fprintf(f, "    %sstdout:%s\n", s->d, s->r);
		print_block(f, rep->out, rep->outn, "      | ", 8);
	}
	for (size_t k = 0; g && k < gr->n; k++)
		print_divergence(f, cr, gr->rt[k], s);
}

int check_text_render(const struct check_report *cr, const struct check_report_opts *o, FILE *f, char **err)
{
	(void)err;
	struct style s = { o->color ? BOLD : "", o->color ? RESET : "", o->color ? DIM : "", o->color };
	print_head(f, cr, &s);
	size_t ran = check_ran(cr);
	if (cr->ngroups == 1)
		fprintf(f, "%sPORTABLE%s: the %zu runtimes behave the same\n", o->color ? "\033[1;32m" : "", s.r, ran);
	else
		fprintf(f, "%sNOT PORTABLE%s: %zu behaviours on %zu runtimes\n", o->color ? RED : "", s.r,
			cr->ngroups, ran);
	for (size_t g = 0; g < cr->ngroups; g++)
		print_group(f, cr, g, &s);
	return ferror(f) ? -1 : 0;
}
