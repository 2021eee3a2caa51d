/* compare.h - what changed between two results files: regressions, fixes, other
 * outcome changes, new and removed tests, runtime versions. compare_build computes it
 * once as titled tables (struct comparison, owned by the caller until compare_release);
 * the renderers in reports/ (compare_md.c, compare_html.c) only format it. */
#ifndef WM_COMPARE_H
#define WM_COMPARE_H

#include "outcome.h"
#include "results_read.h"

#include <stdbool.h>
#include <stdio.h>

struct compare_counts {
	size_t regressions, fixes, changed, new_tests, removed_tests, versions;
	size_t features;	/* (feature, runtime) cells of the feature matrix that changed */
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
/* CMP_FEATURES: a feature that appeared (works now) or disappeared on a runtime, or whose
 * cell changed otherwise (featmatrix.h); only when either run has feature probes. */
enum { CMP_REGRESSIONS, CMP_FIXES, CMP_CHANGED, CMP_NEW, CMP_REMOVED, CMP_RUNTIMES, CMP_FEATURES, CMP__SECTIONS };
struct comparison {
	const char *old_path, *old_run, *new_path, *new_run;	/* borrowed from the results files */
	struct compare_counts counts;
	struct compare_section sec[CMP__SECTIONS];	/* in output order */
	bool features;			/* either run has feature probes: CMP_FEATURES is shown */
};

/* Computes the comparison of 'old' and 'new_' (both borrowed; cmp borrows strings from
 * them, so they must outlive it). */
void compare_build(const struct results *old, const struct results *new_, struct comparison *cmp);
void compare_release(struct comparison *cmp);

/* A compare output format, the same shape as struct reporter (report.h): MUST write the
 * whole page to f; returns 0, or -1 with a message in *err. One table in
 * reports/compare_report.c that --format and --help read. */
struct compare_reporter {
	const char *name;	/* the --format name */
	const char *file;	/* a file name for it */
	const char *what;	/* one line for --help */
	int (*render)(const struct comparison *cmp, FILE *f, char **err);
};
int compare_md_render(const struct comparison *cmp, FILE *f, char **err);	/* reports/compare_md.c */
int compare_html_render(const struct comparison *cmp, FILE *f, char **err);	/* reports/compare_html.c */
/* The compare format named 'name', or NULL. */
const struct compare_reporter *compare_reporter_find(const char *name);
/* Every compare format, NULL-terminated; the first is the default. */
const struct compare_reporter *const *compare_reporter_all(void);

/* Builds, renders with 'cr' to f and fills c. Returns 0, or -1 with a message in *err. */
int compare_write(const struct results *old, const struct results *new_, const struct compare_reporter *cr,
		  FILE *f, struct compare_counts *c, char **err);

#endif
