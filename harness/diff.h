/* diff.h - a unified line diff of expected vs actual text, for mismatch reports. */
#ifndef WM_DIFF_H
#define WM_DIFF_H

#include "util.h"

/* Appends a unified diff ("--- expected", "+++ actual", @@ hunks with 2 lines of
 * context) to out. Inputs past max_lines lines are summarised, not diffed. */
void diff_unified(const char *a, size_t an, const char *b, size_t bn, struct buf *out);

#endif
