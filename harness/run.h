/* run.h - a run: the selected tests × the selected runtimes, executed in parallel by a
 * pool of worker threads, each (test, runtime) judged into one result. The run owns
 * its suites, adapters and results; run_release() frees them. */
#ifndef WM_RUN_H
#define WM_RUN_H

#include "adapter.h"
#include "judge.h"
#include "model.h"

#include <pthread.h>

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
	struct result *results;	/* ntests * nrts, index t * nrts + r */
	size_t nresults, done;
	double started, duration;	/* wall clock (epoch) and seconds */
	char *id;
	unsigned shard_index, shard_count;	/* 1-based; 0/0 when not sharded */
};

/* Selects the tests matching any of the comma-separated globs (on the test id or
 * name); NULL selects all. */
void run_select(struct run *run, const char *filters);
/* Keeps shard k of n (1-based) of the selected tests, chosen by a hash of the test id
 * so a test stays in its shard when others are added or removed. */
void run_shard(struct run *run, unsigned k, unsigned n);
/* Runs everything; returns 0, or -1 on a harness fault (message on stderr). */
int run_execute(struct run *run, const struct run_opts *o);
void run_release(struct run *run);

#endif
