/* results_write.h - the writing half of the results file (docs/results-format.md), the one
 * file every report reads: results_build() builds it from a finished run, results_write()
 * writes it. results_read.h is the reading half; both use the results_ prefix. */
#ifndef WM_RESULTS_WRITE_H
#define WM_RESULTS_WRITE_H

#include "run.h"

#include <jansson.h>

#define RESULTS_SCHEMA "wasmatrix-results"
/* Version 2 added the run-level "shared" strings that results' commands refer to;
 * version 1 files (every command a string) are still read. */
#define RESULTS_VERSION 2

struct results_meta {
	int argc;
	char **argv;
	int jobs;
	double timeout;
	const char *tool_version;
};

/* New reference; caller json_decref()s. */
json_t *results_build(const struct run *run, const struct results_meta *m);
/* The document as it goes into a file: for a version 2 document, a new one sharing
 * doc's values, in which every word of 32 bytes or more (a PATH, a runtime's script, a
 * module's path) that appears twice or more in the commands is stored once, in "shared", and
 * each command that holds one becomes an array of text and indexes into it
 * (docs/results-format.md). Any other document is returned as it is. A new reference. */
json_t *results_for_file(json_t *doc);
/* Writes through wfile_open (wfile.h): atomically, by an O_EXCL temp name and a rename;
 * "-" and /dev/stdout are standard output. Returns 0 or -1 with errno. */
int results_write_file(json_t *doc, const char *path);
/* The same with the reason as text: 0, or -1 with *why (malloc'd, names the path). */
int results_write(json_t *doc, const char *path, char **why);
/* A JSON string from arbitrary bytes: invalid UTF-8 becomes U+FFFD. */
json_t *results_bytes(const char *s, size_t n);

#endif
