/* featmatrix.h - the measured feature matrix (docs/features.md; not named features.h,
 * which is glibc's): per (feature, runtime), what the feature probes (tests with
 * "feature" in results.json: suites/features/) measured, and where that disagrees with the claims table (claims.h) for the runtime at its
 * installed version. featmatrix_build computes it once from a results file; the renderers
 * (reports/features_*.c, the feature sections of html.c and md.c) and compare.c only read
 * it. Ownership: a struct featmatrix owns its arrays, messages and claims, and borrows
 * strings from the results file, which must outlive it; featmatrix_release() frees it. */
#ifndef WM_FEATMATRIX_H
#define WM_FEATMATRIX_H

#include "claims.h"
#include "diag.h"
#include "results_read.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>

/* What a runtime does with a feature, from its probes: every default probe passes ->
 * default; else every probe with the adapter's flag passes -> flag; else the worst
 * default outcome (crash > timeout > wrong result > refused > error > skip). */
enum fcell { FC_NONE, FC_DEFAULT, FC_FLAG, FC_REFUSED, FC_WRONG, FC_CRASH, FC_TIMEOUT, FC_ERROR, FC_SKIP,
	     FC__COUNT };

/* The measurement against the claim (the rows of the table in features.c). */
enum fdiff {
	FD_NONE,		/* no claim to compare with (runtime not in the table, or no claim and no support) */
	FD_AGREE,
	FD_UNMEASURED,		/* skip or error: nothing measured */
	FD_FLAG_UNTRIED,	/* claimed "flag", default refused, and the adapter declares no flag */
	FD_CLAIMED_FAILS,	/* claimed (version or true, or flag), but refused, wrong, crash or timeout */
	FD_NEEDS_FLAG,		/* claimed on by default, but works only with the flag */
	FD_FLAG_BUT_DEFAULT,	/* claimed "flag", but on by default */
	FD_FALSE_BUT_WORKS,	/* claimed false, but works */
	FD_UNCLAIMED_WORKS,	/* null or no claim, but works */
	FD_NEWER_WORKS,		/* claimed since a version newer than the installed one, but works */
	FD_NEWER_FAILS,		/* claimed since a newer version, and fails: the version explains it */
	FD__COUNT
};

struct fdiff_info {
	const char *name;	/* JSON and HTML class name: "claimed-fails" */
	bool disagrees;		/* marked in every rendering */
	const char *label;	/* for people: "claimed, but fails" */
};
const struct fdiff_info *fdiff_info(enum fdiff d);
/* "default", "flag", "refused", "wrong result", ... ("none" for FC_NONE) */
const char *fcell_name(enum fcell c);
/* default and flag: the feature works */
bool fcell_works(enum fcell c);

struct fm_cell {
	enum fcell cell;
	char *msg;		/* the worst default result's message (refused: the runtime's own first
				 * stderr line, else the reason), or NULL; owned */
	struct claim claim;	/* borrowed from the claims */
	enum fdiff diff;
	size_t nflag, nflag_skip;	/* flag probes, and how many of them were skips */
};

struct fm_runtime {
	size_t r;		/* index in the results file */
	const char *name, *version;	/* borrowed */
	const char *platform;	/* the claims table's name for it, or NULL */
};

struct fm_feature {
	const char *key;	/* the claims key, from tests[].feature (borrowed) */
	const char *title;	/* the claims description, or NULL when not in the table */
	size_t *tests, ntests;	/* test indexes in the results file; owned */
	struct fm_cell *cells;	/* one per runtime column; owned */
};

struct featmatrix {
	const char *results_path, *run_id;	/* borrowed */
	bool has_claims;
	struct claims claims;	/* when has_claims */
	struct fm_runtime *rts;	/* the runtimes that ran, in results order; owned */
	size_t nrts;
	struct strvec missing;	/* runtimes not found */
	struct fm_feature *fs;	/* in order of first probe in the results; owned */
	size_t nfs;
	size_t counts[FD__COUNT];
	size_t ndisagree;
};

/* Does the results file hold feature probes? */
bool featmatrix_any(const struct results *rf);
/* Builds the matrix of rf, with the claims of claims_path (NULL: measured only). Returns
 * 0, or -1 with the claims' problems in d (fm is then to be released all the same). */
int featmatrix_build(struct featmatrix *fm, const struct results *rf, const char *claims_path, struct diag *d);
void featmatrix_release(struct featmatrix *fm);
/* What a cell shows: the installed version (or "yes") for default, "flag", "refused",
 * "wrong result", ..., "–" for nothing. Static or borrowed. */
const char *featmatrix_cell_text(const struct featmatrix *fm, size_t f, size_t r);
/* The cell text, then for a disagreement " ≠ " and the claim ("flag ≠ 22.0"). */
void featmatrix_cell_label(const struct featmatrix *fm, size_t f, size_t r, struct buf *b);
/* One line about a disagreement: "claimed, but fails: simd on wasmi 0.40.0: claim 0.43,
 * measured refused (message)". */
void featmatrix_diff_line(const struct featmatrix *fm, size_t f, size_t r, struct buf *b);

/* Compares two versions numerically, component by component ("v1.10" > "1.9.2"; a
 * leading "v" or words before the first digit ignored; missing components are 0; a
 * pre-release suffix "-rc1" sorts before the release). Returns false when either holds
 * no digit (the versions cannot be compared), else true with *cmp < 0, 0 or > 0. */
bool features_vercmp(const char *a, const char *b, int *cmp);

/* ---- the renderers of `wasmatrix features` (reports/features_*.c) ---- */

struct features_opts {
	bool color;		/* text: ANSI colour */
};

/* Same shape as struct reporter (report.h), over struct featmatrix. */
struct features_reporter {
	const char *name, *file, *what;
	int (*render)(const struct featmatrix *fm, const struct features_opts *o, FILE *f, char **err);
};

/* The formats, in --help order (name, file, what, render); the first is the default. */
#define FEATURES_FORMATS(X) \
	X(text, "features.txt", "the table for a terminal, then the disagreements", features_text_render) \
	X(md, "features.md", "Markdown: the table and the disagreements", features_md_render) \
	X(json, "features.json", "schema wasmatrix-features, version 1: cells, claims, disagreements", \
	  features_json_render)

const struct features_reporter *features_reporter_find(const char *name);
const struct features_reporter *const *features_reporter_all(void);

int features_text_render(const struct featmatrix *fm, const struct features_opts *o, FILE *f, char **err);
int features_md_render(const struct featmatrix *fm, const struct features_opts *o, FILE *f, char **err);
int features_json_render(const struct featmatrix *fm, const struct features_opts *o, FILE *f, char **err);
/* The Markdown table and disagreement list (features_md.c), for summary.md too; 'level'
 * is the heading level of its title ("##" or "###"). */
void features_md(const struct featmatrix *fm, const char *level, struct buf *b);
/* The HTML section (features_html.c) for the HTML report. */
void features_html(const struct featmatrix *fm, struct buf *b);
/* The JSON document of features_json_render; the caller decrefs it. */
json_t *features_json(const struct featmatrix *fm);

#endif
