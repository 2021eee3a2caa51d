/* main.c - the command line: parses options, wires load → plan → exec → judge →
 * results, and maps what happened to the documented exit codes. */
#define _GNU_SOURCE
#include "adapter.h"
#include "baseline.h"
#include "check.h"
#include "cli_net.h"
#include "diag.h"
#include "load.h"
#include "report.h"
#include "rescmd.h"
#include "resfile.h"
#include "results.h"
#include "run.h"
#include "shard.h"
#include "term.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef WM_VERSION
#define WM_VERSION "0.1.0"
#endif
#ifndef WM_DATADIR
#define WM_DATADIR "/usr/local/share/wasmatrix"
#endif

enum { EXIT_OK = 0, EXIT_UNEXPECTED = 1, EXIT_USAGE = 2, EXIT_FAULT = 3, EXIT_NOTHING = 4 };

static const char usage_main[] =
	"usage: wasmatrix <command> [options]\n"
	"\n"
	"WASI conformance and runtime-portability test harness.\n"
	"\n"
	"commands:\n"
	"  run [SUITE...]      run suites on runtimes and write results (default: the bundled suites)\n"
	"  runtimes            list every runner adapter with its status\n"
	"  report FILE         render a results file: html, md, junit, tap, ctrf, json\n"
	"  merge A B... -o F   join results files (shards) into one\n"
	"  compare OLD NEW     regressions, fixes, new tests between two results files\n"
	"  inspect MODULE      imports, exports, memories and post-MVP features of a .wasm\n"
	"  check MODULE        run a .wasm on every runtime: portable, or where and why it differs\n"
	"  fetch URL           download into the verified cache (--sha256 required)\n"
	"  publish FILE        POST a results file to a URL\n"
	"  update-baseline F   write expectations/<runtime>.yaml from a results file\n"
	"  help [COMMAND]      show help\n"
	"\n"
	"options: --help, --version\n"
	"exit codes: 0 all as expected, 1 unexpected results, 2 bad usage or input,\n"
	"            3 harness/infrastructure fault, 4 nothing selected,\n"
	"            128+N stopped by signal N (what finished is written, marked incomplete)\n";

static const char usage_run[] =
	"usage: wasmatrix run [SUITE...] [options]\n"
	"\n"
	"SUITE is a suite YAML file, a directory holding suite.yaml, a directory in the\n"
	"official wasi-testsuite layout (manifest.json + *.wasm), or the URL of an archive of\n"
	"suites written URL#sha256=HEX (every suite inside is run). Default: the bundled suites.\n"
	"\n"
	"  -r, --runtime R,...   runtimes to use (default: every adapter; missing ones skip)\n"
	"  -f, --filter GLOB,... only tests whose id, name or suite matches a glob\n"
	"  -j, --jobs N          parallel runs (default: number of cores)\n"
	"  -t, --timeout S       timeout in seconds for tests that set none (default 10)\n"
	"  -o, --out DIR         write DIR/results.json (default: wasmatrix-out)\n"
	"      --cap BYTES       capture cap per output stream (default 4194304)\n"
	"      --list            list the selected tests and runtimes, run nothing\n"
	"      --keep            keep the temporary directories of unexpected results\n"
	"      --runners DIR     directory of adapters (default: the installed runners/)\n"
	"      --baseline PATH   expected results (a file or a directory of <runtime>.yaml):\n"
	"                        expected failures become xfail, unexpected passes xpass\n"
	"      --update-baseline write the baseline (PATH, a directory) from this run's results\n"
	"      --shard K/N|auto  run shard K of N (stable, by test id); auto reads Kubernetes,\n"
	"                        GitLab CI, Buildkite or Slurm variables\n"
	"      --shard-count N   shard count for --shard auto where the engine gives none\n"
	"      --run-id ID       run id shared by all shards (default: from the CI environment)\n"
	"      --color WHEN      auto, always or never (NO_COLOR and FORCE_COLOR respected)\n"
	"      --format LIST     reports written into --out besides results.json: term,json,\n"
	"                        html,md,junit,tap,ctrf (see wasmatrix report --help)\n"
	NET_USAGE
	"  -h, --help            this help\n";

static const char usage_runtimes[] =
	"usage: wasmatrix runtimes [--runners DIR] [--json]\n"
	"\n"
	"Lists every runner adapter: found (version and path) or not found (how to install).\n"
	"Runtimes are searched in $WASMATRIX_RUNTIMES_DIR (default <project>/.runtimes/bin),\n"
	"then on PATH; an adapter's find.env variable overrides the path.\n";

struct paths {
	char *root;		/* project or data dir holding runners/ and suites/ */
	char *runners;
	char *runtimes_dir;
};

static void paths_init(struct paths *p, const char *runners_opt)
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
	else if (path_is_dir(cand))
		p->root = xstrdup(dir);
	else if (path_is_dir(cand2))
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

static void paths_release(struct paths *p)
{
	free(p->root);
	free(p->runners);
	free(p->runtimes_dir);
}

/* The bundled suites: <root>/suites/<name>/suite.yaml, except calibration. */
static void default_suites(const struct paths *p, struct strvec *out)
{
	char *sd = path_join(p->root, "suites");
	struct strvec names = STRVEC_INIT;
	dir_list(sd, NULL, &names);
	for (size_t i = 0; i < names.n; i++) {
		if (!strcmp(names.v[i], "calibration"))
			continue;
		char *f = xasprintf("%s/%s/suite.yaml", sd, names.v[i]);
		if (path_is_file(f))
			strvec_push(out, f);
		free(f);
	}
	strvec_release(&names);
	free(sd);
}

static bool use_color_stderr(const char *when, bool *color)
{
	return term_color_choice(when, isatty(2), color);
}

static int load_adapters(const struct paths *p, struct adapter **rts, size_t *n, struct diag *d)
{
	return adapter_load_dir(rts, n, p->runners, d);
}

static int cmd_runtimes(int argc, char **argv)
{
	static const struct option opts[] = { { "runners", required_argument, 0, 'R' },
		{ "json", no_argument, 0, 'J' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *runners = NULL;
	bool json = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'R': runners = optarg; break;
		case 'J': json = true; break;
		case 'h': fputs(usage_runtimes, stdout); return EXIT_OK;
		default: fputs(usage_runtimes, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "wasmatrix runtimes: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	struct paths p;
	paths_init(&p, runners);
	struct diag d = DIAG_INIT;
	struct adapter *rts = NULL;
	size_t n = 0;
	bool color = false;
	use_color_stderr("auto", &color);
	if (load_adapters(&p, &rts, &n, &d) < 0) {
		diag_print(&d, stderr, color);
		diag_release(&d);
		for (size_t i = 0; i < n; i++)
			adapter_release(&rts[i]);
		free(rts);
		paths_release(&p);
		return EXIT_USAGE;
	}
	size_t found = 0;
	if (json)
		printf("[\n");
	for (size_t i = 0; i < n; i++) {
		adapter_probe(&rts[i], p.runtimes_dir);
		struct adapter *a = &rts[i];
		found += !a->missing;
		if (json) {
			json_t *j = json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:s}", "name", a->name, "title",
					      a->title, "available", !a->missing,
					      "version", a->version ? json_string(a->version) : json_null(),
					      "path", a->exe ? json_string(a->exe) : json_null(),
					      "missing", a->missing ? json_string(a->missing) : json_null(),
					      "adapter", a->file);
			char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
			printf("  %s%s\n", s, i + 1 < n ? "," : "");
			free(s);
			json_decref(j);
		} else if (a->missing) {
			printf("%-10s %-12s %s\n", a->name, "not found", a->missing);
		} else {
			printf("%-10s %-12s %s\n", a->name, a->version, a->exe);
		}
	}
	if (json)
		printf("]\n");
	else
		printf("\n%zu of %zu runtimes available\n", found, n);
	for (size_t i = 0; i < n; i++)
		adapter_release(&rts[i]);
	free(rts);
	diag_release(&d);
	paths_release(&p);
	return EXIT_OK;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *e;
	errno = 0;
	long v = strtol(s, &e, 10);
	if (errno || e == s || *e || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Finds the suites in an unpacked archive: directories with suite.yaml or manifest.json. */
static void find_suites(const char *dir, int depth, struct strvec *out)
{
	char *y = path_join(dir, "suite.yaml"), *m = path_join(dir, "manifest.json");
	bool hit = path_is_file(y) || path_is_file(m);
	free(y);
	free(m);
	if (hit) {
		strvec_push(out, dir);
		return;
	}
	if (depth > 8)
		return;
	struct strvec subs = STRVEC_INIT;
	dir_list(dir, NULL, &subs);
	for (size_t i = 0; i < subs.n; i++) {
		char *sub = path_join(dir, subs.v[i]);
		if (path_is_dir(sub))
			find_suites(sub, depth + 1, out);
		free(sub);
	}
	strvec_release(&subs);
}

/* Replaces URL#sha256=HEX arguments by the suites inside the fetched archive. */
static void expand_urls(struct strvec *suites, struct load_net *net, struct diag *d)
{
	struct strvec out = STRVEC_INIT;
	for (size_t i = 0; i < suites->n; i++) {
		const char *a = suites->v[i];
		if (!net_is_url(a)) {
			strvec_push(&out, a);
			continue;
		}
		const char *h = strstr(a, "#sha256=");
		if (!h) {
			diag_error(d, a, 0, 0, "a suite given by URL must carry its checksum: URL#sha256=HEX");
			continue;
		}
		char *url = xstrndup(a, (size_t)(h - a)), *dir = NULL, *why = NULL;
		if (net_fetch_tree(url, h + 8, net->opts, &dir, &why) < 0) {
			diag_error(d, url, 0, 0, "cannot fetch the suite archive: %s", why);
			net->failures++;
		} else {
			size_t before = out.n;
			find_suites(dir, 0, &out);
			if (out.n == before)
				diag_error(d, url, 0, 0, "the archive holds no suite (no suite.yaml or manifest.json)");
		}
		free(url);
		free(dir);
		free(why);
	}
	strvec_release(suites);
	*suites = out;
}

static const char usage_update_baseline[] =
	"usage: wasmatrix update-baseline RESULTS.json --baseline DIR\n"
	"\n"
	"Writes DIR/<runtime>.yaml for every runtime that ran in RESULTS.json: one entry per\n"
	"failing test, keeping the reason, link and conditions of an existing entry that\n"
	"matched it, dropping entries whose tests now pass, and marking new entries\n"
	"NEEDS-REASON (see docs/baselines.md). The same as run --update-baseline, from a file.\n";

static int cmd_update_baseline(int argc, char **argv)
{
	static const struct option opts[] = { { "baseline", required_argument, 0, 'B' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *dir = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'B': dir = optarg; break;
		case 'h': fputs(usage_update_baseline, stdout); return EXIT_OK;
		default: fputs(usage_update_baseline, stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || !dir) {
		fprintf(stderr, "wasmatrix update-baseline: %s\n\n%s", !dir ? "--baseline DIR is required"
			: "give exactly one results file", usage_update_baseline);
		return EXIT_USAGE;
	}
	struct diag d = DIAG_INIT;
	struct resfile rf = { 0 };
	struct baseline bl = { 0 };
	bool color = false;
	term_color_choice("auto", isatty(2), &color);
	if (path_is_dir(dir))
		baseline_load(&bl, dir, &d);
	if (resfile_load(&rf, argv[optind], &d) == 0) {
		/* entries of the tests that did not run would be dropped as if they passed */
		json_t *inc = json_object_get(rf.doc, "incomplete");
		if (json_is_object(inc))
			diag_error(&d, argv[optind], 0, 0, "the run was stopped (%s after %lld of %lld results): "
				   "update the baseline from a run that finished", resfile_str(inc, "signal") ?
				   resfile_str(inc, "signal") : "signal", resfile_int(inc, "results", 0),
				   resfile_int(inc, "planned", 0));
	}
	diag_print(&d, stderr, color);
	int rc = EXIT_OK;
	if (d.errors) {
		rc = EXIT_USAGE;
	} else {
		struct bl_obs *obs = xcalloc(rf.nresults + 1, sizeof *obs);
		size_t n = 0;
		for (size_t i = 0; i < rf.nresults; i++) {
			json_t *x = json_array_get(rf.results, i);
			size_t r = rf.res_rt[i];
			if (!resfile_rt_available(&rf, r))
				continue;
			json_t *rt = json_array_get(rf.runtimes, r);
			obs[n++] = (struct bl_obs){ resfile_str(rt, "name"), resfile_str(rt, "version"),
						    resfile_str(x, "test"), resfile_str(x, "reason"), resfile_outcome(x) };
		}
		int w = baseline_write(&bl, obs, n, dir);
		if (w < 0)
			rc = w == -2 ? EXIT_USAGE : EXIT_FAULT;
		free(obs);
	}
	resfile_release(&rf);
	baseline_release(&bl);
	diag_release(&d);
	return rc;
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
struct sigwatch {
	pthread_t th;
	atomic_int sig;
	sigset_t set;
	int sfd, quit[2];
	bool on;
};

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
			_exit(128 + s);
		}
	}
}

static void sigwatch_start(struct sigwatch *w)
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
static void sigwatch_stop(struct sigwatch *w)
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

/* The output directory, checked before any test runs: made if missing, locked against
 * a second run writing there (flock on the directory itself: nothing is left behind,
 * the lock goes with the process), and a file written and synced there. Returns the
 * locked directory's descriptor, to hold until the results are written, or -1 with
 * *rc set: EXIT_USAGE when --out names something else than a directory, EXIT_FAULT when
 * it cannot be written (read-only, full, locked); *rc is untouched on success. */
static int out_prepare(const char *out, const char *formats, int *rc)
{
	struct stat st;
	int was = *rc;
	*rc = EXIT_FAULT;	/* unless the argument itself is wrong */
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "wasmatrix run: --out '%s' exists and is not a directory\n", out);
		*rc = EXIT_USAGE;
		return -1;
	}
	if (mkdir_p(out) < 0) {
		fprintf(stderr, "wasmatrix run: cannot create output directory '%s': %s\n", out, strerror(errno));
		if (errno == ENOTDIR)
			*rc = EXIT_USAGE;
		return -1;
	}
	int fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "wasmatrix run: cannot open output directory '%s': %s\n", out, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			fprintf(stderr, "wasmatrix run: another wasmatrix run is writing to '%s'; wait for it to "
				"finish or give another --out\n", out);
		else
			fprintf(stderr, "wasmatrix run: cannot lock output directory '%s': %s\n", out, strerror(errno));
		close(fd);
		return -1;
	}
	/* can we write there, and is there room for a small file? */
	char *probe = path_join(out, ".wasmatrix-probe-XXXXXX");
	int pf = mkstemp(probe);
	int err = pf < 0 ? errno : 0;
	if (pf >= 0) {
		static const char zeros[65536];
		if (write(pf, zeros, sizeof zeros) != (ssize_t)sizeof zeros || fsync(pf) != 0)
			err = errno ? errno : ENOSPC;
		if (close(pf) != 0 && !err)
			err = errno;
		unlink(probe);
	}
	free(probe);
	if (err) {
		fprintf(stderr, "wasmatrix run: cannot write in output directory '%s': %s (checked before running "
			"any test)\n", out, strerror(err));
		close(fd);
		return -1;
	}
	/* and each file the run will write there can be (not a symlink, a directory, ...) */
	struct strvec files = STRVEC_INIT;
	strvec_push(&files, "results.json");
	char *copy = xstrdup(formats ? formats : ""), *save = NULL;
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		const struct reporter *rp = report_find(f);
		if (rp && rp->file && strcmp(f, "json"))
			strvec_push(&files, rp->file);
	}
	free(copy);
	for (size_t i = 0; i < files.n && !err; i++) {
		char *path = path_join(out, files.v[i]), *why = NULL;
		if (wfile_check(path, &why) < 0) {
			fprintf(stderr, "wasmatrix run: %s (checked before running any test)\n", why);
			err = 1;
		}
		free(why);
		free(path);
	}
	strvec_release(&files);
	if (err) {
		*rc = EXIT_USAGE;
		close(fd);
		return -1;
	}
	*rc = was;
	return fd;
}

/* When the results cannot be written where asked, they go to a new file in the
 * temporary directory rather than being lost. Returns its name (malloc'd) or NULL. */
static char *results_rescue(json_t *doc, const char *tmp_root)
{
	char *path = xasprintf("%s/wasmatrix-results-XXXXXX.json", tmp_root);
	int fd = mkstemps(path, 5);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	int rc = json_dumpfd(doc, fd, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (close(fd) != 0 || rc != 0) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
	static const struct option opts[] = {
		{ "runtime", required_argument, 0, 'r' }, { "filter", required_argument, 0, 'f' },
		{ "jobs", required_argument, 0, 'j' }, { "timeout", required_argument, 0, 't' },
		{ "out", required_argument, 0, 'o' }, { "cap", required_argument, 0, 'C' },
		{ "list", no_argument, 0, 'L' }, { "keep", no_argument, 0, 'K' },
		{ "runners", required_argument, 0, 'R' }, { "color", required_argument, 0, 'c' },
		{ "baseline", required_argument, 0, 'B' }, { "update-baseline", no_argument, 0, 'U' },
		{ "shard", required_argument, 0, 'S' }, { "shard-count", required_argument, 0, 'N' },
		{ "run-id", required_argument, 0, 'I' }, { "format", required_argument, 0, 'F' }, NET_LONG_OPTIONS,
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	struct net_opts net;
	net_opts_init(&net);
	const char *runtimes = NULL, *filter = NULL, *out = "wasmatrix-out", *runners = NULL, *color_when = "auto";
	const char *baseline_path = NULL, *shard = NULL, *shard_count = NULL, *run_id = NULL;
	const char *formats = NULL;
	bool update_baseline = false;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN), cap = 4 << 20;
	double timeout = 10;
	bool list = false, keep = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:f:j:t:o:h", opts, NULL)) != -1) {
		char *e;
		int nr = cli_net_option(&net, c, optarg);
		if (nr < 0) {
			net_opts_release(&net);
			return EXIT_USAGE;
		}
		if (nr)
			continue;
		switch (c) {
		case 'r': runtimes = optarg; break;
		case 'f': filter = optarg; break;
		case 'j':
			if (!parse_long(optarg, 1, 1024, &jobs)) {
				fprintf(stderr, "wasmatrix run: --jobs takes a number from 1 to 1024, not '%s'\n", optarg);
				net_opts_release(&net);
				return EXIT_USAGE;
			}
			break;
		case 't':
			timeout = strtod(optarg, &e);
			if (e == optarg || *e || !(timeout > 0) || timeout > 86400) {
				fprintf(stderr, "wasmatrix run: --timeout takes seconds (> 0), not '%s'\n", optarg);
				net_opts_release(&net);
				return EXIT_USAGE;
			}
			break;
		case 'o': out = optarg; break;
		case 'C':
			if (!parse_long(optarg, 1024, 1L << 34, &cap)) {
				fprintf(stderr, "wasmatrix run: --cap takes a byte count >= 1024, not '%s'\n", optarg);
				net_opts_release(&net);
				return EXIT_USAGE;
			}
			break;
		case 'L': list = true; break;
		case 'K': keep = true; break;
		case 'R': runners = optarg; break;
		case 'c': color_when = optarg; break;
		case 'B': baseline_path = optarg; break;
		case 'U': update_baseline = true; break;
		case 'S': shard = optarg; break;
		case 'N': shard_count = optarg; break;
		case 'I': run_id = optarg; break;
		case 'F':
			if (rescmd_check_formats(optarg) < 0) {
				net_opts_release(&net);
				return EXIT_USAGE;
			}
			formats = optarg;
			break;
		case 'h': fputs(usage_run, stdout); net_opts_release(&net); return EXIT_OK;
		default: fputs(usage_run, stderr); net_opts_release(&net); return EXIT_USAGE;
		}
	}
	bool color;
	if (!term_color_choice(color_when, isatty(1), &color)) {
		fprintf(stderr, "wasmatrix run: --color takes auto, always or never, not '%s'\n", color_when);
		net_opts_release(&net);
		return EXIT_USAGE;
	}
	if (update_baseline && !baseline_path) {
		fprintf(stderr, "wasmatrix run: --update-baseline needs --baseline DIR (where to write)\n");
		net_opts_release(&net);
		return EXIT_USAGE;
	}
	unsigned shard_k = 0, shard_n = 0;
	if (shard) {
		const char *src;
		char *why;
		if (shard_parse(shard, shard_count, &shard_k, &shard_n, &src, &why) < 0) {
			fprintf(stderr, "wasmatrix run: %s\n", why);
			free(why);
			net_opts_release(&net);
			return EXIT_USAGE;
		}
		if (strcmp(shard, "auto") == 0)
			fprintf(stderr, "wasmatrix: shard %u of %u (from %s)\n", shard_k, shard_n, src);
	}
	bool ecolor = color && isatty(2);
	if (!strcmp(color_when, "always"))
		ecolor = true;
	struct paths p;
	paths_init(&p, runners);
	struct strvec suites = STRVEC_INIT;
	for (int i = optind; i < argc; i++)
		strvec_push(&suites, argv[i]);
	if (!suites.n)
		default_suites(&p, &suites);
	struct diag d = DIAG_INIT;
	struct run run = { 0 };
	struct baseline bl = { 0 };
	struct sigwatch watch = { .on = false };
	int rc = EXIT_OK, out_lock = -1;
	if (!suites.n) {
		fprintf(stderr, "wasmatrix run: no suites given and no bundled suites found in %s/suites\n", p.root);
		rc = EXIT_USAGE;
		goto out;
	}
	struct load_net lnet = { &net, 0 };
	expand_urls(&suites, &lnet, &d);
	run.suites = xcalloc(suites.n + 1, sizeof *run.suites);
	for (size_t i = 0; i < suites.n; i++) {
		load_suite_net(&run.suites[run.nsuites], suites.v[i], &lnet, &d);
		run.nsuites++;
	}
	struct strset suite_names = STRSET_INIT;	/* name -> first suite with it */
	for (size_t i = 0, j; i < run.nsuites; i++)
		if (run.suites[i].name &&
		    !strset_add(&suite_names, run.suites[i].name, strlen(run.suites[i].name), i, &j))
			diag_error(&d, run.suites[i].path, 0, 0, "suite name '%s' is also used by %s",
				   run.suites[i].name, run.suites[j].path);
	strset_release(&suite_names);
	struct adapter *all = NULL;
	size_t nall = 0;
	load_adapters(&p, &all, &nall, &d);
	if (baseline_path && !(update_baseline && !path_is_dir(baseline_path) && !path_is_file(baseline_path)))
		baseline_load(&bl, baseline_path, &d);
	/* select runtimes */
	run.rts = xcalloc(nall + 1, sizeof *run.rts);
	bool *used = xcalloc(nall + 1, sizeof *used);
	if (runtimes) {
		char *copy = xstrdup(runtimes), *save = NULL;
		for (char *r = strtok_r(copy, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
			size_t k;
			for (k = 0; k < nall && strcmp(all[k].name, r); k++)
				;
			if (k == nall) {
				const char **names = xcalloc(nall + 1, sizeof *names);
				for (size_t m = 0; m < nall; m++)
					names[m] = all[m].name;
				const char *near = closest_word(r, names, nall);
				diag_error(&d, "--runtime", 0, 0, "unknown runtime '%s'%s%s%s (adapters in %s)", r,
					   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "", p.runners);
				free(names);
			} else if (!used[k]) {
				used[k] = true;
				run.rts[run.nrts++] = all[k];
			}
		}
		free(copy);
	} else {
		for (size_t k = 0; k < nall; k++) {
			used[k] = true;
			run.rts[run.nrts++] = all[k];
		}
	}
	for (size_t k = 0; k < nall; k++)
		if (!used[k])
			adapter_release(&all[k]);
	free(all);
	free(used);
	diag_print(&d, stderr, ecolor);
	if (d.errors) {
		fprintf(stderr, "wasmatrix: %zu error%s in the input; nothing was run\n", d.errors,
			d.errors == 1 ? "" : "s");
		rc = lnet.failures ? EXIT_FAULT : EXIT_USAGE;
		goto out;
	}
	run_select(&run, filter);
	if (shard)
		run_shard(&run, shard_k, shard_n);
	size_t avail = 0;
	for (size_t i = 0; i < run.nrts; i++) {
		adapter_probe(&run.rts[i], p.runtimes_dir);
		avail += !run.rts[i].missing;
	}
	if (list) {
		for (size_t i = 0; i < run.nrts; i++)
			printf("runtime %-10s %s\n", run.rts[i].name,
			       run.rts[i].missing ? run.rts[i].missing : run.rts[i].version);
		for (size_t i = 0; i < run.ntests; i++)
			printf("test %s%s%s\n", run.tests[i]->id, run.tests[i]->skip ? "  (skip: " : "",
			       run.tests[i]->skip ? run.tests[i]->skip : "");
		printf("%zu tests × %zu runtimes (%zu available)\n", run.ntests, run.nrts, avail);
		rc = run.ntests && run.nrts ? EXIT_OK : EXIT_NOTHING;
		goto out;
	}
	if (!run.ntests) {
		if (shard)
			fprintf(stderr, "wasmatrix run: shard %u/%u holds no test\n", shard_k, shard_n);
		else
			fprintf(stderr, "wasmatrix run: no test matches%s%s\n", filter ? " --filter " : "", filter ? filter : "");
		rc = EXIT_NOTHING;
		goto out;
	}
	if (!avail) {
		fprintf(stderr, "wasmatrix run: none of the selected runtimes is available:\n");
		for (size_t i = 0; i < run.nrts; i++)
			fprintf(stderr, "  %s: %s\n", run.rts[i].name, run.rts[i].missing);
		rc = EXIT_NOTHING;
		goto out;
	}
	/* everything that can keep the results from being written is checked now, not
	 * after hours of tests */
	if ((out_lock = out_prepare(out, formats, &rc)) < 0)
		goto out;
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	char *why = NULL;
	if (run_check_tmp(tmp, &why) < 0) {
		fprintf(stderr, "wasmatrix run: %s (set TMPDIR to a writable directory)\n", why);
		free(why);
		rc = EXIT_FAULT;
		goto out;
	}
	int maxjobs = run_jobs_max();
	if (jobs > maxjobs) {
		fprintf(stderr, "wasmatrix run: running %d jobs instead of %ld: the open-file limit (ulimit -n) "
			"allows no more\n", maxjobs, jobs);
		jobs = maxjobs;
	}
	struct term term;
	term_init(&term, stdout, color);
	sigwatch_start(&watch);
	struct run_opts o = { timeout, (int)jobs, (size_t)cap, keep, tmp, term_progress, &term, &watch.sig };
	if (!run_id)
		run_id = shard_env_run_id();
	run.id = run_id ? xstrdup(run_id) : xasprintf("%lx-%lx", (unsigned long)time(NULL), (unsigned long)getpid());
	if (baseline_path)
		baseline_preskip(&bl, &run);
	if (!term.tty)
		printf("running %zu tests on %zu runtimes (%zu available), %ld jobs\n", run.ntests, run.nrts,
		       avail, jobs);
	if (run_execute(&run, &o) < 0)
		rc = EXIT_FAULT;
	int sig = atomic_load(&watch.sig);
	if (baseline_path) {
		struct diag warn = DIAG_INIT;
		baseline_apply(&bl, &run);
		if (!run.stopped)
			baseline_warn_unused(&bl, &run, &warn);
		diag_print(&warn, stderr, ecolor);
		diag_release(&warn);
	}
	term_summary(&term, &run);
	if (run.stopped)
		printf("INCOMPLETE: stopped by SIG%s after %zu of %zu results; the results are marked incomplete\n",
		       sig > 0 && sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", run.nresults, run.planned);
	if (update_baseline && run.stopped)
		fprintf(stderr, "wasmatrix run: --update-baseline: not written, the run did not finish\n");
	else if (update_baseline && baseline_update(&bl, &run, baseline_path) < 0)
		rc = EXIT_FAULT;
	if (baseline_path && !update_baseline && run.stopped) {
		printf("baseline gate: not decided: the run did not finish\n");
	} else if (baseline_path && !update_baseline) {
		size_t unexp = 0, xpass = 0;
		for (size_t i = 0; i < run.nresults; i++) {
			unexp += outcome_unexpected(run.results[i].outcome);
			xpass += run.results[i].outcome == OUT_XPASS;
		}
		if (unexp)
			printf("baseline gate: FAILED: %zu unexpected result%s (%zu unexpected pass%s: update the baseline)\n",
			       unexp, unexp == 1 ? "" : "s", xpass, xpass == 1 ? "" : "es");
		else
			printf("baseline gate: passed (every failure is expected by %s)\n", baseline_path);
	}
	struct results_meta meta = { full_argc, full_argv, (int)jobs, timeout, WM_VERSION };
	json_t *doc = results_json(&run, &meta);
	char *rpath = path_join(out, "results.json");
	if (results_write_file(doc, rpath) < 0) {
		fprintf(stderr, "wasmatrix run: cannot write %s: %s\n", rpath, strerror(errno));
		char *saved = results_rescue(doc, tmp);
		if (saved)
			fprintf(stderr, "wasmatrix run: the results were saved to %s instead\n", saved);
		free(saved);
		rc = EXIT_FAULT;
	} else {
		printf("results: %s\n", rpath);
		if (formats && rescmd_write_formats(doc, formats, out) < 0)
			rc = EXIT_FAULT;
	}
	free(rpath);
	json_decref(doc);
	if (rc == EXIT_OK)
		for (size_t i = 0; i < run.nresults; i++)
			if (outcome_unexpected(run.results[i].outcome))
				rc = EXIT_UNEXPECTED;
	/* a signal decides the exit code: the caller asked the run to stop */
	if (sig > 0)
		rc = 128 + sig;
out:
	sigwatch_stop(&watch);
	if (out_lock >= 0)
		close(out_lock);
	net_opts_release(&net);
	diag_release(&d);
	baseline_release(&bl);
	run_release(&run);
	strvec_release(&suites);
	paths_release(&p);
	return rc;
}

/* check.c does the work; main.c only knows where runners and runtimes are. */
static int cmd_check(int argc, char **argv)
{
	struct paths p;
	paths_init(&p, NULL);
	struct sigwatch watch;
	sigwatch_start(&watch);
	int rc = check_main(argc, argv, p.runners, p.runtimes_dir, &watch.sig);
	sigwatch_stop(&watch);
	int sig = atomic_load(&watch.sig);
	if (sig > 0)
		rc = 128 + sig;
	paths_release(&p);
	return rc;
}

int main(int argc, char **argv)
{
	/* a guest that exits without reading its stdin must not kill the harness */
	signal(SIGPIPE, SIG_IGN);
	/* 0-2 open (on /dev/null when we were started without them), so no pipe of a run
	 * lands there and is overwritten when the containment process gets its stdio */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			return EXIT_FAULT;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("wasmatrix %s\n", WM_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "help")) {
		const char *sub = argc > 2 ? argv[2] : "";
		const char *u = rescmd_usage(sub);
		if (!u && (!strcmp(sub, "fetch") || !strcmp(sub, "publish") || !strcmp(sub, "check") ||
			   !strcmp(sub, "inspect") || !strcmp(sub, "update-baseline"))) {
			/* these print their own usage for --help */
			return main(3, (char *[]){ argv[0], argv[2], (char *)"--help", NULL });
		}
		fputs(u ? u : !strcmp(sub, "run") ? usage_run : !strcmp(sub, "runtimes") ? usage_runtimes : usage_main, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1, argc, argv);
	if (!strcmp(cmd, "runtimes"))
		return cmd_runtimes(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return rescmd_report(argc - 1, argv + 1);
	if (!strcmp(cmd, "merge"))
		return rescmd_merge(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return rescmd_compare(argc - 1, argv + 1);
	if (!strcmp(cmd, "fetch"))
		return cmd_fetch(argc - 1, argv + 1);
	if (!strcmp(cmd, "update-baseline"))
		return cmd_update_baseline(argc - 1, argv + 1);
	if (!strcmp(cmd, "publish"))
		return cmd_publish(argc - 1, argv + 1);
	if (!strcmp(cmd, "inspect"))
		return check_inspect_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "check"))
		return cmd_check(argc - 1, argv + 1);
	static const char *const cmds[] = { "run", "runtimes", "help", "inspect", "check", "fetch", "publish", "update-baseline",
		"report", "merge", "compare" };
	const char *near = closest_word(cmd, cmds, sizeof cmds / sizeof *cmds);
	fprintf(stderr, "wasmatrix: unknown command '%s'%s%s%s\n\n%s", cmd, near ? "; did you mean '" : "",
		near ? near : "", near ? "'?" : "", usage_main);
	return EXIT_USAGE;
}
