/* contain.h - the containment process that every runtime runs under (see exec.h): a
 * child subreaper that starts the command in its own process group, waits for it, then
 * kills and reaps every process the command left behind, however it left the group, and
 * reports on fd 3. It runs as the small helper binary wasmatrix-contain (spawned by
 * exec_run with vfork speed; harness/contain/main.c) or, when that is missing, in a
 * fork of the harness. Everything here is async-signal-safe: no heap, no stdio, no
 * locks, no globals. */
#ifndef WM_CONTAIN_H
#define WM_CONTAIN_H

#include <signal.h>
#include <sys/types.h>

/* What the containment process writes on fd 3: a first record (done 0) once the
 * command is forked, a last one (done 1) when everything is over or could not start. */
struct contain_report {
	int done;
	pid_t pid;		/* the command */
	int wstatus;		/* the command's wait status */
	int strays;		/* descendants still alive when it ended (killed); -1: unknown */
	int stage;		/* CS_* of the step that failed, CS_OK when none */
	int err;		/* its errno */
};

enum { CS_OK, CS_SETUP, CS_CHDIR, CS_FORK, CS_EXEC };

/* The signals the containment process waits for (SIGCHLD, and SIGTERM: kill everything
 * and report); the spawner blocks them before it starts, so none is lost. */
void contain_sigset(sigset_t *set);
/* Reports a failed step on fd and exits. */
_Noreturn void contain_fail(int fd, int stage, int err);
/* The containment process proper. Expects the command's stdin/stdout/stderr on 0-2, the
 * report pipe on 3, the working directory entered; closes every other descriptor.
 * 'harness' is the spawner's pid: if it is already gone, nothing is started. Never
 * returns. */
_Noreturn void contain_run(char *const argv[], char *const envp[], pid_t harness);

#endif
