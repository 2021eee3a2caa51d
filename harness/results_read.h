/* results_read.h - the reading half of the results file (docs/results-format.md): a
 * results.json read back, validated and indexed for the reports, merge, compare, check
 * --matrix and publish. results_write.h is the writing half; both use the results_ prefix.
 * Ownership: a struct results holds one reference to its JSON document and owns its
 * index; results_release() drops both. Every json_t * reached through it is borrowed. */
#ifndef WM_RESULTS_READ_H
#define WM_RESULTS_READ_H

#include "diag.h"
#include "outcome.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct results {
	char *path;		/* file name used in messages */
	json_t *doc;
	json_t *runtimes, *suites, *tests, *results, *agreement;	/* borrowed */
	size_t nrts, nsuites, ntests, nresults;
	size_t *test_suite;	/* suite index of each test */
	json_t **cells;		/* ntests * nrts: result of (test t, runtime r) or NULL */
	size_t *res_test, *res_rt;	/* per result: its test and runtime index */
	unsigned char *res_outcome;	/* per result: its enum outcome */
};

/* Reads and validates 'path'. Returns 0, or -1 with every problem found in d
 * (file:line:col where the position is known). Computes "agreement" when the file has
 * none (files written before it existed). */
int results_load(struct results *rf, const char *path, struct diag *d);
/* The same checks on a document in memory; takes over the caller's reference to doc
 * (also on failure). 'name' appears in messages. */
int results_from_doc(struct results *rf, json_t *doc, const char *name, struct diag *d);
void results_release(struct results *rf);
/* For a command about to return to main() and exit: leaves the document to exit() (a
 * 100 000-result file is millions of allocations), except in sanitizer builds (or built
 * with -DWM_FREE_AT_EXIT), which release it so that their leak check stays meaningful. */
void results_release_at_exit(struct results *rf);

/* Borrowed string member of an object, or NULL when absent or not a string. */
const char *results_str(const json_t *obj, const char *key);
/* The same, but "" where that is NULL: for members compared or printed as they are. */
const char *results_str_or_empty(const json_t *obj, const char *key);
/* Integer member, or 'dflt' when absent or not an integer. */
long long results_int(const json_t *obj, const char *key, long long dflt);
/* Number (integer or real) member, or 'dflt'. */
double results_num(const json_t *obj, const char *key, double dflt);
/* The outcome of one of rf->results. Loading refused unknown outcomes, so this is a
 * lookup; anything else reads as OUT_ERROR. */
enum outcome results_outcome(const json_t *res);
/* The version runtime r reported, or "" when it has none. */
const char *results_rt_version(const struct results *rf, size_t r);
/* Is s a test definition digest (64 lower-case hex digits)? */
bool results_digest_valid(const char *s);
/* The architecture runtime r ran on (docs/architectures.md): its "arch", else the part of
 * its name after '/', else the file's host.arch, else "". */
const char *results_rt_arch(const struct results *rf, size_t r);
/* The WASI version of test t ("wasm32-wasip1", ...): its "wasi", or wasm32-wasip1 in files
 * written before tests had one. */
const char *results_test_wasi(const struct results *rf, size_t t);
/* Did the runtime run (available)? */
bool results_rt_available(const struct results *rf, size_t r);

#endif
