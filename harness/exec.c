/* exec.c - see exec.h. posix_spawn (vfork-fast, thread-safe) with a new process
 * group; all pipe ends are O_CLOEXEC so concurrent spawns never inherit each other's
 * pipes. The parent polls stdout, stderr and stdin with the deadline; after the child
 * exits, or on timeout, the whole group is killed so nothing is left behind. */
#define _GNU_SOURCE
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
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

void exec_run(const struct exec_spec *spec, struct exec_result *res)
{
	memset(res, 0, sizeof *res);
	buf_init(&res->out, spec->cap);
	buf_init(&res->err, spec->cap);
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	double start = now_seconds();
	/* no stdin data: the runtime gets /dev/null, as the recorded command says (a closed
	 * pipe is not the same thing: poll_oneoff on stdin, for one, sees it differently) */
	bool feed = spec->stdin_data && spec->stdin_len > 0;
	if (!feed && (pin[0] = null_device(&res->error)) < 0) {
		res->status = EXEC_SPAWN_ERROR;
		return;
	}
	if ((feed && pipe2(pin, O_CLOEXEC) < 0) || pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0) {
		res->status = EXEC_SPAWN_ERROR;
		res->error = xasprintf("pipe: %s", strerror(errno));
		close_pair(pin);
		close_pair(pout);
		close_pair(perr);
		return;
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	if (spec->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, spec->cwd);
	posix_spawnattr_init(&attr);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	pid_t pid;
	int rc = posix_spawn(&pid, spec->argv[0], &fa, &attr, spec->argv,
			     spec->inherit_env ? environ : spec->envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (rc != 0) {
		res->status = EXEC_SPAWN_ERROR;
		res->error = xasprintf("cannot run %s: %s", spec->argv[0], strerror(rc));
		if (feed)
			close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		return;
	}
	int fds[3] = { pout[0], perr[0], pin[1] };
	size_t in_off = 0;
	if (feed)
		set_nonblock(fds[2]);
	double deadline = spec->timeout > 0 ? start + spec->timeout : 0;
	bool exited = false, timed_out = false;
	int wstatus = 0;
	double exit_time = 0;
	char chunk[65536];
	for (;;) {
		if (!exited) {
			pid_t w = waitpid(pid, &wstatus, WNOHANG);
			if (w == pid) {
				exited = true;
				exit_time = now_seconds();
				/* the guest is done: anything left in its group is a stray */
				kill(-pid, SIGKILL);
			}
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
				kill(-pid, SIGKILL);
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
	if (timed_out) {
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
