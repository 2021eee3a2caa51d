/* rescmd.c - see rescmd.h. Exit codes as everywhere: 0 fine, 1 regressions (compare),
 * 2 bad usage or an invalid input file, 3 a file could not be written. */
#define _GNU_SOURCE
#include "rescmd.h"
#include "compare.h"
#include "diag.h"
#include "merge.h"
#include "report.h"
#include "resfile.h"
#include "results.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RC_OK = 0, RC_REGRESSION = 1, RC_USAGE = 2, RC_FAULT = 3 };

static const char usage_report[] =
	"usage: wasmatrix report RESULTS.json [--format FORMAT] [-o OUT]\n"
	"\n"
	"Renders a results file (validated first) in one format:\n"
	"  html    self-contained HTML matrix (suites x runtimes, details, filters)\n"
	"  md      Markdown summary (default); with GITHUB_ACTIONS=true also appended to\n"
	"          $GITHUB_STEP_SUMMARY, plus at most 10 ::error annotations\n"
	"  junit   JUnit XML (classname = runtime.suite)\n"
	"  tap     TAP version 14\n"
	"  ctrf    CTRF JSON\n"
	"  json    the results JSON itself\n"
	"\n"
	"  -F, --format FORMAT    one of the above (default md)\n"
	"  -o, --out FILE         write to FILE (default: standard output)\n"
	"      --max-output BYTES html: stdout/stderr/diff kept per result (default 16384)\n"
	"  -h, --help             this help\n"
	"exit codes: 0 written, 2 bad usage or invalid results file, 3 cannot write\n";

static const char usage_merge[] =
	"usage: wasmatrix merge A.json B.json... -o ALL.json [--force]\n"
	"\n"
	"Joins results files (shards of one run, or runs of different runtimes) into one, with\n"
	"summary and agreement recomputed. Refuses files written by different wasmatrix\n"
	"versions, of different suites, or with different versions of the same runtime unless\n"
	"--force. A (test, runtime) result found in two files, or a test defined differently\n"
	"in two files, is always an error.\n"
	"\n"
	"  -o, --out FILE   the merged results file (required; '-' for standard output)\n"
	"      --force      merge despite different suites or versions\n"
	"  -h, --help       this help\n"
	"exit codes: 0 merged, 2 bad usage, invalid input or refused, 3 cannot write\n";

static const char usage_compare[] =
	"usage: wasmatrix compare OLD.json NEW.json [--format md|html] [-o OUT]\n"
	"\n"
	"What changed between two runs: regressions (an expected result that became\n"
	"unexpected), fixes, other outcome changes, new and removed tests, runtime versions.\n"
	"\n"
	"  -F, --format md|html  output format (default md)\n"
	"  -o, --out FILE        write to FILE (default: standard output)\n"
	"  -h, --help            this help\n"
	"exit codes: 0 no regression, 1 regressions, 2 bad usage or invalid input, 3 cannot write\n";

const char *rescmd_usage(const char *cmd)
{
	return !strcmp(cmd, "report") ? usage_report : !strcmp(cmd, "merge") ? usage_merge :
	       !strcmp(cmd, "compare") ? usage_compare : NULL;
}

static bool color_err(void)
{
	const char *nc = getenv("NO_COLOR"), *fc = getenv("FORCE_COLOR");
	if (nc && *nc)
		return false;
	return (fc && *fc) || isatty(2);
}

static int load(struct resfile *rf, const char *path)
{
	struct diag d = DIAG_INIT;
	int rc = resfile_load(rf, path, &d);
	diag_print(&d, stderr, color_err());
	diag_release(&d);
	return rc;
}

static void opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof *o);
	const char *gh = getenv("GITHUB_ACTIONS");
	o->github = gh && !strcmp(gh, "true");
	o->step_summary = getenv("GITHUB_STEP_SUMMARY");
	o->annotations = stdout;
}

static void list_formats(FILE *f)
{
	const struct reporter *const *all = report_all();
	for (size_t i = 0; all[i]; i++)
		fprintf(f, "%s%s", i ? ", " : "", all[i]->name);
	fputc('\n', f);
}

int rescmd_report(int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, 0, 'F' },
		{ "out", required_argument, 0, 'o' }, { "max-output", required_argument, 0, 'M' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *format = "md", *out = "-";
	struct report_opts o;
	opts_init(&o);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "F:o:h", opts, NULL)) != -1) {
		char *e;
		switch (c) {
		case 'F': format = optarg; break;
		case 'o': out = optarg; break;
		case 'M':
			errno = 0;
			o.max_output = strtoul(optarg, &e, 10);
			if (errno || e == optarg || *e || o.max_output < 64) {
				fprintf(stderr, "wasmatrix report: --max-output takes a byte count >= 64, not '%s'\n", optarg);
				return RC_USAGE;
			}
			break;
		case 'h': fputs(usage_report, stdout); return RC_OK;
		default: fputs(usage_report, stderr); return RC_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "wasmatrix report: %s\n\n%s", optind < argc ? "give exactly one results file" :
			"which results file? (e.g. wasmatrix-out/results.json)", usage_report);
		return RC_USAGE;
	}
	const struct reporter *rp = report_find(format);
	if (!rp) {
		fprintf(stderr, "wasmatrix report: unknown format '%s'; formats: ", format);
		list_formats(stderr);
		return RC_USAGE;
	}
	struct resfile rf;
	if (load(&rf, argv[optind]) < 0) {
		resfile_release(&rf);
		return RC_USAGE;
	}
	int rc = report_write(rp, &rf, &o, out) < 0 ? RC_FAULT : RC_OK;
	resfile_release(&rf);
	return rc;
}

int rescmd_merge(int argc, char **argv)
{
	static const struct option opts[] = { { "out", required_argument, 0, 'o' },
		{ "force", no_argument, 0, 'f' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *out = NULL;
	bool force = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 'h': fputs(usage_merge, stdout); return RC_OK;
		default: fputs(usage_merge, stderr); return RC_USAGE;
		}
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "wasmatrix merge: %s\n\n%s", !out ? "where to? give -o ALL.json" : "no results files given",
			usage_merge);
		return RC_USAGE;
	}
	size_t n = (size_t)(argc - optind);
	struct resfile *in = xcalloc(n, sizeof *in);
	int rc = RC_OK;
	for (size_t i = 0; i < n; i++)
		if (load(&in[i], argv[optind + (int)i]) < 0)
			rc = RC_USAGE;
	json_t *doc = NULL;
	if (rc == RC_OK) {
		struct diag d = DIAG_INIT;
		doc = merge_docs(in, n, force, &d);
		diag_print(&d, stderr, color_err());
		if (!doc) {
			fprintf(stderr, "wasmatrix merge: nothing written\n");
			rc = RC_USAGE;
		}
		diag_release(&d);
	}
	if (doc) {
		if (!strcmp(out, "-")) {
			json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
			putchar('\n');
		} else {
			char *why = NULL;
			if (results_write(doc, out, &why) < 0) {
				fprintf(stderr, "wasmatrix merge: %s\n", why);
				rc = RC_FAULT;
			}
			free(why);
		}
		json_decref(doc);
	}
	for (size_t i = 0; i < n; i++)
		resfile_release(&in[i]);
	free(in);
	return rc;
}

int rescmd_compare(int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, 0, 'F' },
		{ "out", required_argument, 0, 'o' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *format = "md", *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "F:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F': format = optarg; break;
		case 'o': out = optarg; break;
		case 'h': fputs(usage_compare, stdout); return RC_OK;
		default: fputs(usage_compare, stderr); return RC_USAGE;
		}
	}
	if (strcmp(format, "md") && strcmp(format, "html")) {
		fprintf(stderr, "wasmatrix compare: --format takes md or html, not '%s'\n", format);
		return RC_USAGE;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "wasmatrix compare: give two results files, OLD and NEW\n\n%s", usage_compare);
		return RC_USAGE;
	}
	struct resfile old, nw;
	int lo = load(&old, argv[optind]), ln = load(&nw, argv[optind + 1]);
	int rc = RC_OK;
	if (lo < 0 || ln < 0) {
		rc = RC_USAGE;
		goto out;
	}
	struct wfile wf;
	char *why = NULL;
	if (wfile_open(&wf, out ? out : "-", &why) < 0) {
		fprintf(stderr, "wasmatrix compare: %s\n", why);
		free(why);
		rc = RC_FAULT;
		goto out;
	}
	struct compare_counts cc;
	int w = compare_write(&old, &nw, format, wf.f, &cc);
	if (w < 0)
		wfile_abort(&wf);
	else if (wfile_commit(&wf, &why) < 0)
		w = -1;
	if (w < 0) {
		fprintf(stderr, "wasmatrix compare: %s\n", why ? why : "write error");
		free(why);
		rc = RC_FAULT;
	} else if (cc.regressions) {
		fprintf(stderr, "wasmatrix compare: %zu regression%s\n", cc.regressions, cc.regressions == 1 ? "" : "s");
		rc = RC_REGRESSION;
	}
out:
	resfile_release(&old);
	resfile_release(&nw);
	return rc;
}

int rescmd_check_formats(const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (strcmp(f, "term") && !report_find(f)) {
			fprintf(stderr, "wasmatrix run: unknown --format '%s'; formats: term, ", f);
			list_formats(stderr);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

int rescmd_write_formats(json_t *doc, const char *list, const char *outdir)
{
	struct diag d = DIAG_INIT;
	struct resfile rf;
	json_incref(doc);
	int rc = resfile_from_doc(&rf, doc, "results", &d);
	if (rc < 0) {
		/* our own output failed validation: a harness bug */
		diag_print(&d, stderr, color_err());
		diag_release(&d);
		resfile_release(&rf);
		return -1;
	}
	diag_release(&d);
	struct report_opts o;
	opts_init(&o);
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
