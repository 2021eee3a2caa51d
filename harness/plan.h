/* plan.h - what a run will run, for `run` and `check`: the suites resolved
 * (paths, directories, URL#sha256=HEX archives, the bundled suites by default; two
 * suites with one name are an error), the runtimes selected by name with a suggestion
 * for unknown names, the tests filtered and sharded, the runtimes probed, and the pairs a
 * baseline says to skip marked. plan_build() fills a struct plan whose run is what
 * run_execute() runs; the plan owns everything in it (plan_release). `check` runs one
 * module built in memory: its runtimes come from plan_check_runtimes() (same names and
 * suggestions, its own messages) and its test from plan_select(). Nothing global. */
#ifndef WM_PLAN_H
#define WM_PLAN_H

#include "adapter.h"
#include "baseline.h"
#include "net.h"
#include "run.h"
#include "util.h"

#include <stdbool.h>

/* What the command line asked; all borrowed. */
struct plan_opts {
	const struct strvec *suites;	/* as given; empty: the bundled suites under root */
	const struct net_opts *net;	/* for suites and modules given by URL */
	const char *root;		/* project or data directory (suites/) */
	const char *runners;		/* adapters directory */
	const char *runtimes_dir;	/* where runtimes are looked up first */
	const char *runtimes;		/* --runtime R,...; NULL: every adapter */
	const char *arches;		/* --arch A,...; NULL: every architecture installed (arch.h) */
	const char *filter;		/* --filter GLOB,...; NULL: every test */
	bool sharded;
	unsigned shard_k, shard_n;	/* 1-based, when sharded */
	const char *baseline_path;	/* NULL: none */
	bool update_baseline;		/* the baseline may not exist yet */
	bool ecolor;			/* colour the diagnostics on stderr */
};

struct plan {
	struct run run;		/* the suites, selected tests and probed runtimes */
	struct baseline bl;	/* loaded when baseline_path names one */
	size_t avail;		/* selected runtimes that are installed */
};

/* Builds the plan. Input errors (suites, adapters, runtime names, baseline) are printed
 * with "N errors in the input; nothing was run". Returns -1 when the plan can run (it may
 * still hold no test or no available runtime: the caller says so), else the exit code:
 * EXIT_USAGE for bad input, EXIT_FAULT when a suite could not be fetched. pl is always to
 * be released. */
int plan_build(struct plan *pl, const struct plan_opts *o);
void plan_release(struct plan *pl);

/* Selects the run's tests matching any of the comma-separated globs (on the test id,
 * its name or its suite's name); NULL selects all. */
void plan_select(struct run *run, const char *filters);

/* check's runtimes (docs/check.md): the available ones among those named in list (every
 * adapter when NULL) go to run->rts in the adapters' order, the missing ones' names to
 * unavailable; errors printed as "wasmatrix check: ...". Returns EXIT_OK, EXIT_USAGE
 * (bad adapters or names) or EXIT_FAULT (fewer than two available). */
int plan_check_runtimes(struct run *run, const char *list, const char *runners, const char *runtimes_dir,
			struct strvec *unavailable);

#endif
