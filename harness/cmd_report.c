/* cmd_report.c - `wasmatrix report`: one results file rendered by one reporter
 * (reports/, report.h). */
#define _GNU_SOURCE
#include "cmd.h"
#include "report.h"
#include "results_read.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_report_usage[] =
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
	"      --claims FILE      html, md: the claims table the feature matrix of a run with\n"
	"                         feature probes is compared with (default: the vendored copy)\n"
	"  -h, --help             this help\n"
	"exit codes: 0 written, 2 bad usage or invalid results file, 3 cannot write\n";

int cmd_report(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "format", required_argument, 0, 'F' },
		{ "out", required_argument, 0, 'o' }, { "max-output", required_argument, 0, 'M' },
		{ "claims", required_argument, 0, 'C' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *format = "md", *out = "-";
	struct report_opts o;
	cmd_report_opts(&o);
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
				return EXIT_USAGE;
			}
			break;
		case 'C': o.claims = optarg; break;
		case 'h': fputs(cmd_report_usage, stdout); return EXIT_OK;
		default: fputs(cmd_report_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "wasmatrix report: %s\n\n%s", optind < argc ? "give exactly one results file" :
			"which results file? (e.g. wasmatrix-out/results.json)", cmd_report_usage);
		return EXIT_USAGE;
	}
	const struct reporter *rp = report_find(format);
	if (!rp) {
		fprintf(stderr, "wasmatrix report: unknown format '%s'; formats: ", format);
		cmd_list_formats(stderr);
		return EXIT_USAGE;
	}
	if (o.claims && cmd_check_claims(o.claims) < 0)
		return EXIT_USAGE;
	struct results rf;
	if (cmd_load_results(&rf, argv[optind]) < 0) {
		results_release(&rf);
		return EXIT_USAGE;
	}
	char *dflt = o.claims ? NULL : cmd_claims_path();
	if (!o.claims)
		o.claims = dflt;
	int rc = report_write(rp, &rf, &o, out) < 0 ? EXIT_FAULT : EXIT_OK;
	free(dflt);
	results_release_at_exit(&rf);
	return rc;
}
