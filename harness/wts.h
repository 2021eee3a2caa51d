/* wts.h - the official wasi-testsuite layout as a suite: a directory with
 * manifest.json and *.wasm tests, each with an optional <stem>.json spec. */
#ifndef WM_WTS_H
#define WM_WTS_H

#include "diag.h"
#include "model.h"

int wts_load(struct suite *s, const char *dir, struct diag *d);

#endif
