/* report.h - the report renderers (one file per format in reports/, docs/reports.md): each turns one
 * validated results file into one format. A reporter is a const table entry, like
 * curl's protocol handlers; adding a format is adding one file and one line in
 * reports/report.c. Renderers only read the struct results; they own nothing.
 * Strings returned by the helpers below are malloc'd and the caller frees them. */
#ifndef WM_REPORT_H
#define WM_REPORT_H

#include "escape.h"
#include "outcome.h"
#include "results_read.h"
#include "util.h"

#include <stdio.h>

struct report_opts {
	bool github;		/* GITHUB_ACTIONS=true: step summary and annotations (md) */
	const char *step_summary;	/* $GITHUB_STEP_SUMMARY, or NULL */
	FILE *annotations;	/* where ::error lines go (stdout; stderr when the report is on stdout) */
	size_t max_output;	/* html: bytes of stdout/stderr/diff kept per result */
	const char *claims;	/* html, md: the claims table (claims.h) for the feature matrix section of
				 * a run with feature probes (featmatrix.h), or NULL: measured only */
};

struct reporter {
	const char *name;	/* the --format name */
	const char *file;	/* file name when written into an --out directory */
	const char *what;	/* one line for --help */
	/* MUST: writes the whole report to f. Returns 0, or -1 with a message in *err. */
	int (*render)(const struct results *rf, const struct report_opts *o, FILE *f, char **err);
	/* With o->github, report_write also calls report_github (step summary, annotations). */
	bool github;
};

/* The reporter named 'name', or NULL. */
const struct reporter *report_find(const char *name);
/* Every reporter, NULL-terminated. */
const struct reporter *const *report_all(void);
/* Writes one report to 'path' through wfile_open (wfile.h: "-" is stdout; a file is
 * replaced atomically through an O_EXCL temp name; a symlink is refused), then, for a
 * reporter with .github and o->github, the GitHub output (report_github): annotations on
 * o->annotations, or on stderr when the report itself went to stdout, so they never land
 * inside it. Returns 0 or -1 (message on stderr). */
int report_write(const struct reporter *rp, const struct results *rf, const struct report_opts *o,
		 const char *path);

/* Writes j (whose reference it takes) to f indented by 2, in insertion order, with a
 * final newline: the JSON format of check and inspect. Returns 0, or -1 (*err set when
 * the document could not be encoded). */
int report_json_out(json_t *j, FILE *f, char **err);
/* JSON for a <script> element: "<" written as \u003c so no "</script>" or "<!--". */
void report_json_script(struct buf *b, const json_t *j);
/* Per runtime: pass = outcome pass, total = every result but skip, counts per outcome. */
struct report_count {
	size_t pass, total, unexpected, counts[OUT__COUNT];
};
void report_count_runtime(const struct results *rf, size_t r, struct report_count *c);
/* The same for the tests of one WASI version (results_test_wasi). */
void report_count_runtime_wasi(const struct results *rf, size_t r, const char *wasi, struct report_count *c);
/* The WASI versions of rf's tests, sorted (wasm32-wasip1 first), at most max in out
 * (borrowed); returns how many. The reader admits REPORT_MAX_WASI at most (wasm32-wasip
 * and one or two digits), so an array of that many holds them all. */
#define REPORT_MAX_WASI 128	/* 10 one-digit and 100 two-digit names */
size_t report_wasi_versions(const struct results *rf, const char **out, size_t max);
/* True when the versions are worth a dimension of their own: any but wasm32-wasip1. */
bool report_wasi_shown(const struct results *rf);
/* "p1 (core module)", "p2 (component)", "p3 (component)", else wasi itself. */
const char *report_wasi_label(const char *wasi);
/* The whole file: runtimes that ran, and unexpected results. */
void report_count_run(const struct results *rf, size_t *available, size_t *unexpected);

struct featmatrix;
/* The feature matrix of rf for a report's section (html, md): 0 when rf holds no feature
 * probe (nothing built), 1 when built into fm (to release), -1 when o->claims is not a
 * valid claims table (its errors printed on stderr, *err set). */
int report_featmatrix(const struct results *rf, const struct report_opts *o, struct featmatrix *fm, char **err);

/* Assets embedded from reports/matrix.css and reports/matrix.js by the Makefile. */
extern const char report_asset_matrix_css[];
extern const char report_asset_matrix_js[];

/* The formats */
int html_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err);
int junit_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err);
int md_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err);
int tap_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err);
int ctrf_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err);
/* The Markdown summary itself (md_render writes it; the step summary appends it). */
void md_summary(const struct results *rf, struct buf *b);
/* The spec's position on an arch-dependent result (an agreement.architectures.differ
 * entry): tests[].spec of its test, or NULL; and that position in words. */
const char *report_test_spec(const struct results *rf, const json_t *differ);
const char *report_spec_words(const char *spec);
/* GitHub Actions output of a reporter with .github set: appends the Markdown summary to
 * o->step_summary and writes the ::error/::notice annotations to 'annotations'. Returns
 * 0, or -1 with a message in *err. */
int report_github(const struct results *rf, const struct report_opts *o, FILE *annotations, char **err);

#endif
