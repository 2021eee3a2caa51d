/* term.h - what a person sees while a run goes: one live progress line on a TTY, one
 * line per finished result otherwise; then unexpected results first and a runtime ×
 * outcome table. Colour per --color, NO_COLOR and FORCE_COLOR. */
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
void term_summary(struct term *t, const struct run *run);

#endif
