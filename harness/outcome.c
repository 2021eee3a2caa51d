/* outcome.c - see outcome.h. The one place the outcomes are described; README's
 * "Outcomes" table, docs/reports.md and reports/matrix.js say the same
 * (tests/t_outcome.sh holds them to this table). */
#include "outcome.h"

#include <string.h>

#define GREEN "\033[32m"
#define CYAN "\033[36m"
#define DIM "\033[2m"
#define YELLOW "\033[33m"
#define BOLD_RED "\033[1;31m"

static const struct outcome_info outcomes[OUT__COUNT] = {
	[OUT_PASS] = { "pass", "passed", "\xe2\x9c\x93" /* ✓ */, GREEN, false, false,
		       OUTCOME_JUNIT_NONE, OUTCOME_TAP_OK, OUTCOME_CTRF_PASSED, OUTCOME_AGREE_PASSED },
	[OUT_FAIL] = { "fail", "failed", "\xe2\x9c\x97" /* ✗ */, BOLD_RED, true, true,
		       OUTCOME_JUNIT_FAILURE, OUTCOME_TAP_NOT_OK, OUTCOME_CTRF_FAILED, OUTCOME_AGREE_FAILED },
	[OUT_UNSUPPORTED] = { "unsupported", "unsupported", "\xe2\x8a\x98" /* ⊘ */, YELLOW, true, false,
			      OUTCOME_JUNIT_FAILURE, OUTCOME_TAP_NOT_OK, OUTCOME_CTRF_FAILED, OUTCOME_AGREE_FAILED },
	[OUT_CRASH] = { "crash", "crashed", "\xe2\x80\xbc" /* ‼ */, BOLD_RED, true, true,
			OUTCOME_JUNIT_ERROR, OUTCOME_TAP_NOT_OK, OUTCOME_CTRF_FAILED, OUTCOME_AGREE_FAILED },
	[OUT_TIMEOUT] = { "timeout", "timed out", "\xe2\x97\xb7" /* ◷ */, BOLD_RED, true, true,
			  OUTCOME_JUNIT_FAILURE, OUTCOME_TAP_NOT_OK, OUTCOME_CTRF_FAILED, OUTCOME_AGREE_FAILED },
	[OUT_SKIP] = { "skip", "skipped", "\xe2\x80\x93" /* – */, DIM, false, false,
		       OUTCOME_JUNIT_SKIPPED, OUTCOME_TAP_SKIP, OUTCOME_CTRF_SKIPPED, OUTCOME_AGREE_NOT_RUN },
	[OUT_XFAIL] = { "xfail", "expected failure", "\xe2\x9c\x97?" /* ✗? */, CYAN, false, false,
			OUTCOME_JUNIT_SKIPPED, OUTCOME_TAP_TODO, OUTCOME_CTRF_SKIPPED, OUTCOME_AGREE_FAILED },
	[OUT_XPASS] = { "xpass", "unexpectedly passed", "\xe2\x9c\x93!" /* ✓! */, BOLD_RED, true, false,
			OUTCOME_JUNIT_FAILURE, OUTCOME_TAP_NOT_OK, OUTCOME_CTRF_FAILED, OUTCOME_AGREE_PASSED },
	[OUT_ERROR] = { "error", "harness error", "\xe2\x9a\xa0" /* ⚠ */, BOLD_RED, true, false,
			OUTCOME_JUNIT_ERROR, OUTCOME_TAP_NOT_OK, OUTCOME_CTRF_OTHER, OUTCOME_AGREE_NOT_RUN },
};

const struct outcome_info *outcome_info(enum outcome o)
{
	return &outcomes[o];
}

const char *outcome_name(enum outcome o)
{
	return outcomes[o].name;
}

bool outcome_unexpected(enum outcome o)
{
	return outcomes[o].unexpected;
}

bool outcome_parse(const char *s, enum outcome *o)
{
	for (unsigned i = 0; s && i < OUT__COUNT; i++)
		if (!strcmp(s, outcomes[i].name)) {
			*o = (enum outcome)i;
			return true;
		}
	return false;
}
