/* warm.h - warm launchers (docs/adapters.md "Warm launchers"): for a runtime whose adapter
 * declares a launcher, one long-lived launcher process per (worker thread, runtime) runs
 * many modules, one request per run, instead of a fresh process per run. Each run still
 * gets its own working directory, fixture copies, arguments and environment, and its own
 * stdin/stdout/stderr: named pipes in the run's temporary directory, read and capped here
 * exactly as exec_run reads a fresh process's pipes, so the judge sees what the cold path
 * would show it. The launcher runs contained (exec_start); a timeout or a stop kills it
 * (its whole group) and the next run starts a new one. A launcher that dies during a run
 * is no verdict: the caller runs that test again in a fresh process (WARM_LOST). A
 * launcher whose open descriptors grow (WARM_FD_SLACK more than after its first run: a
 * runtime that keeps something of each run open) is ended after its run and replaced. */
#ifndef WM_WARM_H
#define WM_WARM_H

#include "exec.h"

#define WARM_FD_SLACK 32

/* One launcher; zeroed memory is "none started". */
struct warm_launcher {
	int pid;		/* its containment process, or 0 */
	int req, ans, rep, pidfd;	/* harness ends: requests, answers, containment report */
	char *dir;		/* its own temporary directory (HOME, TMPDIR, cwd, launcher.log) */
	char line[256];		/* an answer being read */
	size_t linelen;
	unsigned runs;		/* runs it has done */
	int cmdpid;		/* the launcher itself (the containment report), or 0 */
	int fds;		/* its open descriptors after its first run, or 0 */
};

enum warm_status {
	WARM_DONE,		/* res holds the run, as exec_run would have filled it */
	WARM_UNUSED,		/* nothing ran (the launcher could not start): run it fresh */
	WARM_LOST		/* the launcher died during the run: run it again, fresh */
};

/* The launcher's directory, made (under tmp_root) if no launcher is running; NULL with
 * *why when it cannot be made. Its home is <dir>/home. */
const char *warm_dir(struct warm_launcher *w, const char *tmp_root, char **why);

/* Runs one request: argv/envp start the launcher if none runs (cwd: its directory);
 * request is launcher.request expanded; cwd the run's working directory; jobdir the run's
 * temporary directory (the named pipes go there); spec gives stdin, the timeout, the cap
 * and the stop flag. On WARM_UNUSED and WARM_LOST *why says why (malloc'd). */
enum warm_status warm_exec(struct warm_launcher *w, char **argv, char **envp, char **request, const char *cwd,
			   const char *jobdir, const struct exec_spec *spec, struct exec_result *res, char **why);

/* Ends the launcher (if any) and removes its directory. */
void warm_close(struct warm_launcher *w);

#endif
