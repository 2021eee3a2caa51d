/* outcome.h - the outcome vocabulary: every fact about an outcome (name, label, symbol,
 * colour, whether it is unexpected, how JUnit, TAP, CTRF and the agreement analysis see
 * it) in one const table, harness/outcome.c, as LLVM lit's ResultCode. Code that prints,
 * counts or classifies outcomes looks them up there instead of listing outcomes itself:
 * adding an outcome is one enum value here and one row there (docs/results-format.md).
 * Nothing is allocated; every string is static. */
#ifndef WM_OUTCOME_H
#define WM_OUTCOME_H

#include <stdbool.h>

enum outcome {
	OUT_PASS, OUT_FAIL, OUT_UNSUPPORTED, OUT_CRASH, OUT_TIMEOUT, OUT_SKIP, OUT_XFAIL,
	OUT_XPASS, OUT_ERROR, OUT__COUNT
};

/* The JUnit element of a <testcase> (docs/reports.md). In the order of the counters
 * <testsuite tests failures errors skipped>, so a value indexes a count array. */
enum outcome_junit { OUTCOME_JUNIT_NONE, OUTCOME_JUNIT_FAILURE, OUTCOME_JUNIT_ERROR, OUTCOME_JUNIT_SKIPPED };

/* A TAP test point: "ok", "not ok", "ok # SKIP reason", "not ok # TODO reason". */
enum outcome_tap { OUTCOME_TAP_OK, OUTCOME_TAP_NOT_OK, OUTCOME_TAP_SKIP, OUTCOME_TAP_TODO };

/* A CTRF status, in the order of CTRF's summary counters. */
enum outcome_ctrf { OUTCOME_CTRF_PASSED, OUTCOME_CTRF_FAILED, OUTCOME_CTRF_SKIPPED, OUTCOME_CTRF_PENDING,
		    OUTCOME_CTRF_OTHER };

/* The agreement analysis (agree.c): results that did not run are left out; of those that
 * did, a runtime "fails only here" when it failed and every other runtime passed. */
enum outcome_agree { OUTCOME_AGREE_NOT_RUN, OUTCOME_AGREE_PASSED, OUTCOME_AGREE_FAILED };

struct outcome_info {
	const char *name;	/* in results.json, baselines and reports: "xpass" */
	const char *label;	/* in words: "unexpectedly passed" */
	const char *symbol;	/* UTF-8, tells outcomes apart without colour: "✓!" */
	const char *color;	/* ANSI SGR sequence for the terminal */
	bool unexpected;	/* the run exits 1; listed under "Unexpected results" */
	bool wrong;		/* the runtime ran the test and did something else than expected
				 * (fail, crash, timeout): what a baseline's "expect: fail" matches */
	enum outcome_junit junit;
	enum outcome_tap tap;
	enum outcome_ctrf ctrf;
	enum outcome_agree agree;
};

/* The facts about o; o must be below OUT__COUNT. */
const struct outcome_info *outcome_info(enum outcome o);
/* outcome_info(o)->name */
const char *outcome_name(enum outcome o);
/* outcome_info(o)->unexpected */
bool outcome_unexpected(enum outcome o);
/* The outcome named s (exact, lowercase). false, *o untouched, for NULL or any other word. */
bool outcome_parse(const char *s, enum outcome *o);

#endif
