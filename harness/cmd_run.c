/* cmd_run.c - `wasmatrix run`: suites loaded (load.h), runtimes selected and probed
 * (adapter.h), the run executed (run.h) and judged, baselines applied (baseline.h), the
 * results and reports written (results_write.h, report.h), and what happened mapped to the
 * exit code. */
#define _GNU_SOURCE
#include "cmd.h"
#include "adapter.h"
#include "baseline.h"
#include "diag.h"
#include "plan.h"
#include "report.h"
#include "results_read.h"
#include "results_write.h"
#include "run.h"
#include "shard.h"
#include "term.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char cmd_run_usage[] =
	"usage: wasmatrix run [SUITE...] [options]\n"
	"\n"
	"SUITE is a suite YAML file, a directory holding suite.yaml, a directory in the\n"
	"official wasi-testsuite layout (manifest.json + *.wasm), or the URL of an archive of\n"
	"suites written URL#sha256=HEX (every suite inside is run). Default: the bundled suites.\n"
	"\n"
	"  -r, --runtime R,...   runtimes to use (default: every adapter; missing ones skip);\n"
	"                        R/ARCH names one architecture's (wasmtime/aarch64)\n"
	"      --arch A,...      architectures: x86_64, aarch64 (default: the host's and every\n"
	"                        one with runtimes installed; others run emulated: see\n"
	"                        docs/architectures.md; also WASMATRIX_ARCH)\n"
	"  -f, --filter GLOB,... only tests whose id, name or suite matches a glob\n"
	"  -j, --jobs N          parallel runs (default: number of cores)\n"
	"  -t, --timeout S       timeout in seconds for tests that set none (default 10)\n"
	"  -o, --out DIR         write DIR/results.json (default: wasmatrix-out)\n"
	"      --cap BYTES       capture cap per output stream (default 4194304)\n"
	"      --list            list the selected tests and runtimes, run nothing\n"
	"      --keep            keep the temporary directories of unexpected results\n"
	"      --cold            run without the runtimes' compile caches (a fresh HOME and\n"
	"                        nothing kept, for measuring start-up; also WASMATRIX_COLD=1)\n"
	"      --warm-launch     run runtimes whose adapter has a launcher (node) in one per\n"
	"                        worker instead of a fresh process per test (also\n"
	"                        WASMATRIX_WARM_LAUNCH=1; docs/adapters.md \"Warm launchers\")\n"
	"      --compile-timeout S  limit of compiling a module into a cache after a cold\n"
	"                        run timed out (default 600)\n"
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

/* Checks a comma-separated --format list (term, json and every reporter). Returns 0,
 * or -1 after printing what is wrong. */
static int check_formats(const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (strcmp(f, "term") && !report_find(f)) {
			fprintf(stderr, "wasmatrix run: unknown --format '%s'; formats: term, ", f);
			cmd_list_formats(stderr);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

/* Writes the reports named in 'list' for a finished run's document (borrowed) into
 * 'outdir' (term and json are skipped: the caller does those). Returns 0, or -1 after
 * printing the problem. */
static int write_formats(json_t *doc, const char *list, const char *outdir)
{
	struct diag d = DIAG_INIT;
	struct results rf;
	json_incref(doc);
	int rc = results_from_doc(&rf, doc, "results", &d);
	if (rc < 0) {
		/* our own output failed validation: a harness bug */
		diag_print(&d, stderr, cmd_color_err());
		diag_release(&d);
		results_release(&rf);
		return -1;
	}
	diag_release(&d);
	struct report_opts o;
	cmd_report_opts(&o);
	char *claims = cmd_claims_path(), *copy = xstrdup(list), *save = NULL;
	o.claims = claims;
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		const struct reporter *rp = report_find(f);
		if (!rp || !strcmp(f, "json"))
			continue;
		char *path = path_join(outdir, rp->file);
		if (report_write(rp, &rf, &o, path) < 0)
			rc = -1;
		else
			printf("%s: %s\n", rp->name, path);
		free(path);
	}
	free(copy);
	free(claims);
	results_release(&rf);
	return rc;
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
	if (fs_mkdir_p(out) < 0) {
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
	json_t *file = results_for_file(doc);
	int rc = json_dumpfd(file, fd, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(file);
	if (close(fd) != 0 || rc != 0) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/* One `wasmatrix run`: what the command line asked, and what the command holds until
 * it returns (released by runcmd_release). */
struct runcmd {
	struct net_opts net;
	const char *runtimes, *filter, *out, *runners, *color_when, *baseline_path, *shard, *shard_count;
	const char *run_id, *formats, *arches;
	bool update_baseline, list, keep, color, ecolor, cold, warm_launch;
	long jobs, cap;
	double timeout, compile_timeout;
	unsigned shard_k, shard_n;
	struct paths p;
	struct plan plan;	/* what runs: suites, tests, runtimes, baseline */
	struct sigwatch watch;
	int out_lock;
};

/* One option of the getopt_long loop. Returns -1 when taken, else the exit code. */
static int run_option(struct runcmd *rc, int c, char *arg)
{
	char *e;
	int nr = cmd_net_option(&rc->net, c, arg);
	if (nr)
		return nr < 0 ? EXIT_USAGE : -1;
	switch (c) {
	case 'r': rc->runtimes = arg; break;
	case 'A': rc->arches = arg; break;
	case 'f': rc->filter = arg; break;
	case 'j':
		if (!cmd_parse_long(arg, 1, 1024, &rc->jobs)) {
			fprintf(stderr, "wasmatrix run: --jobs takes a number from 1 to 1024, not '%s'\n", arg);
			return EXIT_USAGE;
		}
		break;
	case 't':
		rc->timeout = strtod(arg, &e);
		if (e == arg || *e || !(rc->timeout > 0) || rc->timeout > 86400) {
			fprintf(stderr, "wasmatrix run: --timeout takes seconds (> 0), not '%s'\n", arg);
			return EXIT_USAGE;
		}
		break;
	case 'o': rc->out = arg; break;
	case 'C':
		if (!cmd_parse_long(arg, 1024, 1L << 34, &rc->cap)) {
			fprintf(stderr, "wasmatrix run: --cap takes a byte count >= 1024, not '%s'\n", arg);
			return EXIT_USAGE;
		}
		break;
	case 'L': rc->list = true; break;
	case 'W': rc->cold = true; break;
	case 'H': rc->warm_launch = true; break;
	case 'T':
		rc->compile_timeout = strtod(arg, &e);
		if (e == arg || *e || !(rc->compile_timeout > 0) || rc->compile_timeout > 86400) {
			fprintf(stderr, "wasmatrix run: --compile-timeout takes seconds (> 0), not '%s'\n", arg);
			return EXIT_USAGE;
		}
		break;
	case 'K': rc->keep = true; break;
	case 'R': rc->runners = arg; break;
	case 'c': rc->color_when = arg; break;
	case 'B': rc->baseline_path = arg; break;
	case 'U': rc->update_baseline = true; break;
	case 'S': rc->shard = arg; break;
	case 'N': rc->shard_count = arg; break;
	case 'I': rc->run_id = arg; break;
	case 'F':
		if (check_formats(arg) < 0)
			return EXIT_USAGE;
		rc->formats = arg;
		break;
	case 'h': fputs(cmd_run_usage, stdout); return EXIT_OK;
	default: fputs(cmd_run_usage, stderr); return EXIT_USAGE;
	}
	return -1;
}

/* The options, checked. Returns -1 to go on, else the exit code. */
static int run_options(struct runcmd *rc, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runtime", required_argument, 0, 'r' }, { "arch", required_argument, 0, 'A' }, { "filter", required_argument, 0, 'f' },
		{ "jobs", required_argument, 0, 'j' }, { "timeout", required_argument, 0, 't' },
		{ "out", required_argument, 0, 'o' }, { "cap", required_argument, 0, 'C' },
		{ "list", no_argument, 0, 'L' }, { "keep", no_argument, 0, 'K' },
		{ "cold", no_argument, 0, 'W' }, { "warm-launch", no_argument, 0, 'H' }, { "compile-timeout", required_argument, 0, 'T' },
		{ "runners", required_argument, 0, 'R' }, { "color", required_argument, 0, 'c' },
		{ "baseline", required_argument, 0, 'B' }, { "update-baseline", no_argument, 0, 'U' },
		{ "shard", required_argument, 0, 'S' }, { "shard-count", required_argument, 0, 'N' },
		{ "run-id", required_argument, 0, 'I' }, { "format", required_argument, 0, 'F' }, NET_LONG_OPTIONS,
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	int c, r;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:f:j:t:o:h", opts, NULL)) != -1)
		if ((r = run_option(rc, c, optarg)) >= 0)
			return r;
	if (!term_color_choice(rc->color_when, isatty(1), &rc->color)) {
		fprintf(stderr, "wasmatrix run: --color takes auto, always or never, not '%s'\n", rc->color_when);
		return EXIT_USAGE;
	}
	if (rc->update_baseline && !rc->baseline_path) {
		fprintf(stderr, "wasmatrix run: --update-baseline needs --baseline DIR (where to write)\n");
		return EXIT_USAGE;
	}
	if (rc->shard) {
		const char *src;
		char *why;
		if (shard_parse(rc->shard, rc->shard_count, &rc->shard_k, &rc->shard_n, &src, &why) < 0) {
			fprintf(stderr, "wasmatrix run: %s\n", why);
			free(why);
			return EXIT_USAGE;
		}
		if (strcmp(rc->shard, "auto") == 0)
			fprintf(stderr, "wasmatrix: shard %u of %u (from %s)\n", rc->shard_k, rc->shard_n, src);
	}
	rc->ecolor = rc->color && isatty(2);
	if (!strcmp(rc->color_when, "always"))
		rc->ecolor = true;
	return -1;
}

/* Builds the plan (plan.h); with --list prints it. Returns -1 to go on and run, else
 * the exit code. */
static int run_plan(struct runcmd *rc, const struct strvec *suites)
{
	const char *env_arch = getenv("WASMATRIX_ARCH");
	struct plan_opts po = { suites, &rc->net, rc->p.root, rc->p.runners, rc->p.runtimes_dir, rc->runtimes,
				rc->arches ? rc->arches : env_arch && *env_arch ? env_arch : NULL, rc->filter, rc->shard != NULL, rc->shard_k, rc->shard_n, rc->baseline_path,
				rc->update_baseline, rc->ecolor };
	int code = plan_build(&rc->plan, &po);
	if (code >= 0)
		return code;
	struct run *run = &rc->plan.run;
	if (rc->list) {
		for (size_t i = 0; i < run->nrts; i++)
			printf("runtime %-10s %s\n", run->rts[i].name,
			       run->rts[i].missing ? run->rts[i].missing : run->rts[i].version);
		for (size_t i = 0; i < run->ntests; i++)
			printf("test %s%s%s\n", run->tests[i]->id, run->tests[i]->skip ? "  (skip: " : "",
			       run->tests[i]->skip ? run->tests[i]->skip : "");
		printf("%zu tests × %zu runtimes (%zu available)\n", run->ntests, run->nrts, rc->plan.avail);
		return run->ntests && run->nrts ? EXIT_OK : EXIT_NOTHING;
	}
	if (!run->ntests) {
		if (rc->shard)
			fprintf(stderr, "wasmatrix run: shard %u/%u holds no test\n", rc->shard_k, rc->shard_n);
		else
			fprintf(stderr, "wasmatrix run: no test matches%s%s\n", rc->filter ? " --filter " : "",
				rc->filter ? rc->filter : "");
		return EXIT_NOTHING;
	}
	if (!rc->plan.avail) {
		fprintf(stderr, "wasmatrix run: none of the selected runtimes is available:\n");
		for (size_t i = 0; i < run->nrts; i++)
			fprintf(stderr, "  %s: %s\n", run->rts[i].name, run->rts[i].missing);
		return EXIT_NOTHING;
	}
	return -1;
}

/* The baseline after the run: expected failures applied, unused entries warned about. */
static void run_baseline(struct runcmd *rc)
{
	struct run *run = &rc->plan.run;
	if (rc->baseline_path) {
		struct diag warn = DIAG_INIT;
		baseline_apply(&rc->plan.bl, run);
		if (!run->stopped)
			baseline_warn_unused(&rc->plan.bl, run, &warn);
		diag_print(&warn, stderr, rc->ecolor);
		diag_release(&warn);
	}
}

/* The gate's verdict, printed after the summary. */
static void run_gate(const struct runcmd *rc)
{
	const struct run *run = &rc->plan.run;
	if (rc->baseline_path && !rc->update_baseline && run->stopped) {
		printf("baseline gate: not decided: the run did not finish\n");
	} else if (rc->baseline_path && !rc->update_baseline) {
		size_t unexp = 0, xpass = 0;
		for (size_t i = 0; i < run->nresults; i++) {
			unexp += outcome_unexpected(run->results[i].outcome);
			xpass += run->results[i].outcome == OUT_XPASS;
		}
		if (unexp)
			printf("baseline gate: FAILED: %zu unexpected result%s (%zu unexpected pass%s: update the baseline)\n",
			       unexp, unexp == 1 ? "" : "s", xpass, xpass == 1 ? "" : "es");
		else
			printf("baseline gate: passed (every failure is expected by %s)\n", rc->baseline_path);
	}
}

/* Writes results.json and the --format reports into --out (or rescues the results to
 * tmp). Returns 0, or -1 when something could not be written. */
static int run_write(struct runcmd *rc, const struct cmd_ctx *cx, const char *tmp)
{
	struct results_meta meta = { cx->argc, cx->argv, (int)rc->jobs, rc->timeout, WM_VERSION };
	json_t *doc = results_build(&rc->plan.run, &meta);
	char *rpath = path_join(rc->out, "results.json");
	int r = 0;
	if (results_write_file(doc, rpath) < 0) {
		fprintf(stderr, "wasmatrix run: cannot write %s: %s\n", rpath, strerror(errno));
		char *saved = results_rescue(doc, tmp);
		if (saved)
			fprintf(stderr, "wasmatrix run: the results were saved to %s instead\n", saved);
		free(saved);
		r = -1;
	} else {
		printf("results: %s\n", rpath);
		if (rc->formats && write_formats(doc, rc->formats, rc->out) < 0)
			r = -1;
	}
	free(rpath);
	json_decref(doc);
	return r;
}

/* Runs the plan: --out and TMPDIR checked first, then the tests, the baseline, the
 * summary, the results. Returns the exit code. */
static int run_execute_plan(struct runcmd *rc, const struct cmd_ctx *cx)
{
	struct run *run = &rc->plan.run;
	int code = EXIT_OK;
	/* everything that can keep the results from being written is checked now, not
	 * after hours of tests */
	if ((rc->out_lock = out_prepare(rc->out, rc->formats, &code)) < 0)
		return code;
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	char *why = NULL;
	if (run_check_tmp(tmp, &why) < 0) {
		fprintf(stderr, "wasmatrix run: %s (set TMPDIR to a writable directory)\n", why);
		free(why);
		return EXIT_FAULT;
	}
	if (!rc->cold && !run_cold_env()) {
		char *root = run_cache_root(&why);
		if (!root) {
			fprintf(stderr, "wasmatrix run: warning: %s; running cold\n", why);
			free(why);
			why = NULL;
		} else if (run_cache_prepare(run, root, &why) < 0) {
			fprintf(stderr, "wasmatrix run: compile cache: %s (or run with --cold)\n", why);
			free(why);
			free(root);
			return EXIT_USAGE;
		}
		free(root);
	}
	int maxjobs = run_jobs_max();
	if (rc->jobs > maxjobs) {
		fprintf(stderr, "wasmatrix run: running %d jobs instead of %ld: the open-file limit (ulimit -n) "
			"allows no more\n", maxjobs, rc->jobs);
		rc->jobs = maxjobs;
	}
	struct term term;
	term_init(&term, stdout, rc->color);
	sigwatch_start(&rc->watch);
	struct run_opts o = { rc->timeout, (int)rc->jobs, (size_t)rc->cap, rc->keep, tmp, term_progress, &term,
			      &rc->watch.sig, rc->compile_timeout, rc->warm_launch || run_warm_launch_env() };
	const char *run_id = rc->run_id ? rc->run_id : shard_env_run_id();
	run->id = run_id ? xstrdup(run_id) : xasprintf("%lx-%lx", (unsigned long)time(NULL), (unsigned long)getpid());
	if (!term.tty)
		printf("running %zu tests on %zu runtimes (%zu available), %ld jobs\n", run->ntests, run->nrts,
		       rc->plan.avail, rc->jobs);
	if (run_execute(run, &o) < 0)
		code = EXIT_FAULT;
	int sig = atomic_load(&rc->watch.sig);
	run_baseline(rc);
	term_summary(&term, run);
	if (run->stopped)
		printf("INCOMPLETE: stopped by SIG%s after %zu of %zu results; the results are marked incomplete\n",
		       sig > 0 && sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", run->nresults, run->planned);
	if (rc->update_baseline && run->stopped)
		fprintf(stderr, "wasmatrix run: --update-baseline: not written, the run did not finish\n");
	else if (rc->update_baseline && baseline_update(&rc->plan.bl, run, rc->baseline_path) < 0)
		code = EXIT_FAULT;
	run_gate(rc);
	if (run_write(rc, cx, tmp) < 0)
		code = EXIT_FAULT;
	if (code == EXIT_OK)
		for (size_t i = 0; i < run->nresults; i++)
			if (outcome_unexpected(run->results[i].outcome))
				code = EXIT_UNEXPECTED;
	/* a signal decides the exit code: the caller asked the run to stop */
	return sig > 0 ? EXIT_SIGNAL(sig) : code;
}

int cmd_run(int argc, char **argv, const struct cmd_ctx *cx)
{
	struct runcmd rc = { .out = "wasmatrix-out", .color_when = "auto", .jobs = sysconf(_SC_NPROCESSORS_ONLN),
			     .cap = 4 << 20, .timeout = 10, .out_lock = -1,
			     .compile_timeout = 600 };
	net_opts_init(&rc.net);
	int code = run_options(&rc, argc, argv);
	if (code >= 0) {
		net_opts_release(&rc.net);
		return code;
	}
	paths_init(&rc.p, rc.runners);
	struct strvec suites = STRVEC_INIT;
	for (int i = optind; i < argc; i++)
		strvec_push(&suites, argv[i]);
	if ((code = run_plan(&rc, &suites)) < 0)
		code = run_execute_plan(&rc, cx);
	strvec_release(&suites);
	sigwatch_stop(&rc.watch);
	if (rc.out_lock >= 0)
		close(rc.out_lock);
	net_opts_release(&rc.net);
	plan_release(&rc.plan);
	paths_release(&rc.p);
	return code;
}
