/* compare.h - what changed between two results files: regressions, fixes, other
 * outcome changes, new and removed tests, runtime versions. Output as Markdown or a
 * self-contained HTML page; nothing is owned across calls. */
#ifndef WM_COMPARE_H
#define WM_COMPARE_H

#include "resfile.h"

#include <stdio.h>

struct compare_counts {
	size_t regressions, fixes, changed, new_tests, removed_tests, versions;
};

/* Writes the comparison in 'format' ("md" or "html") to f and fills c. Returns 0, or
 * -1 on a write error. */
int compare_write(const struct resfile *old, const struct resfile *new_, const char *format, FILE *f,
		  struct compare_counts *c);

#endif
