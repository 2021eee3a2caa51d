/* compare.h - what changed between two results files: regressions, fixes, other
 * outcome changes, new and removed tests, runtime versions. compare_build computes it
 * once as titled tables (struct comparison, owned by the caller until compare_release);
 * the renderers in reports/ (compare_md.c, compare_html.c) only format it. */
#ifndef WM_COMPARE_H
#define WM_COMPARE_H

#include "outcome.h"
#include "results_read.h"

#include <stdio.h>

struct compare_counts {
	size_t regressions, fixes, changed, new_tests, removed_tests, versions;
};

#define COMPARE_MAX_COLS 4
struct compare_row {
	char *v[COMPARE_MAX_COLS];	/* cell texts, unescaped; owned */
	char *cls;			/* outcome class of the third cell ("o-fail"), or NULL; owned */
};
struct compare_section {
	const char *title;		/* "Regressions", ..., "Runtime changes" */
	const char *const *cols;	/* column headings */
	size_t ncols, nrows;
	struct compare_row *rows;	/* owned */
};
enum { CMP_REGRESSIONS, CMP_FIXES, CMP_CHANGED, CMP_NEW, CMP_REMOVED, CMP_RUNTIMES, CMP__SECTIONS };
struct comparison {
	const char *old_path, *old_run, *new_path, *new_run;	/* borrowed from the results files */
	struct compare_counts counts;
	struct compare_section sec[CMP__SECTIONS];	/* in output order */
};

/* Computes the comparison of 'old' and 'new_' (both borrowed; cmp borrows strings from
 * them, so they must outlive it). */
void compare_build(const struct results *old, const struct results *new_, struct comparison *cmp);
void compare_release(struct comparison *cmp);

/* A compare output format: writes the whole page to f; returns 0, or -1 on a write error. */
struct compare_reporter {
	const char *name;
	int (*render)(const struct comparison *cmp, FILE *f);
};
int compare_md_render(const struct comparison *cmp, FILE *f);	/* reports/compare_md.c */
int compare_html_render(const struct comparison *cmp, FILE *f);	/* reports/compare_html.c */
/* The compare format named 'name' ("md" or "html"), or NULL. */
const struct compare_reporter *compare_reporter_find(const char *name);

/* Builds, renders in 'format' to f and fills c. Returns 0, or -1 on a write error or an
 * unknown format. */
int compare_write(const struct results *old, const struct results *new_, const char *format, FILE *f,
		  struct compare_counts *c);

#endif
