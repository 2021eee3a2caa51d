/* exec.c - see exec.h. The command runs under a containment process (contain.h): the
 * wasmatrix-contain helper next to the executable, started with posix_spawn (vfork
 * speed) with the pipes on 0-3, the working directory and a new process group; without
 * the helper, a fork() of the harness runs the same code (slower: a fork costs time in
 * proportion to the harness's memory). The containment process starts with its signals
 * blocked; the harness asks it to kill everything with SIGTERM (timeout, stop) and reads
 * its report after it exits. All pipe ends are O_CLOEXEC. The parent polls stdout,
 * stderr, stdin and the containment process's pidfd with the deadline. */
#define _GNU_SOURCE
#include "exec.h"
#include "contain.h"

#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

/* The fork fallback (no wasmatrix-contain next to the binary): the same containment
 * code runs in a fork of the harness, after putting in/out/err/rep on 0-3 and entering
 * cwd. Async-signal-safe calls only: the harness is multi-threaded. */
static _Noreturn void contain_forked(const struct exec_spec *spec, int in, int out, int err, int rep, pid_t harness)
{
	/* exactly 0-2 and the report pipe as 3 (contain_run closes the rest) */
	int src[4] = { in, out, err, rep }, hi[4];
	for (int k = 0; k < 4; k++)
		if ((hi[k] = fcntl(src[k], F_DUPFD, 10)) < 0)
			contain_fail(rep, CS_SETUP, errno);
	for (int k = 0; k < 4; k++)
		if (dup2(hi[k], k) < 0)
			contain_fail(k == 3 ? hi[3] : rep, CS_SETUP, errno);
	if (spec->cwd && chdir(spec->cwd) != 0)
		contain_fail(3, CS_CHDIR, errno);
	contain_run(spec->argv, spec->inherit_env ? environ : spec->envp, harness);
}

/* The helper binary, next to the wasmatrix executable (build/ or the data dir it is
 * installed in); NULL when there is none. */
static char *contain_helper(void)
{
	char *exe = realpath("/proc/self/exe", NULL);
	if (!exe)
		return NULL;
	char *dir = path_dirname(exe);
	char *h = path_join(dir, "wasmatrix-contain");
	free(dir);
	free(exe);
	if (access(h, X_OK) != 0) {
		free(h);
		return NULL;
	}
	return h;
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
		fs_list_dir("/proc/self/task", NULL, &tasks);
		int found = 0;
		for (size_t i = 0; i < tasks.n; i++) {
			char *f = xasprintf("/proc/self/task/%s/children", tasks.v[i]);
			size_t len = 0;
			char *text = fs_read_file(f, &len);
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

/* /dev/null for reading, checked to be the null device (1,3): a host where it was replaced
 * by a regular file would hand guests whatever was written there. */
static int null_device(char **why)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		*why = xasprintf("cannot open /dev/null for stdin: %s", strerror(errno));
	} else if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3) {
		*why = xstrdup("/dev/null is not the null device on this host (a regular file?), so it "
			       "cannot be the guest's empty stdin; restore it: mknod -m 666 /dev/null c 1 3");
	} else {
		return fd;
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Starts spec's command under the containment process with fds in/out/err/rep as its
 * 0/1/2/3: the wasmatrix-contain helper by posix_spawn (vfork speed, whatever the
 * harness's size), else a fork() of the harness running the same code. The containment
 * process starts with its signals blocked, so a SIGTERM sent before it waits is not lost.
 * Returns the pid, or -1 with the message in *why. */
static pid_t spawn_contained(const struct exec_spec *spec, int in, int out, int err, int rep, char **why)
{
	sigset_t cset;
	contain_sigset(&cset);
	pid_t harness = getpid(), pid = -1;
	int spawn_errno = 0;
	char *helper = contain_helper();
	if (helper) {
		char hpid[32];
		snprintf(hpid, sizeof hpid, "%ld", (long)harness);
		struct strvec hargv = STRVEC_INIT;
		strvec_push(&hargv, helper);
		strvec_push(&hargv, hpid);
		for (char **a = spec->argv; *a; a++)
			strvec_push(&hargv, *a);
		posix_spawn_file_actions_t fa;
		posix_spawnattr_t attr;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, in, 0);
		posix_spawn_file_actions_adddup2(&fa, out, 1);
		posix_spawn_file_actions_adddup2(&fa, err, 2);
		posix_spawn_file_actions_adddup2(&fa, rep, 3);
		if (spec->cwd)
			posix_spawn_file_actions_addchdir_np(&fa, spec->cwd);
		posix_spawnattr_init(&attr);
		sigset_t all;
		sigfillset(&all);
		posix_spawnattr_setsigmask(&attr, &cset);
		posix_spawnattr_setsigdefault(&attr, &all);
		posix_spawnattr_setpgroup(&attr, 0);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
		int rc = posix_spawn(&pid, helper, &fa, &attr, strvec_argv(&hargv),
				     spec->inherit_env ? environ : spec->envp);
		posix_spawn_file_actions_destroy(&fa);
		posix_spawnattr_destroy(&attr);
		strvec_release(&hargv);
		if (rc != 0) {
			pid = -1;
			spawn_errno = rc;
		}
	} else {
		sigset_t old;
		pthread_sigmask(SIG_BLOCK, &cset, &old);
		pid = fork();
		if (pid == 0)
			contain_forked(spec, in, out, err, rep, harness);
		spawn_errno = errno;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (pid < 0)
		*why = xasprintf("cannot start %s: %s%s", spec->argv[0], helper ? "" : "fork: ", strerror(spawn_errno));
	free(helper);
	return pid;
}

void exec_run(const struct exec_spec *spec, struct exec_result *res)
{
	memset(res, 0, sizeof *res);
	buf_init(&res->out, spec->cap);
	buf_init(&res->err, spec->cap);
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, prep[2] = { -1, -1 };
	double start = now_seconds();
	/* no stdin data: the runtime gets /dev/null, as the recorded command says (a closed
	 * pipe is not the same thing: poll_oneoff on stdin, for one, sees it differently) */
	bool feed = spec->hook || (spec->stdin_data && spec->stdin_len > 0);
	if (!feed && (pin[0] = null_device(&res->error)) < 0) {
		res->status = EXEC_SPAWN_ERROR;
		res->fault = true;
		return;
	}
	if ((feed && pipe2(pin, O_CLOEXEC) < 0) || pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0 ||
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
	char *why = NULL;
	pid_t pid = spawn_contained(spec, pin[0], pout[1], perr[1], prep[1], &why);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	close(prep[1]);
	if (pid < 0) {
		res->status = EXEC_SPAWN_ERROR;
		res->fault = true;
		res->error = why;
		if (feed)
			close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		close(prep[0]);
		return;
	}
	int fds[3] = { pout[0], perr[0], pin[1] };
	size_t in_off = 0;
	if (feed)
		set_nonblock(fds[2]);
	/* a hook owns stdin; it learns the command's pid from the containment's first report */
	struct exec_live lv = { .stdin_fd = -1, .out = &res->out, .err = &res->err, .wait_ms = -1 };
	struct contain_report early = { 0 };
	bool hooked = spec->hook != NULL, aborted = false;
	if (hooked) {
		lv.stdin_fd = fds[2];
		fds[2] = -1;
	}
	double deadline = spec->timeout > 0 ? start + spec->timeout : 0;
	/* readable when the containment process exits: no polling delay after the end */
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
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
		struct pollfd pf[4 + EXEC_LIVE_FDS];
		int np = 0, map[4 + EXEC_LIVE_FDS];
		for (int i = 0; i < 3; i++)
			if (fds[i] >= 0) {
				pf[np].fd = fds[i];
				pf[np].events = i == 2 ? POLLOUT : POLLIN;
				pf[np].revents = 0;
				map[np++] = i;
			}
		if (pidfd >= 0 && !exited) {
			pf[np].fd = pidfd;
			pf[np].events = POLLIN;
			pf[np].revents = 0;
			map[np++] = 3;
		}
		/* with both outputs closed the child is about to be reaped: poll it closely
		 * (unless its pidfd wakes us) */
		int wait_ms = (fds[0] < 0 && fds[1] < 0 && pidfd < 0) ? 1 : 20;
		for (int k = 0; hooked && k < lv.nextra && k < EXEC_LIVE_FDS; k++) {
			pf[np] = lv.extra[k];
			pf[np].revents = 0;
			map[np++] = 4 + k;
		}
		if (hooked && lv.wait_ms >= 0 && lv.wait_ms < wait_ms)
			wait_ms = lv.wait_ms;
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
			if (i >= 4)
				lv.extra[i - 4].revents = pf[k].revents;
			if (!pf[k].revents || i >= 3)
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
		if (hooked && !timed_out && !stopped) {
			if (!lv.command && read(prep[0], &early, sizeof early) == (ssize_t)sizeof early)
				lv.command = early.pid;
			lv.out_eof = fds[0] < 0;
			lv.err_eof = fds[1] < 0;
			lv.exited = exited;
			lv.nextra = 0;
			lv.wait_ms = -1;
			enum exec_hook_ret hr = spec->hook->tick(spec->hook->ctx, &lv);
			if (hr != EXEC_HOOK_GO)
				hooked = false;
			if (hr == EXEC_HOOK_ABORT && !exited) {
				aborted = true;
				kill(pid, SIGTERM);	/* the containment process kills them all */
				waitpid(pid, &wstatus, 0);
				exited = true;
				exit_time = now_seconds();
			}
		}
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (pidfd >= 0)
		close(pidfd);
	res->duration = now_seconds() - start;
	/* the containment process's report: the last complete record */
	struct contain_report rep[2], last = early;
	bool started = early.pid > 0, done = early.done;
	ssize_t rn;
	while ((rn = read(prep[0], rep, sizeof rep)) > 0)
		for (size_t k = 0; k < (size_t)rn / sizeof *rep; k++) {
			last = rep[k];
			started = started || last.pid > 0;
			done = done || last.done;
		}
	close(prep[0]);
	if (!done && !started && !timed_out && !stopped && !aborted) {
		/* it ended before starting the command: nothing ran */
		res->status = EXEC_SPAWN_ERROR;
		res->fault = true;
		res->error = WIFSIGNALED(wstatus)
			? xasprintf("cannot start %s: the containment process was killed by signal %d", spec->argv[0], WTERMSIG(wstatus))
			: xasprintf("cannot start %s: the containment process exited with %d before starting it", spec->argv[0], WEXITSTATUS(wstatus));
		if (!res->out.data)
			buf_adds(&res->out, "");
		if (!res->err.data)
			buf_adds(&res->err, "");
		return;
	} else if (!done) {
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
	if (timed_out || stopped || aborted)
		res->strays = 0;
	if (aborted) {
		res->status = EXEC_ABORTED;
	} else if (stopped) {
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

int exec_start(const struct exec_spec *spec, int in, int out, int err, int rep, char **why)
{
	return (int)spawn_contained(spec, in, out, err, rep, why);
}
