/* cmd.c - what several commands share: where the runners and runtimes are, the signal
 * watcher of run and check, loading a results file, report options, network options.
 * See cmd.h. */
#define _GNU_SOURCE
#include "cmd.h"
#include "claims.h"
#include "diag.h"
#include "term.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#ifndef WM_DATADIR
#define WM_DATADIR "/usr/local/share/wasmatrix"
#endif

void paths_init(struct paths *p, const char *runners_opt)
{
	memset(p, 0, sizeof *p);
	char *exe = realpath("/proc/self/exe", NULL);
	char *dir = exe ? path_dirname(exe) : xstrdup(".");
	/* the binary sits in the project (or build/ below it) or in DATADIR */
	char *cand = path_join(dir, "runners"), *up = path_join(dir, "..");
	char *cand2 = path_join(up, "runners");
	const char *env = getenv("WASMATRIX_HOME");
	if (env && *env)
		p->root = xstrdup(env);
	else if (fs_is_dir(cand))
		p->root = xstrdup(dir);
	else if (fs_is_dir(cand2))
		p->root = realpath(up, NULL);
	if (!p->root)
		p->root = xstrdup(WM_DATADIR);
	free(cand);
	free(cand2);
	free(up);
	free(dir);
	free(exe);
	p->runners = runners_opt ? xstrdup(runners_opt) : path_join(p->root, "runners");
	const char *rd = getenv("WASMATRIX_RUNTIMES_DIR");
	p->runtimes_dir = rd && *rd ? xstrdup(rd) : path_join(p->root, ".runtimes/bin");
}

void paths_release(struct paths *p)
{
	free(p->root);
	free(p->runners);
	free(p->runtimes_dir);
}

/* Signals while tests run (run and check). No handler and no mutable global: SIGINT,
 * SIGTERM and SIGHUP are blocked in every thread (the workers inherit the mask) and
 * read from a signalfd by one thread that the command owns; signals ignored at startup
 * (nohup, background jobs) stay ignored. The first signal is stored in w->sig, which
 * the run polls (run_opts.stop): no test starts after it, running ones are killed, and
 * the command writes what finished and exits 128 + the signal. A second signal exits
 * at once; the containment processes then kill their runtimes as their parent threads
 * go (PR_SET_PDEATHSIG, see exec.h), temporary directories may be left. The thread
 * ends when the command writes to its quit pipe (not pthread_cancel, which unwinds
 * through the sanitizers' stack bookkeeping). */
static void *sigwatch_thread(void *arg)
{
	struct sigwatch *w = arg;
	for (;;) {
		struct pollfd pf[2] = { { w->sfd, POLLIN, 0 }, { w->quit[0], POLLIN, 0 } };
		if (poll(pf, 2, -1) < 0)
			continue;
		if (pf[1].revents)
			return NULL;
		struct signalfd_siginfo si;
		if (!(pf[0].revents & POLLIN) || read(w->sfd, &si, sizeof si) != (ssize_t)sizeof si)
			continue;
		int s = (int)si.ssi_signo, first = 0;
		const char *ab = sigabbrev_np(s);
		if (atomic_compare_exchange_strong(&w->sig, &first, s)) {
			fprintf(stderr, "\nwasmatrix: SIG%s: stopping (running tests are killed, finished results are "
				"written); send it again to quit at once\n", ab ? ab : "?");
		} else {
			fprintf(stderr, "\nwasmatrix: SIG%s again: quitting without writing results\n", ab ? ab : "?");
			_exit(EXIT_SIGNAL(s));
		}
	}
}

void sigwatch_start(struct sigwatch *w)
{
	memset(w, 0, sizeof *w);
	atomic_init(&w->sig, 0);
	w->sfd = w->quit[0] = w->quit[1] = -1;
	sigemptyset(&w->set);
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		/* a signal ignored by whoever started us (nohup, a background job) stays ignored */
		struct sigaction sa;
		if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
			sigaddset(&w->set, sigs[i]);
	}
	sigset_t old;
	pthread_sigmask(SIG_BLOCK, &w->set, &old);
	if ((w->sfd = signalfd(-1, &w->set, SFD_CLOEXEC)) < 0 || pipe2(w->quit, O_CLOEXEC) < 0 ||
	    pthread_create(&w->th, NULL, sigwatch_thread, w) != 0) {
		/* no watcher: signals keep their default action */
		if (w->sfd >= 0)
			close(w->sfd);
		if (w->quit[0] >= 0) {
			close(w->quit[0]);
			close(w->quit[1]);
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return;
	}
	w->on = true;
}

/* Ends the watcher. The signals stay blocked: one arriving now is ignored, the
 * command is about to return. */
void sigwatch_stop(struct sigwatch *w)
{
	if (!w->on)
		return;
	ssize_t n = write(w->quit[1], "q", 1);
	(void)n;
	pthread_join(w->th, NULL);
	close(w->sfd);
	close(w->quit[0]);
	close(w->quit[1]);
	w->on = false;
}

bool cmd_parse_long(const char *s, long lo, long hi, long *out)
{
	char *e;
	errno = 0;
	long v = strtol(s, &e, 10);
	if (errno || e == s || *e || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool cmd_color_err(void)
{
	const char *nc = getenv("NO_COLOR"), *fc = getenv("FORCE_COLOR");
	if (nc && *nc)
		return false;
	return (fc && *fc) || isatty(2);
}

int cmd_load_results(struct results *rf, const char *path)
{
	struct diag d = DIAG_INIT;
	int rc = results_load(rf, path, &d);
	diag_print(&d, stderr, cmd_color_err());
	diag_release(&d);
	return rc;
}

void cmd_report_opts(struct report_opts *o)
{
	memset(o, 0, sizeof *o);
	const char *gh = getenv("GITHUB_ACTIONS");
	o->github = gh && !strcmp(gh, "true");
	o->step_summary = getenv("GITHUB_STEP_SUMMARY");
	o->annotations = stdout;
}

char *cmd_claims_path(void)
{
	struct paths p;
	paths_init(&p, NULL);
	char *c = path_join(p.root, CLAIMS_DEFAULT_PATH);
	paths_release(&p);
	if (fs_is_file(c))
		return c;
	free(c);
	return NULL;
}

int cmd_check_claims(const char *path)
{
	struct claims c;
	struct diag d = DIAG_INIT;
	int rc = claims_load(&c, path, &d);
	diag_print(&d, stderr, cmd_color_err());
	diag_release(&d);
	claims_release(&c);
	return rc;
}

void cmd_list_formats(FILE *f)
{
	const struct reporter *const *all = report_all();
	for (size_t i = 0; all[i]; i++)
		fprintf(f, "%s%s", i ? ", " : "", all[i]->name);
	fputc('\n', f);
}

int cmd_net_getopt(int argc, char **argv, const struct option *opts, struct net_opts *o, const char *usage,
		   int *rc)
{
	int c, r;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((r = cmd_net_option(o, c, optarg)) < 0) {
			*rc = EXIT_USAGE;
			return -1;
		}
		if (r)
			continue;
		if (c == 'h' || c == '?' || c == ':') {
			fputs(usage, c == 'h' ? stdout : stderr);
			*rc = c == 'h' ? EXIT_OK : EXIT_USAGE;
			return -1;
		}
		return c;
	}
	return 0;
}

int cmd_net_option(struct net_opts *o, int opt, const char *arg)
{
	char *e;
	switch (opt) {
	case NETOPT_OFFLINE: o->offline = true; return 1;
	case NETOPT_ALLOW_HTTP: o->allow_http = true; return 1;
	case NETOPT_MAX_SIZE:
		errno = 0;
		o->max_size = strtoll(arg, &e, 10);
		if (errno || *e || e == arg || o->max_size < 1) {
			fprintf(stderr, "wasmatrix: --max-size takes a byte count, not '%s'\n", arg);
			return -1;
		}
		return 1;
	case NETOPT_NET_TIMEOUT:
		o->total_timeout = strtod(arg, &e);
		if (*e || e == arg || !(o->total_timeout > 0)) {
			fprintf(stderr, "wasmatrix: --net-timeout takes seconds, not '%s'\n", arg);
			return -1;
		}
		if (o->connect_timeout > o->total_timeout)
			o->connect_timeout = o->total_timeout;
		return 1;
	case NETOPT_STALL_TIMEOUT:
		errno = 0;
		o->stall_timeout = strtol(arg, &e, 10);
		if (errno || *e || e == arg || o->stall_timeout < 1 || o->stall_timeout > 86400) {
			fprintf(stderr, "wasmatrix: --stall-timeout takes whole seconds from 1 to 86400, not '%s'\n", arg);
			return -1;
		}
		return 1;
	case NETOPT_RETRIES:
		errno = 0;
		o->retries = (int)strtol(arg, &e, 10);
		if (errno || *e || e == arg || o->retries < 0 || o->retries > 20) {
			fprintf(stderr, "wasmatrix: --retries takes 0 to 20, not '%s'\n", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}
