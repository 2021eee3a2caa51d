/* warm.c - see warm.h. The launcher's fds: 0 the request pipe, 1 the answer pipe,
 * 2 <dir>/launcher.log (its own messages, quoted when it dies), 3 the containment
 * report. The protocol is the launcher's (runners/node-wasi.mjs, its header): a request
 * is "<n>\n" and n NUL-terminated words (cwd, stdin FIFO or "", stdout FIFO, stderr FIFO,
 * then launcher.request); the answers are "ready\n", then "exit <code>[ recycle]\n". */
#define _GNU_SOURCE
#include "warm.h"
#include "contain.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

const char *warm_dir(struct warm_launcher *w, const char *tmp_root, char **why)
{
	if (w->dir)
		return w->dir;
	char *d = xasprintf("%s/wasmatrix-launcher-XXXXXX", tmp_root);
	if (!mkdtemp(d)) {
		*why = xasprintf("cannot create a temporary directory in %s: %s", tmp_root, strerror(errno));
		free(d);
		return NULL;
	}
	char *home = path_join(d, "home");
	mkdir(home, 0700);
	free(home);
	w->dir = d;
	return d;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Kills the launcher (SIGTERM to its containment process, which kills the group and
 * everything it started), or with gently lets it end on the end of its requests first. */
static void stop_launcher(struct warm_launcher *w, bool gently)
{
	if (!w->pid)
		return;
	close_fd(&w->req);
	int st;
	pid_t got = 0;
	if (gently && w->pidfd >= 0) {
		struct pollfd pf = { .fd = w->pidfd, .events = POLLIN };
		if (poll(&pf, 1, 2000) > 0)
			got = waitpid(w->pid, &st, WNOHANG);
	}
	if (got != w->pid) {
		kill(w->pid, SIGTERM);
		waitpid(w->pid, &st, 0);
	}
	close_fd(&w->ans);
	close_fd(&w->rep);
	close_fd(&w->pidfd);
	w->pid = 0;
	w->linelen = 0;
	w->runs = 0;
	w->cmdpid = 0;
	w->fds = 0;
}

void warm_close(struct warm_launcher *w)
{
	stop_launcher(w, true);
	if (w->dir && fs_remove_tree(w->dir) != 0)
		fprintf(stderr, "wasmatrix: warning: could not remove %s\n", w->dir);
	free(w->dir);
	w->dir = NULL;
}

static bool start_launcher(struct warm_launcher *w, char **argv, char **envp, char **why)
{
	int preq[2] = { -1, -1 }, pans[2] = { -1, -1 }, prep[2] = { -1, -1 };
	char *log = path_join(w->dir, "launcher.log");
	int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	free(log);
	if (logfd < 0 || pipe2(preq, O_CLOEXEC) < 0 || pipe2(pans, O_CLOEXEC) < 0 ||
	    pipe2(prep, O_CLOEXEC | O_NONBLOCK) < 0) {
		*why = xasprintf("cannot start the launcher: %s", strerror(errno));
		close_fd(&logfd);
		for (int i = 0; i < 2; i++) {
			close_fd(&preq[i]);
			close_fd(&pans[i]);
			close_fd(&prep[i]);
		}
		return false;
	}
	struct exec_spec spec = { 0 };
	spec.argv = argv;
	spec.envp = envp;
	spec.cwd = w->dir;
	int pid = exec_start(&spec, preq[0], pans[1], logfd, prep[1], why);
	close(preq[0]);
	close(pans[1]);
	close(prep[1]);
	close(logfd);
	if (pid < 0) {
		close(preq[1]);
		close(pans[0]);
		close(prep[0]);
		return false;
	}
	w->pid = pid;
	w->req = preq[1];
	w->ans = pans[0];
	w->rep = prep[0];
	w->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	fcntl(w->ans, F_SETFL, fcntl(w->ans, F_GETFL) | O_NONBLOCK);
	w->linelen = 0;
	w->runs = 0;
	w->cmdpid = 0;
	w->fds = 0;
	return true;
}

/* Why the launcher ended: its wait status from the containment report and the last line
 * of its log (malloc'd). */
static char *death_note(struct warm_launcher *w)
{
	int st;
	kill(w->pid, SIGTERM);
	waitpid(w->pid, &st, 0);
	struct contain_report rep[2], last = { 0 };
	ssize_t rn;
	while ((rn = read(w->rep, rep, sizeof rep)) > 0)
		for (size_t k = 0; k < (size_t)rn / sizeof *rep; k++)
			last = rep[k];
	if (!last.done && last.pid > 0) {
		/* its containment process was killed: kill what can still be named (the rest
		 * is swept at the end of the run, exec_sweep_orphans) */
		kill(-last.pid, SIGKILL);
		kill(last.pid, SIGKILL);
	}
	char *log = path_join(w->dir, "launcher.log");
	size_t n = 0;
	char *text = fs_read_file(log, &n);
	free(log);
	while (text && n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = 0;
	char *l = text ? strrchr(text, '\n') : NULL;
	l = l ? l + 1 : text;
	char *why = !last.done ? xasprintf("the warm launcher's containment process was killed%s%.160s", l && *l ? ": " : "",
					    l ? l : "") :
		WIFSIGNALED(last.wstatus) ?
		xasprintf("the warm launcher was killed by signal %d%s%.160s", WTERMSIG(last.wstatus),
			  l && *l ? ": " : "", l ? l : "") :
		xasprintf("the warm launcher exited with %d%s%.160s", WEXITSTATUS(last.wstatus), l && *l ? ": " : "",
			  l ? l : "");
	free(text);
	return why;
}

/* Reads the answer pipe; returns 1 with a whole line in w->line (without its newline),
 * 0 when none yet, -1 at its end. */
static int read_answer(struct warm_launcher *w)
{
	for (;;) {
		char *nl = memchr(w->line, '\n', w->linelen);
		if (nl) {
			*nl = 0;
			return 1;
		}
		if (w->linelen >= sizeof w->line - 1)
			return -1;	/* not an answer */
		ssize_t n = read(w->ans, w->line + w->linelen, sizeof w->line - 1 - w->linelen);
		if (n > 0)
			w->linelen += (size_t)n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			return -1;
		else
			return 0;
	}
}

static void take_line(struct warm_launcher *w)
{
	size_t used = strlen(w->line) + 1;
	memmove(w->line, w->line + used, w->linelen - used);
	w->linelen -= used;
}

/* The launcher's open descriptors (/proc/<pid>/fd), or -1 when they cannot be counted. */
static int launcher_fds(struct warm_launcher *w)
{
	if (!w->cmdpid) {
		struct contain_report rep;
		if (read(w->rep, &rep, sizeof rep) == (ssize_t)sizeof rep && !rep.done && rep.pid > 0)
			w->cmdpid = rep.pid;	/* its first record: the command started */
		else
			return -1;
	}
	char *dir = xasprintf("/proc/%d/fd", w->cmdpid);
	struct strvec names = STRVEC_INIT;
	int n = fs_list_dir(dir, NULL, &names) == 0 ? (int)names.n : -1;
	strvec_release(&names);
	free(dir);
	return n;
}

static bool write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

static int make_fifo(const char *jobdir, const char *name, char **path)
{
	*path = path_join(jobdir, name);
	return mkfifo(*path, 0600);
}

enum warm_status warm_exec(struct warm_launcher *w, char **argv, char **envp, char **request, const char *cwd,
			   const char *jobdir, const struct exec_spec *spec, struct exec_result *res, char **why)
{
	memset(res, 0, sizeof *res);
	bool feed = spec->stdin_data && spec->stdin_len > 0;
	char *pin = NULL, *pout = NULL, *perr = NULL;
	int fin = -1, fout = -1, ferr = -1;
	enum warm_status ret = WARM_DONE;
	if ((feed && make_fifo(jobdir, "stdin.fifo", &pin) < 0) || make_fifo(jobdir, "stdout.fifo", &pout) < 0 ||
	    make_fifo(jobdir, "stderr.fifo", &perr) < 0 ||
	    (fout = open(pout, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0 ||
	    (ferr = open(perr, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0 ||
	    (feed && (fin = open(pin, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)) {
		*why = xasprintf("cannot make the run's named pipes in %s: %s", jobdir, strerror(errno));
		ret = WARM_UNUSED;
		goto out;
	}
	if (w->pid && w->pidfd >= 0) {
		/* a launcher that ended while idle (killed from outside): start a new one */
		struct pollfd pf = { .fd = w->pidfd, .events = POLLIN };
		if (poll(&pf, 1, 0) > 0)
			stop_launcher(w, false);
	}
	if (!w->pid && !start_launcher(w, argv, envp, why)) {
		ret = WARM_UNUSED;
		goto out;
	}
	buf_init(&res->out, spec->cap);
	buf_init(&res->err, spec->cap);
	struct strvec words = STRVEC_INIT;
	strvec_push(&words, cwd);
	strvec_push(&words, feed ? pin : "");
	strvec_push(&words, pout);
	strvec_push(&words, perr);
	for (char **r = request; *r; r++)
		strvec_push(&words, *r);
	struct buf msg = BUF_INIT;
	buf_addf(&msg, "%zu\n", words.n);
	for (size_t i = 0; i < words.n; i++)
		buf_add(&msg, words.v[i], strlen(words.v[i]) + 1);
	strvec_release(&words);
	double start = now_seconds();
	double deadline = spec->timeout > 0 ? start + spec->timeout : 0;
	bool sent = write_all(w->req, msg.data, msg.len);
	buf_release(&msg);
	bool ready = false, ended = false, dead = !sent, timed_out = false, stopped = false, recycle = false;
	int code = 0;
	size_t in_off = 0;
	char chunk[65536];
	while (!ended && !dead) {
		if (spec->stop && atomic_load(spec->stop)) {
			stopped = true;
			break;
		}
		int wait_ms = 20;
		if (deadline) {
			double left = deadline - now_seconds();
			if (left <= 0) {
				timed_out = true;
				break;
			}
			if (left * 1000 < wait_ms)
				wait_ms = (int)(left * 1000) + 1;
		}
		struct pollfd pf[5];
		int np = 0;
		pf[np++] = (struct pollfd){ .fd = w->ans, .events = POLLIN };
		if (w->pidfd >= 0)
			pf[np++] = (struct pollfd){ .fd = w->pidfd, .events = POLLIN };
		int base = np;
		if (ready) {
			pf[np++] = (struct pollfd){ .fd = fout, .events = POLLIN };
			pf[np++] = (struct pollfd){ .fd = ferr, .events = POLLIN };
			if (fin >= 0)
				pf[np++] = (struct pollfd){ .fd = fin, .events = POLLOUT };
		}
		int pr = poll(pf, (nfds_t)np, wait_ms);
		if (pr < 0 && errno != EINTR)
			break;
		for (int k = base; pr > 0 && k < np; k++) {
			if (!pf[k].revents)
				continue;
			if (pf[k].fd == fin) {
				ssize_t n = write(fin, spec->stdin_data + in_off, spec->stdin_len - in_off);
				if (n > 0)
					in_off += (size_t)n;
				if (n < 0 && errno != EAGAIN && errno != EINTR)
					in_off = spec->stdin_len;	/* EPIPE: the guest stopped reading */
				if (in_off >= spec->stdin_len)
					close_fd(&fin);
				continue;
			}
			bool isout = pf[k].fd == fout;
			ssize_t n = read(pf[k].fd, chunk, sizeof chunk);
			if (n > 0) {
				buf_add(isout ? &res->out : &res->err, chunk, (size_t)n);
				*(isout ? &res->out_total : &res->err_total) += (size_t)n;
			}
		}
		int a;
		while (!ended && (a = read_answer(w)) != 0) {
			if (a < 0) {
				dead = true;
				break;
			}
			if (!ready && !strcmp(w->line, "ready")) {
				ready = true;
				if (fin >= 0) {
					/* the launcher holds the read end now: become a plain writer,
					 * so the guest sees the end of its stdin when we close */
					int wfd = open(pin, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
					close_fd(&fin);
					fin = wfd;
					if (fin < 0) {
						*why = xasprintf("cannot open %s: %s", pin, strerror(errno));
						dead = true;
					}
				}
			} else if (ready && sscanf(w->line, "exit %d", &code) == 1) {
				ended = true;
				recycle = strstr(w->line, " recycle") != NULL;
			} else {
				dead = true;	/* not the protocol */
			}
			take_line(w);
		}
		/* the containment process ended (answers it sent before are read above): the
		 * launcher is gone, or loose if the containment process itself was killed */
		if (!ended && w->pidfd >= 0 && pf[1].revents)
			dead = true;
	}
	res->duration = now_seconds() - start;
	close_fd(&fin);
	if (ended) {
		/* the launcher wrote everything before it answered: take what is in the pipes */
		for (int k = 0; k < 2; k++) {
			int fd = k ? ferr : fout;
			ssize_t n;
			while ((n = read(fd, chunk, sizeof chunk)) > 0) {
				buf_add(k ? &res->err : &res->out, chunk, (size_t)n);
				*(k ? &res->err_total : &res->out_total) += (size_t)n;
			}
		}
		res->status = EXEC_EXITED;
		res->code = code;
		w->runs++;
		if (!recycle) {
			/* descriptors that pile up run after run end this launcher */
			int n = launcher_fds(w);
			if (n > 0 && !w->fds)
				w->fds = n;
			else if (n < 0 || n > w->fds + WARM_FD_SLACK)
				recycle = true;
		}
		if (recycle)
			stop_launcher(w, true);
	} else if (timed_out || stopped) {
		res->status = timed_out ? EXEC_TIMEOUT : EXEC_STOPPED;
		stop_launcher(w, false);
	} else {
		char *note = death_note(w);
		if (*why) {
			char *both = xasprintf("%s (%s)", *why, note);
			free(*why);
			free(note);
			*why = both;
		} else {
			*why = note;
		}
		stop_launcher(w, false);
		exec_result_release(res);
		ret = WARM_LOST;
	}
	if (ret == WARM_DONE) {
		if (!res->out.data)
			buf_adds(&res->out, "");
		if (!res->err.data)
			buf_adds(&res->err, "");
	}
out:
	close_fd(&fin);
	close_fd(&fout);
	close_fd(&ferr);
	char *fifos[3] = { pin, pout, perr };
	for (int k = 0; k < 3; k++)
		if (fifos[k]) {
			unlink(fifos[k]);
			free(fifos[k]);
		}
	return ret;
}
