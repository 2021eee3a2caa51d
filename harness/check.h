/* check.h - the portability check (`wasmatrix check`): the module runs on every available
 * runtime, the runtimes are grouped by observable behaviour and each divergence is
 * explained; see docs/check.md. check.c does the analysis and fills struct check_report,
 * the model; the renderers in reports/ (check_text.c, check_json.c, check_html.c, chosen
 * from the one table in reports/check_report.c) only read it and own nothing, like the
 * results reporters of report.h. The command line (cmd_check.c) parses the options;
 * check_module returns the command's exit code (enum exit_code, cmd.h). Nothing here is
 * global: everything is freed before check_module returns. */
#ifndef WM_CHECK_H
#define WM_CHECK_H

#include "inspect.h"
#include "run.h"
#include "util.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

/* What `check` was asked; all borrowed. */
struct check_opts {
	const char *path;		/* the module */
	char **args;			/* the guest's arguments (after "--") */
	size_t nargs;
	const struct strvec *dirs;	/* --dir HOST:GUEST */
	const struct strvec *envs;	/* --env K=V */
	const char *stdin_file, *runtimes, *out, *matrix;
	const struct check_reporter *format;	/* --format; NULL: the first (text) */
	const char *runners;		/* the adapters directory */
	const char *runtimes_dir;	/* where runtimes are looked up first */
	bool color;
	bool cold;			/* --cold: without the compile caches */
	double timeout;
	/* the caller's signal flag (may be NULL): when set the runs are killed and
	 * check_module returns without a verdict */
	const atomic_int *stop;
};
int check_module(const struct check_opts *o);

/* ---- the model: what check found, for the renderers ---- */

/* What a runtime did with the module. */
enum check_state { CHECK_EXITED, CHECK_TRAP, CHECK_REFUSED, CHECK_TIMEOUT, CHECK_CRASH, CHECK_ERROR,
		   CHECK_SKIPPED, CHECK__COUNT };
const char *check_state_name(enum check_state st);	/* "exited", "trap", ... */

struct check_cause {
	const char *kind;	/* "missing-import", "feature", "exit-code", ... (static) */
	char *detail;		/* one line for people */
};

/* One runtime of the run (same index as run.rts and run.results). */
struct check_runtime {
	enum check_state st;
	int group;			/* index into groups, -1 when skipped */
	struct strvec differs;		/* what differs from the majority */
	struct buf diff;		/* unified diffs against the majority */
	struct check_cause *causes;
	size_t ncauses;
};

struct check_group {
	size_t *rt;		/* runtime indexes, ascending */
	size_t n;
};

struct check_report {
	struct inspect module;		/* the static view; module.err when it is partial */
	struct run run;			/* one test (run.tests[0]) on every runtime tried */
	struct strvec unavailable;	/* "name: why" of runtimes not tried */
	struct check_runtime *rt;	/* run.nrts of them */
	struct check_group *groups;	/* largest first: groups[0] is the majority */
	size_t ngroups;			/* 1: portable */
	double timeout;			/* per runtime, seconds */
};

/* ---- the renderers (reports/) ---- */

struct check_report_opts {
	bool color;		/* text: ANSI colours */
};

/* Same shape as struct reporter (report.h), over struct check_report. */
struct check_reporter {
	const char *name;	/* the --format name */
	const char *file;	/* a file name for it */
	const char *what;	/* one line for --help */
	/* MUST: writes the whole report to f. Returns 0, or -1 with a message in *err. */
	int (*render)(const struct check_report *cr, const struct check_report_opts *o, FILE *f, char **err);
};

/* The formats, in --help order (name, file, what, render); the first is the default.
 * The table in reports/check_report.c and the help of `check` are both made from it. */
#define CHECK_FORMATS(X) \
	X(text, "check.txt", "for people", check_text_render) \
	X(json, "check.json", "schema wasmatrix-check, version 1", check_json_render) \
	X(html, "check.html", "one self-contained page", check_html_render)

/* The reporter named 'name', or NULL; every reporter, NULL-terminated. */
const struct check_reporter *check_reporter_find(const char *name);
const struct check_reporter *const *check_reporter_all(void);
/* Writes the report to 'path' through wfile_open ("-" is stdout; a file is replaced
 * atomically). Returns -1 when the output cannot be opened, 0 otherwise (a failed write
 * is reported on stderr; the verdict stands). */
int check_report_write(const struct check_reporter *rp, const struct check_report *cr,
		       const struct check_report_opts *o, const char *path);

int check_text_render(const struct check_report *cr, const struct check_report_opts *o, FILE *f, char **err);
int check_json_render(const struct check_report *cr, const struct check_report_opts *o, FILE *f, char **err);
int check_html_render(const struct check_report *cr, const struct check_report_opts *o, FILE *f, char **err);

/* Shared by the renderers (reports/check_report.c). */
/* What one runtime did, in one line ("exit 0, stdout 6 bytes, stderr 0 bytes"). */
void check_describe(struct buf *b, const struct result *r, enum check_state st);
/* The module in one line: kind, size, imports per group, features. */
void check_module_summary(struct buf *b, const struct wasm_module *m);
/* Runtimes that ran the module (in a group). */
size_t check_ran(const struct check_report *cr);

#endif
