/* check.h - `wasmatrix inspect MODULE` (the static view from wasm.h) and `wasmatrix check
 * MODULE` (runs it on every available runtime, groups runtimes by observable behaviour,
 * explains each divergence); see docs/check.md. Both return the command's exit code.
 * Nothing here is global: the paths come from the CLI, results are freed before return. */
#ifndef WM_CHECK_H
#define WM_CHECK_H

#include <stdatomic.h>

/* argv[0] is the command name ("inspect"). */
int check_inspect_main(int argc, char **argv);
/* runners: the default adapters directory; runtimes_dir: where runtimes are looked up
 * first. argv[0] is "check". */
/* 'stop' (may be NULL) is the caller's signal flag: when it is set the runs are killed
 * and check_main returns without a verdict. */
int check_main(int argc, char **argv, const char *runners, const char *runtimes_dir, const atomic_int *stop);

#endif
