/* agree.h - agreement between runtimes (docs/results-format.md, "agreement"): for every
 * test, the runtimes that ran it grouped by observable behaviour, independently of the
 * expectations; per runtime the tests it alone fails; the share of portable tests.
 * Ownership: agree_compute() returns a new reference the caller json_decref()s. */
#ifndef WM_AGREE_H
#define WM_AGREE_H

#include <jansson.h>

/* Reads "runtimes", "tests" and "results" of a results document (not validated here:
 * entries of the wrong shape are ignored) and returns the "agreement" object. */
json_t *agree_compute(const json_t *doc);

#endif
