/* cmd_compare.c - `wasmatrix compare OLD NEW`: what changed between two runs, rendered
 * by compare.h; exit 1 on regressions. */
#define _GNU_SOURCE
#include "cmd.h"
#include "compare.h"
#include "results_read.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_compare_usage[] =
	"usage: wasmatrix compare OLD.json NEW.json [--format md|html] [-o OUT]\n"
	"\n"
	"What changed between two runs: regressions (an expected result that became\n"
	"unexpected), fixes, other outcome changes, new and removed tests, runtime versions.\n"
	"\n"
	"  -F, --format md|html  output format (default md)\n"
	"  -o, --out FILE        write to FILE (default: standard output)\n"
	"  -h, --help            this help\n"
	"exit codes: 0 no regression, 1 regressions, 2 bad usage or invalid input, 3 cannot write\n";

int cmd_compare(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "format", required_argument, 0, 'F' },
		{ "out", required_argument, 0, 'o' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *format = compare_reporter_all()[0]->name, *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "F:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F': format = optarg; break;
		case 'o': out = optarg; break;
		case 'h': fputs(cmd_compare_usage, stdout); return EXIT_OK;
		default: fputs(cmd_compare_usage, stderr); return EXIT_USAGE;
		}
	}
	const struct compare_reporter *cr = compare_reporter_find(format);
	if (!cr) {
		fprintf(stderr, "wasmatrix compare: --format takes ");
		for (const struct compare_reporter *const *r = compare_reporter_all(); *r; r++)
			fprintf(stderr, "%s%s", (*r)->name, r[1] ? (r[2] ? ", " : " or ") : "");
		fprintf(stderr, ", not '%s'\n", format);
		return EXIT_USAGE;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "wasmatrix compare: give two results files, OLD and NEW\n\n%s", cmd_compare_usage);
		return EXIT_USAGE;
	}
	struct results old, nw;
	int lo = cmd_load_results(&old, argv[optind]), ln = cmd_load_results(&nw, argv[optind + 1]);
	int rc = EXIT_OK;
	if (lo < 0 || ln < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	struct wfile wf;
	char *why = NULL;
	if (wfile_open(&wf, out ? out : "-", &why) < 0) {
		fprintf(stderr, "wasmatrix compare: %s\n", why);
		free(why);
		rc = EXIT_FAULT;
		goto out;
	}
	struct compare_counts cc;
	int w = compare_write(&old, &nw, cr, wf.f, &cc, &why);
	if (w < 0)
		wfile_abort(&wf);
	else if (wfile_commit(&wf, &why) < 0)
		w = -1;
	if (w < 0) {
		fprintf(stderr, "wasmatrix compare: %s\n", why ? why : "write error");
		free(why);
		rc = EXIT_FAULT;
	} else if (cc.regressions) {
		fprintf(stderr, "wasmatrix compare: %zu regression%s\n", cc.regressions, cc.regressions == 1 ? "" : "s");
		rc = EXIT_UNEXPECTED;
	}
out:
	results_release_at_exit(&old);
	results_release_at_exit(&nw);
	return rc;
}
