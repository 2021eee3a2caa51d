/* term.h - what a person sees while a run goes: one live progress line on a TTY, one
 * line per finished result otherwise (term.c); then the summary, unexpected results first
 * and a runtime × outcome table, rendered from the finished run by a reporter in reports/
 * (run_summary.c). Colour per --color, NO_COLOR and FORCE_COLOR. */
#ifndef WM_TERM_H
#define WM_TERM_H

#include "run.h"

#include <stdio.h>

struct term {
	FILE *f;
	bool tty, color;
	size_t unexpected;
	double t0;
	size_t last_len;
};

/* when: "auto", "always" or "never"; returns false for anything else. */
bool term_color_choice(const char *when, bool isatty_, bool *color);
void term_init(struct term *t, FILE *f, bool color);
void term_progress(void *ctx, const struct run *run, size_t idx);	/* run_progress_fn */
/* Clears the progress line and writes the summary (term_summary_reporter) to t->f. */
void term_summary(struct term *t, const struct run *run);
/* The outcome's name in capitals, padded to width, in its colour (outcome.h) with color. */
void term_outcome_word(FILE *f, enum outcome o, int width, bool color);

/* ---- the summary renderer (reports/run_summary.c) ---- */

struct run_report_opts {
	bool color;		/* ANSI colours */
};

/* Same shape as struct reporter (report.h), over a finished struct run. */
struct run_reporter {
	const char *name;
	const char *file;
	const char *what;
	/* MUST: writes the whole summary to f. Returns 0, or -1 with a message in *err. */
	int (*render)(const struct run *run, const struct run_report_opts *o, FILE *f, char **err);
};
/* "text": the summary printed at the end of `run`. */
extern const struct run_reporter term_summary_reporter;
int run_summary_render(const struct run *run, const struct run_report_opts *o, FILE *f, char **err);

#endif
