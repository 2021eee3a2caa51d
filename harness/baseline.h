/* baseline.h - expected results per runtime (baselines/<runtime>.yaml, see
 * docs/baselines.md): a failure a baseline expects becomes xfail, a pass it expected to
 * fail becomes xpass, and entries matching nothing are warned about. The gate is then
 * "exit 1 only for unexpected results". A struct baseline owns its entries. */
#ifndef WM_BASELINE_H
#define WM_BASELINE_H

#include "diag.h"
#include "run.h"

enum baseline_expect { BASELINE_FAIL, BASELINE_UNSUPPORTED, BASELINE_SKIP, BASELINE_FLAKY };

struct baseline_entry {
	char *runtime, *test, *reason, *link;
	enum baseline_expect expect;
	char *version;		/* range such as ">=14 <50", or NULL */
	char *os, *arch;	/* or NULL */
	char *file;
	unsigned line, col;
	size_t used;
};

struct baseline {
	struct baseline_entry *v;
	size_t n;
	struct strvec files;	/* the files read, in order */
};

/* path: a baseline file or a directory of *.yaml files. Errors go to d; returns -1. */
int baseline_load(struct baseline *b, const char *path, struct diag *d);
void baseline_release(struct baseline *b);
const char *baseline_expect_name(enum baseline_expect e);
/* Marks (test, runtime) pairs a baseline says to skip: fills run->preskip. */
void baseline_preskip(struct baseline *b, struct run *run);
/* Turns expected failures into xfail and unexpected passes into xpass. */
void baseline_apply(struct baseline *b, struct run *run);
/* Warnings for entries of runtimes in the run that matched no test. */
void baseline_warn_unused(const struct baseline *b, const struct run *run, struct diag *d);
/* One observed result, as baseline_write() needs it (strings borrowed). */
struct baseline_obs {
	const char *runtime, *version, *test, *reason;
	enum outcome outcome;
};
/* Writes <dir>/<runtime>.yaml for each runtime observed, keeping the reasons of entries
 * that still apply and marking new entries as needing one. Every file it writes loads
 * back (text is escaped, reasons cut between characters, test ids written as patterns
 * that match only themselves). Returns the number of files written, -2 when a runtime
 * name cannot be a file name (baseline_runtime_name_ok; nothing written), or -1 (message on
 * stderr). */
int baseline_write(const struct baseline *old, const struct baseline_obs *obs, size_t n, const char *dir);
/* Can this runtime name be a baseline file name (<name>.yaml)? */
bool baseline_runtime_name_ok(const char *name);
/* The same from a finished run (runtimes that were not available are left out). */
int baseline_update(const struct baseline *old, const struct run *run, const char *dir);
/* Does a version satisfy a range such as ">=14 <50" (space-separated comparators)? */
bool baseline_version_match(const char *range, const char *version);
bool baseline_range_valid(const char *range);

#endif
