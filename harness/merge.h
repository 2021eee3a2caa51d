/* merge.h - joins results files (shards, or runs of different runtimes) into one.
 * Ownership: merge_docs() returns a new document the caller json_decref()s. */
#ifndef WM_MERGE_H
#define WM_MERGE_H

#include "diag.h"
#include "results_read.h"

#include <stdbool.h>

/* Refuses (NULL, errors in d) files of different tool versions, suites or runtime
 * versions unless 'force'; a (test, runtime) result present in two files is always an
 * error. The merged document has summary and agreement recomputed and run.merged_from
 * listing the inputs' runs. */
json_t *merge_docs(const struct results *in, size_t n, bool force, struct diag *d);

#endif
