/* term.c - see term.h. */
#define _GNU_SOURCE
#include "term.h"
#include "escape.h"

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

void term_outcome_word(FILE *f, enum outcome o, int width, bool color)
{
	char up[16];
	const char *n = outcome_name(o);
	size_t i;
	for (i = 0; n[i] && i < sizeof up - 1; i++)
		up[i] = (char)(n[i] >= 'a' && n[i] <= 'z' ? n[i] - 32 : n[i]);
	up[i] = 0;
	if (color)
		fprintf(f, "%s%-*s" RESET, outcome_info(o)->color, width, up);
	else
		fprintf(f, "%-*s", width, up);
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
		term_outcome_word(t->f, r->outcome, 12, t->color);
		char *vrt = text_visible_str(rt, false);
		fprintf(t->f, "%-8s ", vrt);
		free(vrt);
		esc_term_str(t->f, tt->id);
		if (r->ran)
			fprintf(t->f, " (%.2fs)", r->duration);
		if (r->reason && r->outcome != OUT_PASS) {
			fputs(": ", t->f);
			esc_term_str(t->f, r->reason);
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

void term_summary(struct term *t, const struct run *run)
{
	if (t->tty)
		fprintf(t->f, "\r\033[K");
	struct run_report_opts o = { t->color };
	char *err = NULL;
	/* a summary that cannot be written (stdout closed) is not a fault of the run: the
	 * results file and the reports say everything, and the exit code stands */
	term_summary_reporter.render(run, &o, t->f, &err);
	free(err);
}
