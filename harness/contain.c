/* contain.c - see contain.h. The command's end is seen with waitid(WNOWAIT) so its
 * zombie keeps its process group id ours while the group is killed; then the children
 * (/proc/thread-self/children: orphans are re-parented here) are killed and reaped
 * round by round until none is left. */
#define _GNU_SOURCE
#include "contain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The signals the containment process waits for; blocked from before its fork on. */
void contain_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}

static void contain_put(int fd, const struct contain_report *r)
{
	ssize_t n = write(fd, r, sizeof *r);
	(void)n;	/* the harness is gone: nobody to tell */
}

_Noreturn void contain_fail(int fd, int stage, int err)
{
	struct contain_report r = { .done = 1, .stage = stage, .err = err };
	contain_put(fd, &r);
	_exit(0);
}

/* The children of this single-threaded process, from /proc; -1 when /proc cannot
 * tell. At most one buffer's worth: the caller loops until none is left. */
static int contain_children(pid_t *out, int max)
{
	int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char b[4096];
	ssize_t n = read(fd, b, sizeof b);
	close(fd);
	if (n < 0)
		return -1;
	if (n == (ssize_t)sizeof b)	/* the last number may be cut: leave it for the next round */
		while (n > 0 && b[n - 1] != ' ')
			n--;
	int k = 0;
	long v = -1;
	for (ssize_t i = 0; i <= n && k < max; i++) {
		if (i < n && b[i] >= '0' && b[i] <= '9') {
			v = (v < 0 ? 0 : v * 10) + (b[i] - '0');
		} else if (v > 0) {
			out[k++] = (pid_t)v;
			v = -1;
		}
	}
	return k;
}

/* Kills and reaps every child, round by round: a killed child's own children are
 * re-parented here and show up in the next round. Returns how many were alive (died of
 * our SIGKILL), or -1 when the children cannot be listed. */
static int contain_sweep(void)
{
	int strays = 0;
	for (;;) {
		pid_t kids[512];
		int n = contain_children(kids, 512), killed = 0;
		if (n < 0) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (kill(kids[i], SIGKILL) == 0)
				killed++;
			else
				kids[i] = 0;
		}
		if (!killed)
			return strays;	/* none left, or only what we may not kill */
		for (int i = 0; i < n; i++) {
			int st;
			if (kids[i] && waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
				strays++;
		}
	}
}

_Noreturn void contain_run(char *const argv[], char *const envp[], pid_t harness)
{
	sigset_t set;
	contain_sigset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	/* the harness going away (even by SIGKILL) is a stop request */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != harness)
		_exit(0);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		contain_fail(3, CS_SETUP, errno);
	setpgid(0, 0);
	/* a report to a harness that is gone must not kill us before the cleanup */
	struct sigaction ign;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, NULL);
	/* exactly 0-2 and the report pipe as 3: nothing else of the harness is held */
	if (close_range(4, ~0U, 0) != 0) {
		struct rlimit rl;
		int top = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
		for (int fd = 4; fd < top; fd++)
			close(fd);
	}
	fcntl(3, F_SETFD, FD_CLOEXEC);
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) != 0)
		contain_fail(3, CS_SETUP, errno);
	pid_t pid = fork();
	if (pid < 0)
		contain_fail(3, CS_FORK, errno);
	if (pid == 0) {
		setpgid(0, 0);
		struct sigaction dfl;
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		for (int s = 1; s < NSIG; s++)
			sigaction(s, &dfl, NULL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve(argv[0], argv, envp);
		int e = errno;
		ssize_t n = write(ep[1], &e, sizeof e);
		(void)n;
		_exit(127);
	}
	setpgid(pid, pid);	/* also here: no window where a kill of -pid misses it */
	close(ep[1]);
	struct contain_report r = { .pid = pid };
	contain_put(3, &r);
	int e = 0;
	ssize_t n;
	do
		n = read(ep[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	close(ep[0]);
	if (n == (ssize_t)sizeof e) {
		r.stage = CS_EXEC;
		r.err = e;
	}
	/* only the command and its descendants hold the harness's pipes from now on */
	close(0);
	close(1);
	close(2);
	bool ended = false;
	while (!ended) {
		siginfo_t si;
		int s = sigwaitinfo(&set, &si);
		if (s == SIGTERM) {	/* timeout, stop, or the harness died */
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			continue;
		}
		if (s != SIGCHLD)
			continue;
		/* peek without reaping: the command's zombie keeps its group id ours */
		for (;;) {
			siginfo_t w;
			memset(&w, 0, sizeof w);
			if (waitid(P_ALL, 0, &w, WEXITED | WNOHANG | WNOWAIT) != 0 || w.si_pid == 0)
				break;
			if (w.si_pid == pid) {
				ended = true;
				break;
			}
			waitpid(w.si_pid, NULL, 0);	/* a descendant that ended by itself */
		}
	}
	kill(-pid, SIGKILL);	/* what is left in the command's group */
	waitpid(pid, &r.wstatus, 0);
	r.strays = contain_sweep();
	r.done = 1;
	contain_put(3, &r);
	_exit(0);
}
