/* term.c - see term.h. */
#define _GNU_SOURCE
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RESET "\033[0m"

bool term_color_choice(const char *when, bool isatty_, bool *color)
{
	const char *no = getenv("NO_COLOR"), *force = getenv("FORCE_COLOR");
	if (!when || !strcmp(when, "auto")) {
		if (no && *no)
			*color = false;
		else if (force && *force && strcmp(force, "0"))
			*color = true;
		else
			*color = isatty_;
		return true;
	}
	if (!strcmp(when, "always"))
		return *color = true;
	if (!strcmp(when, "never")) {
		*color = false;
		return true;
	}
	return false;
}

void term_init(struct term *t, FILE *f, bool color)
{
	memset(t, 0, sizeof *t);
	t->f = f;
	t->tty = isatty(fileno(f));
	t->color = color;
	t->t0 = now_seconds();
}

/* Text from input or guests (ids, names, reasons, diffs, commands) never reaches the
 * terminal raw: see text_visible. */
static void put(FILE *f, const char *s, bool multiline)
{
	char *v = text_visible_str(s, multiline);
	fputs(v, f);
	free(v);
}

static void outcome_word(struct term *t, enum outcome o, int width)
{
	char up[16];
	const char *n = outcome_name(o);
	size_t i;
	for (i = 0; n[i] && i < sizeof up - 1; i++)
		up[i] = (char)(n[i] >= 'a' && n[i] <= 'z' ? n[i] - 32 : n[i]);
	up[i] = 0;
	if (t->color)
		fprintf(t->f, "%s%-*s" RESET, outcome_info(o)->color, width, up);
	else
		fprintf(t->f, "%-*s", width, up);
}

void term_progress(void *ctx, const struct run *run, size_t idx)
{
	struct term *t = ctx;
	const struct result *r = &run->results[idx];
	const struct test *tt = run->tests[r->test_idx];
	const char *rt = run->rts[r->rt_idx].name;
	if (outcome_unexpected(r->outcome))
		t->unexpected++;
	if (!t->tty) {
		outcome_word(t, r->outcome, 12);
		char *vrt = text_visible_str(rt, false);
		fprintf(t->f, "%-8s ", vrt);
		free(vrt);
		put(t->f, tt->id, false);
		if (r->ran)
			fprintf(t->f, " (%.2fs)", r->duration);
		if (r->reason && r->outcome != OUT_PASS) {
			fputs(": ", t->f);
			put(t->f, r->reason, false);
		}
		fputc('\n', t->f);
		fflush(t->f);
		return;
	}
	double el = now_seconds() - t->t0;
	double eta = run->done ? el / (double)run->done * (double)(run->nresults - run->done) : 0;
	char line[512];
	char *vid = text_visible_str(tt->id, false), *vrt = text_visible_str(rt, false);
	int n = snprintf(line, sizeof line, "[%zu/%zu] %zu unexpected  %.0fs elapsed  ETA %.0fs  %s on %s",
			 run->done, run->nresults, t->unexpected, el, eta, vid, vrt);
	free(vid);
	free(vrt);
	if (n > 100) {	/* cut on a UTF-8 boundary */
		n = 100;
		while (n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80)
			n--;
		line[n] = 0;
	}
	fprintf(t->f, "\r\033[K%s%s%s", t->unexpected && t->color ? "\033[31m" : "", line,
		t->unexpected && t->color ? RESET : "");
	fflush(t->f);
}

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

void term_summary(struct term *t, const struct run *run)
{
	FILE *f = t->f;
	if (t->tty)
		fprintf(f, "\r\033[K");
	size_t counts[64][OUT__COUNT];
	size_t nr = run->nrts < 64 ? run->nrts : 64;
	memset(counts, 0, sizeof counts);
	size_t total[OUT__COUNT] = { 0 }, unexpected = 0;
	for (size_t i = 0; i < run->nresults; i++) {
		const struct result *r = &run->results[i];
		if (r->rt_idx < 64)
			counts[r->rt_idx][r->outcome]++;
		total[r->outcome]++;
		if (outcome_unexpected(r->outcome))
			unexpected++;
	}
	if (unexpected) {
		fprintf(f, "\n%sUnexpected results (%zu):%s\n", t->color ? "\033[1m" : "", unexpected,
			t->color ? RESET : "");
		for (size_t i = 0; i < run->nresults; i++) {
			const struct result *r = &run->results[i];
			if (!outcome_unexpected(r->outcome))
				continue;
			const struct test *tt = run->tests[r->test_idx];
			const struct adapter *a = &run->rts[r->rt_idx];
			fprintf(f, "  ");
			outcome_word(t, r->outcome, 12);
			put(f, tt->id, false);
			fputs(" on ", f);
			put(f, a->name, false);
			fputs(": ", f);
			put(f, r->reason, false);
			fputc('\n', f);
			const struct known_div *k = adapter_known(a, tt->id);
			if (k) {
				fputs("      known divergence: ", f);
				put(f, k->reason, false);
				if (k->link) {
					fputc(' ', f);
					put(f, k->link, false);
				}
				fputc('\n', f);
			}
			if (r->diff)
				indent(f, r->diff, 24);
			if (r->command) {
				fputs("      $ ", f);
				put(f, r->command, false);
				fputc('\n', f);
			}
			if (r->kept) {
				fputs("      kept: ", f);
				put(f, r->kept, false);
				fputc('\n', f);
			}
		}
	}
	fprintf(f, "\n%-12s", "runtime");
	for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
		if (total[o])
			fprintf(f, " %11s", outcome_name(o));
	fputc('\n', f);
	for (size_t i = 0; i < nr; i++) {
		const struct adapter *a = &run->rts[i];
		char *label = text_visible_str(a->name, false);
		fprintf(f, "%-12s", label);
		free(label);
		for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
			if (total[o]) {
				if (t->color && counts[i][o])
					fprintf(f, " %s%11zu" RESET, outcome_info(o)->color, counts[i][o]);
				else
					fprintf(f, " %11zu", counts[i][o]);
			}
		fprintf(f, "   %s", a->missing ? "(not available) " : "");
		put(f, a->version, false);
		fputc('\n', f);
	}
	fprintf(f, "\n%zu results for %zu tests on %zu runtimes in %.1fs: %zu passed, %zu unexpected\n",
		run->nresults, run->ntests, run->nrts, run->duration, total[OUT_PASS], unexpected);
}
