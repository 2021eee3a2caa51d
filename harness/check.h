/* check.h - the static view of a module (`wasmatrix inspect`, from wasm.h) and the
 * portability check (`wasmatrix check`): the module runs on every available runtime,
 * the runtimes are grouped by observable behaviour and each divergence is explained;
 * see docs/check.md. The command line (cmd_inspect.c, cmd_check.c) parses the options;
 * both functions return the command's exit code (enum exit_code, cmd.h). Nothing here
 * is global: results are freed before return. */
#ifndef WM_CHECK_H
#define WM_CHECK_H

#include "util.h"

#include <stdatomic.h>
#include <stdbool.h>

/* Prints the static view of the module at path: JSON or text (coloured or not). */
int check_inspect(const char *path, bool json, bool color);

/* What `check` was asked; all borrowed. */
struct check_opts {
	const char *path;		/* the module */
	char **args;			/* the guest's arguments (after "--") */
	size_t nargs;
	const struct strvec *dirs;	/* --dir HOST:GUEST */
	const struct strvec *envs;	/* --env K=V */
	const char *stdin_file, *runtimes, *format, *out, *matrix;
	const char *runners;		/* the adapters directory */
	const char *runtimes_dir;	/* where runtimes are looked up first */
	bool color;
	bool cold;			/* --cold: without the compile caches */
	double timeout;
	/* the caller's signal flag (may be NULL): when set the runs are killed and
	 * check_module returns without a verdict */
	const atomic_int *stop;
};
int check_module(const struct check_opts *o);

#endif
