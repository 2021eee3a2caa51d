/* exec.c - see exec.h. The command runs under a containment process: a fork() of the
 * harness that only makes async-signal-safe system calls until it _exit()s (the harness
 * is multi-threaded, so it must not touch locks or the heap). It becomes a child
 * subreaper in its own process group, keeps exactly stdin/stdout/stderr and its report
 * pipe (close_range drops every other descriptor it inherited from the harness's
 * threads), forks the command into a new process group, and waits. When the command
 * ends, or the harness asks with SIGTERM (timeout, stop) or dies (PR_SET_PDEATHSIG), it
 * kills the command's group, then kills and reaps its children round by round (orphans
 * of the command are re-parented to it, however they left the group) until none is
 * left, and writes a report: the command's wait status, how many were still alive, or
 * why it could not start. All pipe ends are O_CLOEXEC. The parent polls stdout, stderr
 * and stdin with the deadline. */
#define _GNU_SOURCE
#include "exec.h"

#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

void exec_result_release(struct exec_result *res)
{
	buf_release(&res->out);
	buf_release(&res->err);
	free(res->error);
	memset(res, 0, sizeof *res);
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* What the containment process reports on its pipe: a first record (done 0) once the
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

/* The signals the containment process waits for; blocked from before its fork on. */
static void contain_sigset(sigset_t *set)
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

static _Noreturn void contain_fail(int fd, int stage, int err)
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

/* The containment process: runs in the child of fork() until _exit, async-signal-safe
 * calls only. in/out/err become the command's 0/1/2, rep the report pipe. */
static _Noreturn void contain(const struct exec_spec *spec, int in, int out, int err, int rep, pid_t harness)
{
	sigset_t set;
	contain_sigset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	/* the harness going away (even by SIGKILL) is a stop request */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != harness)
		_exit(0);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		contain_fail(rep, CS_SETUP, errno);
	setpgid(0, 0);
	/* exactly 0-2 and the report pipe as 3: the other threads' pipes must not be held */
	int src[4] = { in, out, err, rep }, hi[4];
	for (int k = 0; k < 4; k++)
		if ((hi[k] = fcntl(src[k], F_DUPFD, 10)) < 0)
			contain_fail(rep, CS_SETUP, errno);
	for (int k = 0; k < 4; k++)
		if (dup2(hi[k], k) < 0)
			contain_fail(k == 3 ? hi[3] : rep, CS_SETUP, errno);
	if (close_range(4, ~0U, 0) != 0) {
		struct rlimit rl;
		int top = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
		for (int fd = 4; fd < top; fd++)
			close(fd);
	}
	fcntl(3, F_SETFD, FD_CLOEXEC);
	if (spec->cwd && chdir(spec->cwd) != 0)
		contain_fail(3, CS_CHDIR, errno);
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
		execve(spec->argv[0], spec->argv, spec->inherit_env ? environ : spec->envp);
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

static bool errno_is_resource(int e)
{
	return e == EAGAIN || e == ENOMEM || e == EMFILE || e == ENFILE || e == ENOSPC;
}

void exec_contain_init(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
}

int exec_sweep_orphans(void)
{
	int alive = 0;
	for (int round = 0; round < 100; round++) {
		struct strvec tasks = STRVEC_INIT;
		dir_list("/proc/self/task", NULL, &tasks);
		int found = 0;
		for (size_t i = 0; i < tasks.n; i++) {
			char *f = xasprintf("/proc/self/task/%s/children", tasks.v[i]);
			size_t len = 0;
			char *text = read_file(f, &len);
			free(f);
			for (char *p = text, *e; p && *p; p = e) {
				long v = strtol(p, &e, 10);
				if (e == p)
					break;
				if (v <= 0)
					continue;
				found++;
				int st;
				if (kill((pid_t)v, SIGKILL) == 0 && waitpid((pid_t)v, &st, 0) == (pid_t)v &&
				    WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
					alive++;
			}
			free(text);
		}
		strvec_release(&tasks);
		if (!found)
			break;
	}
	return alive;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
}

void exec_run(const struct exec_spec *spec, struct exec_result *res)
{
	memset(res, 0, sizeof *res);
	buf_init(&res->out, spec->cap);
	buf_init(&res->err, spec->cap);
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, prep[2] = { -1, -1 };
	double start = now_seconds();
	if (pipe2(pin, O_CLOEXEC) < 0 || pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0 ||
	    pipe2(prep, O_CLOEXEC | O_NONBLOCK) < 0) {
		res->status = EXEC_SPAWN_ERROR;
		res->fault = true;
		res->error = xasprintf("pipe: %s", strerror(errno));
		close_pair(pin);
		close_pair(pout);
		close_pair(perr);
		close_pair(prep);
		return;
	}
	/* the containment process starts with its signals blocked: a SIGTERM sent before it
	 * waits for it is not lost */
	sigset_t cset, old;
	contain_sigset(&cset);
	pthread_sigmask(SIG_BLOCK, &cset, &old);
	pid_t harness = getpid();
	pid_t pid = fork();
	if (pid == 0)
		contain(spec, pin[0], pout[1], perr[1], prep[1], harness);
	int fork_errno = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	close(prep[1]);
	if (pid < 0) {
		res->status = EXEC_SPAWN_ERROR;
		res->fault = true;
		res->error = xasprintf("cannot start %s: fork: %s", spec->argv[0], strerror(fork_errno));
		close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		close(prep[0]);
		return;
	}
	int fds[3] = { pout[0], perr[0], pin[1] };
	size_t in_off = 0;
	if (!spec->stdin_data || spec->stdin_len == 0) {
		close(fds[2]);
		fds[2] = -1;
	} else {
		set_nonblock(fds[2]);
	}
	double deadline = spec->timeout > 0 ? start + spec->timeout : 0;
	bool exited = false, timed_out = false, stopped = false;
	int wstatus = 0;
	double exit_time = 0;
	char chunk[65536];
	for (;;) {
		if (!exited) {
			pid_t w = waitpid(pid, &wstatus, WNOHANG);
			if (w == pid) {
				/* the containment process has killed whatever the guest left */
				exited = true;
				exit_time = now_seconds();
			}
		}
		if (!exited && spec->stop && atomic_load(spec->stop)) {
			stopped = true;
			kill(pid, SIGTERM);
			waitpid(pid, &wstatus, 0);
			exited = true;
			exit_time = now_seconds();
		}
		if (exited && fds[0] < 0 && fds[1] < 0)
			break;
		struct pollfd pf[3];
		int np = 0, map[3];
		for (int i = 0; i < 3; i++)
			if (fds[i] >= 0) {
				pf[np].fd = fds[i];
				pf[np].events = i == 2 ? POLLOUT : POLLIN;
				pf[np].revents = 0;
				map[np++] = i;
			}
		/* with both outputs closed the child is about to be reaped: poll it closely */
		int wait_ms = (fds[0] < 0 && fds[1] < 0) ? 1 : 20;
		if (deadline && !exited) {
			double left = deadline - now_seconds();
			if (left <= 0) {
				timed_out = true;
				kill(pid, SIGTERM);	/* the containment process kills them all */
				waitpid(pid, &wstatus, 0);
				exited = true;
				exit_time = now_seconds();
				continue;
			}
			if (left * 1000 < wait_ms)
				wait_ms = (int)(left * 1000) + 1;
		}
		if (exited && now_seconds() - exit_time > 2) {
			/* a stray that escaped the process group still holds the pipes */
			break;
		}
		int pr = poll(np ? pf : NULL, (nfds_t)np, wait_ms);
		if (pr < 0 && errno != EINTR)
			break;
		for (int k = 0; pr > 0 && k < np; k++) {
			int i = map[k];
			if (!pf[k].revents)
				continue;
			if (i == 2) {
				ssize_t n = write(fds[2], spec->stdin_data + in_off, spec->stdin_len - in_off);
				if (n > 0)
					in_off += (size_t)n;
				if (n < 0 && errno != EAGAIN && errno != EINTR)
					in_off = spec->stdin_len;	/* EPIPE: the guest stopped reading */
				if (in_off >= spec->stdin_len) {
					close(fds[2]);
					fds[2] = -1;
				}
				continue;
			}
			ssize_t n = read(fds[i], chunk, sizeof chunk);
			if (n > 0) {
				buf_add(i ? &res->err : &res->out, chunk, (size_t)n);
				*(i ? &res->err_total : &res->out_total) += (size_t)n;
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(fds[i]);
				fds[i] = -1;
			}
		}
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	res->duration = now_seconds() - start;
	/* the containment process's report: the last complete record */
	struct contain_report rep[2], last = { 0 };
	bool started = false, done = false;
	ssize_t rn;
	while ((rn = read(prep[0], rep, sizeof rep)) > 0)
		for (size_t k = 0; k < (size_t)rn / sizeof *rep; k++) {
			last = rep[k];
			started = started || last.pid > 0;
			done = done || last.done;
		}
	close(prep[0]);
	if (!done) {
		/* it died before reporting (killed from outside): its command and whatever
		 * that started were re-parented away; kill what can still be named */
		res->uncontained = true;
		if (started) {
			kill(-last.pid, SIGKILL);
			kill(last.pid, SIGKILL);
		}
	} else if (last.stage != CS_OK) {
		res->status = EXEC_SPAWN_ERROR;
		res->fault = last.stage != CS_EXEC || errno_is_resource(last.err);
		static const char *const what[] = { "", "setup", "chdir", "fork", "exec" };
		if (last.stage == CS_EXEC)
			res->error = xasprintf("cannot run %s: %s", spec->argv[0], strerror(last.err));
		else if (last.stage == CS_CHDIR)
			res->error = xasprintf("cannot enter %s: %s", spec->cwd, strerror(last.err));
		else
			res->error = xasprintf("cannot start %s: %s: %s", spec->argv[0], what[last.stage], strerror(last.err));
		if (!res->out.data)
			buf_adds(&res->out, "");
		if (!res->err.data)
			buf_adds(&res->err, "");
		return;
	} else {
		wstatus = last.wstatus;
		res->strays = last.strays > 0 ? last.strays : 0;
		res->uncontained = last.strays < 0;
	}
	if (timed_out || stopped)
		res->strays = 0;
	if (stopped) {
		res->status = EXEC_STOPPED;
	} else if (timed_out) {
		res->status = EXEC_TIMEOUT;
	} else if (WIFSIGNALED(wstatus)) {
		res->status = EXEC_SIGNALED;
		res->code = WTERMSIG(wstatus);
	} else {
		res->status = EXEC_EXITED;
		res->code = WEXITSTATUS(wstatus);
	}
	if (!res->out.data)
		buf_adds(&res->out, "");
	if (!res->err.data)
		buf_adds(&res->err, "");
}
