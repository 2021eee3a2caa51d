/* run_summary.c - the summary at the end of `wasmatrix run` (term.h): the unexpected
 * results first, each with its known divergence, diff, command and kept directory, then
 * a runtime × outcome table and one closing line. Text from input, runtimes and guests
 * is made visible (escape.h). */
#include "escape.h"
#include "term.h"

#include <stdlib.h>
#include <string.h>

#define RESET "\033[0m"

const struct run_reporter term_summary_reporter = { "text", "summary.txt",
	"unexpected results, then a runtime x outcome table", run_summary_render };

/* At most max_lines lines of s, indented, tabs kept. */
static void indent(FILE *f, const char *s, size_t max_lines)
{
	size_t lines = 0;
	while (s && *s && lines < max_lines) {
		const char *e = strchr(s, '\n');
		size_t l = e ? (size_t)(e - s) : strlen(s);
		struct buf v = BUF_INIT;
		text_visible(&v, s, l, true);
		fprintf(f, "      %s\n", v.data ? v.data : "");
		buf_release(&v);
		lines++;
		s += l + (e ? 1 : 0);
	}
	if (s && *s)
		fprintf(f, "      ... (more in the results file)\n");
}

static void print_unexpected(FILE *f, const struct run *run, const struct result *r, bool color)
{
	const struct test *tt = run->tests[r->test_idx];
	const struct adapter *a = &run->rts[r->rt_idx];
	fprintf(f, "  ");
	term_outcome_word(f, r->outcome, 12, color);
	esc_term_str(f, tt->id);
	fputs(" on ", f);
	esc_term_str(f, a->name);
	fputs(": ", f);
	esc_term_str(f, r->reason);
	fputc('\n', f);
	const struct known_div *k = adapter_known(a, tt->id);
	if (k) {
		fputs("      known divergence: ", f);
		esc_term_str(f, k->reason);
		if (k->link) {
			fputc(' ', f);
			esc_term_str(f, k->link);
		}
		fputc('\n', f);
	}
	if (r->diff)
		indent(f, r->diff, 24);
	if (r->command) {
		fputs("      $ ", f);
		esc_term_str(f, r->command);
		fputc('\n', f);
	}
	if (r->kept) {
		fputs("      kept: ", f);
		esc_term_str(f, r->kept);
		fputc('\n', f);
	}
}

/* One row per runtime (the first 64), one column per outcome that occurred. */
static void print_table(FILE *f, const struct run *run, size_t (*counts)[OUT__COUNT], const size_t *total, bool color)
{
	size_t nr = run->nrts < 64 ? run->nrts : 64;
	/* 12 columns, wider for longer names ("wasmtime/aarch64", docs/architectures.md) */
	int w = 12;
	for (size_t i = 0; i < nr; i++)
		if (strlen(run->rts[i].name) + 1 > (size_t)w && strlen(run->rts[i].name) < 64)
			w = (int)strlen(run->rts[i].name) + 1;
	fprintf(f, "\n%-*s", w, "runtime");
	for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
		if (total[o])
			fprintf(f, " %11s", outcome_name(o));
	fputc('\n', f);
	for (size_t i = 0; i < nr; i++) {
		const struct adapter *a = &run->rts[i];
		char *label = text_visible_str(a->name, false);
		fprintf(f, "%-*s", w, label);
		free(label);
		for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
			if (total[o]) {
				if (color && counts[i][o])
					fprintf(f, " %s%11zu" RESET, outcome_info(o)->color, counts[i][o]);
				else
					fprintf(f, " %11zu", counts[i][o]);
			}
		fprintf(f, "   %s", a->missing ? "(not available) " : "");
		esc_term_str(f, a->version);
		fputc('\n', f);
	}
}

int run_summary_render(const struct run *run, const struct run_report_opts *o, FILE *f, char **err)
{
	(void)err;
	size_t counts[64][OUT__COUNT];
	memset(counts, 0, sizeof counts);
	size_t total[OUT__COUNT] = { 0 }, unexpected = 0;
	for (size_t i = 0; i < run->nresults; i++) {
		const struct result *r = &run->results[i];
		if (r->rt_idx < 64)
			counts[r->rt_idx][r->outcome]++;
		total[r->outcome]++;
		unexpected += outcome_unexpected(r->outcome);
	}
	if (unexpected) {
		fprintf(f, "\n%sUnexpected results (%zu):%s\n", o->color ? "\033[1m" : "", unexpected,
			o->color ? RESET : "");
		for (size_t i = 0; i < run->nresults; i++)
			if (outcome_unexpected(run->results[i].outcome))
				print_unexpected(f, run, &run->results[i], o->color);
	}
	print_table(f, run, counts, total, o->color);
	fprintf(f, "\n%zu results for %zu tests on %zu runtimes in %.1fs: %zu passed, %zu unexpected\n",
		run->nresults, run->ntests, run->nrts, run->duration, total[OUT_PASS], unexpected);
	return ferror(f) ? -1 : 0;
}
