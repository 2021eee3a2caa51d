/* exec.h - run one command in its own process group with exactly the given
 * environment, a working directory, stdin data, capped capture of stdout/stderr and a
 * timeout that kills the whole group. Safe to call from several threads at once. */
#ifndef WM_EXEC_H
#define WM_EXEC_H

#include "util.h"

#include <stdbool.h>
#include <stddef.h>

struct exec_spec {
	char **argv;		/* argv[0] is an executable path */
	char **envp;		/* exact environment (ignored when inherit_env) */
	bool inherit_env;
	const char *cwd;	/* NULL: the harness's */
	const char *stdin_data;	/* fed through a pipe; NULL or empty: stdin is /dev/null */
	size_t stdin_len;
	double timeout;		/* seconds; <= 0: none */
	size_t cap;		/* bytes kept per stream; beyond it output is drained and dropped */
};

enum exec_status { EXEC_EXITED, EXEC_SIGNALED, EXEC_TIMEOUT, EXEC_SPAWN_ERROR };

struct exec_result {
	enum exec_status status;
	int code;		/* exit code, or signal number */
	struct buf out, err;	/* .truncated set when the cap was hit */
	size_t out_total, err_total;	/* bytes the process wrote */
	double duration;
	char *error;		/* spawn error text */
};

void exec_run(const struct exec_spec *spec, struct exec_result *res);
void exec_result_release(struct exec_result *res);

#endif
