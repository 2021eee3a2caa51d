/* exec.h - run one command in its own process group with exactly the given
 * environment, a working directory, stdin data, capped capture of stdout/stderr and a
 * timeout that kills the whole group. Safe to call from several threads at once.
 *
 * Containment: the command runs under a small containment process (contain.h, the
 * wasmatrix-contain helper) which is a child subreaper (PR_SET_CHILD_SUBREAPER): every
 * process the command starts stays its descendant even after setsid() or a double
 * fork. When the command exits, or on a timeout or a stop request, the containment
 * process kills everything that is left, reaps it, reports how many were still alive
 * ("strays") and exits; so no process of a run outlives exec_run(). */
#ifndef WM_EXEC_H
#define WM_EXEC_H

#include "util.h"

#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A caller's hook into the running command (ops.h drives a test's steps with it). With a
 * hook, stdin is always a pipe and belongs to the hook (spec->stdin_data is ignored): the
 * hook writes it and closes it. The hook is called after every poll round until it
 * returns EXEC_HOOK_DONE; it may ask to be woken by up to EXEC_LIVE_FDS descriptors of
 * its own, and to be called again within wait_ms. EXEC_HOOK_ABORT ends the command as a
 * timeout does (everything killed), with the status EXEC_ABORTED. */
#define EXEC_LIVE_FDS 4
struct exec_live {
	pid_t command;		/* the command's pid, once the containment process said it; 0 before */
	int stdin_fd;		/* the guest's stdin (non-blocking); the hook's to write and close */
	const struct buf *out, *err;	/* everything read so far */
	bool out_eof, err_eof;	/* the stream was closed by the command */
	bool exited;		/* the command has ended */
	struct pollfd extra[EXEC_LIVE_FDS];	/* set by the hook; revents filled by the poll */
	int nextra;
	int wait_ms;		/* set by the hook: call again within this long (-1: no need) */
};
enum exec_hook_ret { EXEC_HOOK_GO, EXEC_HOOK_DONE, EXEC_HOOK_ABORT };
struct exec_hook {
	enum exec_hook_ret (*tick)(void *ctx, struct exec_live *lv);
	void *ctx;
};

struct exec_spec {
	char **argv;		/* argv[0] is an executable path */
	char **envp;		/* exact environment (ignored when inherit_env) */
	bool inherit_env;
	const char *cwd;	/* NULL: the harness's */
	const char *stdin_data;	/* fed through a pipe; NULL or empty: stdin is /dev/null */
	size_t stdin_len;
	double timeout;		/* seconds; <= 0: none */
	size_t cap;		/* bytes kept per stream; beyond it output is drained and dropped */
	const atomic_int *stop;	/* optional: non-zero asks to kill the command and return
				 * EXEC_STOPPED (checked at least every 20 ms) */
	const struct exec_hook *hook;	/* optional, see struct exec_live */
};

enum exec_status { EXEC_EXITED, EXEC_SIGNALED, EXEC_TIMEOUT, EXEC_SPAWN_ERROR, EXEC_STOPPED,
	EXEC_ABORTED /* the hook ended it */ };

struct exec_result {
	enum exec_status status;
	int code;		/* exit code, or signal number */
	struct buf out, err;	/* .truncated set when the cap was hit */
	size_t out_total, err_total;	/* bytes the process wrote */
	double duration;
	char *error;		/* spawn error text */
	bool fault;		/* EXEC_SPAWN_ERROR for want of resources or a broken harness
				 * setup (pipes, fork, fds, the working directory), not
				 * because of the command: a harness fault */
	int strays;		/* processes the command left running after it exited
				 * (killed); 0 after a timeout or a stop, where all are killed */
	bool uncontained;	/* the containment process died before reporting (e.g. the
				 * command killed it): strays may live on until
				 * exec_sweep_orphans() */
};

void exec_run(const struct exec_spec *spec, struct exec_result *res);
void exec_result_release(struct exec_result *res);

/* Starts spec->argv (envp, cwd) contained as exec_run does, with in/out/err as its fds
 * 0-2 and rep as the containment process's report pipe (struct contain_report), and
 * returns at once: the containment process's pid (its own process group; SIGTERM to it
 * kills everything and makes it report), or -1 with *why. The caller closes its copies
 * of the four descriptors. For long-lived commands (warm.h). */
int exec_start(const struct exec_spec *spec, int in, int out, int err, int rep, char **why);

/* Makes the harness a child subreaper too, so a process whose containment process died
 * is re-parented to the harness instead of init; exec_sweep_orphans() kills them. */
void exec_contain_init(void);
/* Kills and reaps every child of the harness. Call only when no exec_run() is in
 * flight (they would be killed too). Returns how many were still alive. */
int exec_sweep_orphans(void);

#endif
