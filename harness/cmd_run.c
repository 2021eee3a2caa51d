/* cmd_run.c - `wasmatrix run`: suites loaded (load.h), runtimes selected and probed
 * (adapter.h), the run executed (run.h) and judged, baselines applied (baseline.h), the
 * results and reports written (results.h, report.h), and what happened mapped to the
 * exit code. */
#define _GNU_SOURCE
#include "cmd.h"
#include "adapter.h"
#include "baseline.h"
#include "diag.h"
#include "load.h"
#include "report.h"
#include "resfile.h"
#include "results.h"
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

#ifndef WM_VERSION
#define WM_VERSION "0.1.0"
#endif

const char cmd_run_usage[] =
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
	struct resfile rf;
	json_incref(doc);
	int rc = resfile_from_doc(&rf, doc, "results", &d);
	if (rc < 0) {
		/* our own output failed validation: a harness bug */
		diag_print(&d, stderr, cmd_color_err());
		diag_release(&d);
		resfile_release(&rf);
		return -1;
	}
	diag_release(&d);
	struct report_opts o;
	cmd_report_opts(&o);
	char *copy = xstrdup(list), *save = NULL;
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
	resfile_release(&rf);
	return rc;
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

int cmd_run(int argc, char **argv, const struct cmd_ctx *cx)
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
		int nr = cmd_net_option(&net, c, optarg);
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
			if (!cmd_parse_long(optarg, 1, 1024, &jobs)) {
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
			if (!cmd_parse_long(optarg, 1024, 1L << 34, &cap)) {
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
			if (check_formats(optarg) < 0) {
				net_opts_release(&net);
				return EXIT_USAGE;
			}
			formats = optarg;
			break;
		case 'h': fputs(cmd_run_usage, stdout); net_opts_release(&net); return EXIT_OK;
		default: fputs(cmd_run_usage, stderr); net_opts_release(&net); return EXIT_USAGE;
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
	adapter_load_dir(&all, &nall, p.runners, &d);
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
	struct results_meta meta = { cx->argc, cx->argv, (int)jobs, timeout, WM_VERSION };
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
		if (formats && write_formats(doc, formats, out) < 0)
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
