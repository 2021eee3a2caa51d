/* load.h - read a suite from disk: a YAML suite file, a directory holding suite.yaml,
 * or a directory in the official wasi-testsuite layout (see wts.h). Every input error
 * goes to 'd'; the caller prints them and exits 2. */
#ifndef WM_LOAD_H
#define WM_LOAD_H

#include "diag.h"
#include "model.h"

/* Returns 0 or -1 (errors in d). 's' is filled either way and must be released. */
int load_suite(struct suite *s, const char *path, struct diag *d);
/* The YAML form only. */
int load_yaml_suite(struct suite *s, const char *file, struct diag *d);

#endif
