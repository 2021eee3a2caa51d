/* rescmd.h - the commands that work on results files: report, merge, compare, and
 * the --format reports of `wasmatrix run`. Each command parses its own options and
 * returns a documented exit code; nothing is owned across calls. */
#ifndef WM_RESCMD_H
#define WM_RESCMD_H

#include <jansson.h>

int rescmd_report(int argc, char **argv);
int rescmd_merge(int argc, char **argv);
int rescmd_compare(int argc, char **argv);
/* The --help text of "report", "merge" or "compare", or NULL. */
const char *rescmd_usage(const char *cmd);
/* Checks a comma-separated --format list for `run` (term, json and every reporter).
 * Returns 0, or -1 after printing what is wrong. */
int rescmd_check_formats(const char *list);
/* Writes the reports named in 'list' for a finished run's document (borrowed) into
 * 'outdir' (term and json are skipped: the caller does those). Returns 0, or -1 after
 * printing the problem. */
int rescmd_write_formats(json_t *doc, const char *list, const char *outdir);

#endif
