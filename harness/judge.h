/* judge.h - one outcome per (test, runtime) from what the run did and what the test
 * expects. A struct result owns its strings; result_release() frees them. */
#ifndef WM_JUDGE_H
#define WM_JUDGE_H

#include "adapter.h"
#include "exec.h"
#include "model.h"
#include "outcome.h"

/* Whether a run used the runtime's compile cache (results.json "compile_cache"): */
enum compile_cache {
	CC_NONE,	/* the runtime has no compile cache (its adapter declares none) */
	CC_OFF,		/* --cold: no cache kept, a fresh HOME as for any run */
	CC_COLD,	/* cache on; the module had not yet run with it: this run compiled it */
	CC_WARM		/* cache on; the module's compiled code was there from an earlier run */
};

struct result {
	size_t test_idx, rt_idx;	/* indexes into the run's tests and runtimes */
	enum outcome outcome;
	char *reason;		/* NULL for a plain pass */
	char *rule;		/* what decided the outcome before the expectations were read
				 * ("classify.trap.stderr[0]", "timeout", "signal", ...), or NULL */
	char *diff;		/* unified diff for output mismatches, or NULL */
	char *command;		/* copy-pastable shell command, or NULL when not run */
	char *cwd;
	bool ran, trapped;
	int exit_code;		/* -1 when not exited */
	int signal;
	char *out, *err;	/* captured (capped) output */
	size_t outn, errn, out_total, err_total;
	bool out_trunc, err_trunc;
	char *files_digest;	/* observable files left in preopens, for agreement */
	double duration;
	char *kept;		/* temp dir kept with --keep */
	int strays;		/* processes the runtime left running after it exited (killed) */
	enum compile_cache cache;
	double cold_timeout;	/* > 0: the cold run was killed after this many seconds, and this
				 * result is the warm retry's */
	bool warm;		/* run by a warm launcher (warm.h), not a fresh process */
	char *launch_note;	/* why a run meant for a warm launcher ran in a fresh process */
};

void result_release(struct result *r);

/* A preopen copy: where the guest path lives on the host after the run. 'fd' is the
 * copy's directory, opened before the guest ran; file expectations are resolved beneath
 * it and never leave it ('host' is for messages only). */
struct judged_dir {
	const char *guest, *host;
	int fd;
};

/* Fills r->outcome/reason/diff from the run. */
void judge(const struct test *t, const struct adapter *a, const struct exec_result *x,
	   const struct judged_dir *dirs, size_t ndirs, double timeout, struct result *r);

#endif
