/* run.h - a run: the selected tests × the selected runtimes, executed in parallel by a
 * pool of worker threads, each (test, runtime) judged into one result. The run owns
 * its suites, adapters and results; run_release() frees them.
 * A run can be stopped (run_opts.stop, set from the caller's signal thread): no test
 * is started after that, running ones are killed, and the results keep only what
 * finished (run.stopped says why the others are missing). */
#ifndef WM_RUN_H
#define WM_RUN_H

#include "adapter.h"
#include "judge.h"
#include "model.h"

#include <pthread.h>
#include <stdatomic.h>

struct run;
typedef void (*run_progress_fn)(void *ctx, const struct run *run, size_t result_idx);

struct run_opts {
	double timeout;		/* for tests that set none */
	int jobs;
	size_t cap;		/* capture cap per stream */
	bool keep;		/* keep temp dirs of unexpected results */
	const char *tmp_root;
	run_progress_fn progress;
	void *progress_ctx;
	const atomic_int *stop;	/* optional: becomes a signal number to stop the run */
	double compile_timeout;	/* limit of cache.compile after a cold timeout (0: 600 s) */
	bool warm_launch;	/* runtimes with a launcher run in warm launchers (warm.h) */
};

/* One runtime's compile cache for a run (run_cache_prepare): */
struct run_cache {
	char *dir;		/* <root>/<runtime>@<version>, the adapter's {cache}; NULL: off */
	int fd, seenfd;		/* that directory, and its .wasmatrix-seen/ (markers: modules
				 * that ran to completion with it, by sha256), or -1 */
};

struct run {
	struct suite *suites;
	size_t nsuites;
	struct adapter *rts;	/* selected runtimes, probed */
	size_t nrts;
	struct test **tests;	/* selected tests, pointers into suites */
	size_t *test_suite;	/* suite index of each selected test */
	size_t ntests;
	char **preskip;		/* optional, ntests * nrts: skip this pair with the reason */
	struct result *results;	/* ntests * nrts, index t * nrts + r; after a stop only the
				 * finished ones, in that order (use test_idx/rt_idx) */
	size_t nresults, done;
	int stopped;		/* signal that stopped the run before every result finished */
	size_t planned;		/* ntests * nrts */
	size_t faults;		/* results the harness could not run for its own reasons */
	double started, duration;	/* wall clock (epoch) and seconds */
	char *id;
	struct run_cache *caches;	/* nrts, or NULL: every cache off (cold) */
	unsigned shard_index, shard_count;	/* 1-based; 0/0 when not sharded */
};

/* The tests are selected (filtered, sharded) by plan.h. */
/* Runs everything; returns 0, or -1 on a harness fault (a temporary directory or a
 * process could not be created: those results are errors; message on stderr). Jobs
 * are capped by run_jobs_max(). */
int run_execute(struct run *run, const struct run_opts *o);
/* Opens (creating them 0700) the compile caches of the selected, available runtimes
 * that declare one (adapter key cache) under root (<cache dir>/wasmatrix/compile), and
 * writes their cache.files. Refuses a path component that is a symbolic link, not a
 * directory, not ours or writable by others, and a root inside a directory a test
 * preopens (its copy would show the cache to the guest). Returns 0, or -1 with *why. */
int run_cache_prepare(struct run *run, const char *root, char **why);
/* The compile cache root from the environment (net.h's cache directory + "/compile"),
 * malloc'd, or NULL with *why. */
char *run_cache_root(char **why);
/* WASMATRIX_COLD is set to something else than "" or "0": run without the caches. */
bool run_cold_env(void);
/* WASMATRIX_WARM_LAUNCH is set and not "0": run with warm launchers (run_opts.warm_launch). */
bool run_warm_launch_env(void);
/* "none", "off", "cold", "warm" */
const char *compile_cache_name(enum compile_cache c);
bool compile_cache_parse(const char *s, enum compile_cache *c);
/* How many jobs the open-file limit (RLIMIT_NOFILE) allows, at least 1. */
int run_jobs_max(void);
/* Can temporary directories be made in tmp_root? 0, or -1 with *why (malloc'd). */
int run_check_tmp(const char *tmp_root, char **why);
void run_release(struct run *run);

#endif
