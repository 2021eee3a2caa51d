/* cmd_features.c - `wasmatrix features RESULTS.json`: the measured feature matrix of a
 * run of suites/features and its diff against the claims (features.h), written by one of
 * its renderers (reports/features_*.c). */
#define _GNU_SOURCE
#include "cmd.h"
#include "featmatrix.h"
#include "term.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HELP_LINE(n, file, what, fn) "  " #n "\t" what "\n"
const char cmd_features_usage[] =
	"usage: wasmatrix features RESULTS.json [--format text|md|json] [--claims FILE] [-o OUT]\n"
	"\n"
	"The measured feature matrix of a run holding the feature probes (suites/features):\n"
	"per feature and runtime, works by default, with the adapter's flag, or refused /\n"
	"wrong result / crash / timeout; and every cell where that disagrees with the\n"
	"webassembly.org/features claims for the installed version (docs/features.md).\n"
	"\n"
	"formats:\n"
	FEATURES_FORMATS(HELP_LINE)
	"\n"
	"  -F, --format FORMAT    one of the formats above (the first is the default)\n"
	"      --claims FILE      the claims table (default: the vendored copy,\n"
	"                         " CLAIMS_DEFAULT_PATH ")\n"
	"  -o, --out FILE         write to FILE (default: standard output)\n"
	"      --color WHEN       text: auto, always or never\n"
	"  -h, --help             this help\n"
	"exit codes: 0 written, 2 bad usage, results or claims file, 3 cannot write,\n"
	"            4 the results hold no feature probe\n";
#undef HELP_LINE

struct fopts {
	const char *format, *claims, *out, *when;
};

/* Builds the matrix and writes it; an exit code. */
static int features_write(const struct results *rf, const struct fopts *fo, const struct features_reporter *rp)
{
	struct diag d = DIAG_INIT;
	char *dflt = fo->claims ? NULL : cmd_claims_path();
	struct featmatrix fm;
	int rc = featmatrix_build(&fm, rf, fo->claims ? fo->claims : dflt, &d);
	diag_print(&d, stderr, cmd_color_err());
	diag_release(&d);
	struct features_opts o = { false };
	struct wfile wf;
	char *why = NULL;
	if (rc < 0)
		rc = EXIT_USAGE;
	else if (!term_color_choice(fo->when, isatty(1) && !fo->out, &o.color))
		fprintf(stderr, "wasmatrix features: --color takes auto, always or never, not '%s'\n", fo->when), rc = EXIT_USAGE;
	else if (wfile_open(&wf, fo->out ? fo->out : "-", &why) < 0)
		rc = EXIT_FAULT;
	else if (rp->render(&fm, &o, wf.f, &why) < 0)
		wfile_abort(&wf), rc = EXIT_FAULT;
	else
		rc = wfile_commit(&wf, &why) < 0 ? EXIT_FAULT : EXIT_OK;
	if (rc == EXIT_FAULT)
		fprintf(stderr, "wasmatrix features: %s\n", why ? why : "write error");
	free(why);
	free(dflt);
	featmatrix_release(&fm);
	return rc;
}

int cmd_features(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "format", required_argument, 0, 'F' },
		{ "claims", required_argument, 0, 'C' }, { "out", required_argument, 0, 'o' },
		{ "color", required_argument, 0, 'c' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	struct fopts fo = { features_reporter_all()[0]->name, NULL, NULL, "auto" };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "F:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F': fo.format = optarg; break;
		case 'C': fo.claims = optarg; break;
		case 'o': fo.out = optarg; break;
		case 'c': fo.when = optarg; break;
		case 'h': fputs(cmd_features_usage, stdout); return EXIT_OK;
		default: fputs(cmd_features_usage, stderr); return EXIT_USAGE;
		}
	}
	const struct features_reporter *rp = features_reporter_find(fo.format);
	if (!rp) {
		fprintf(stderr, "wasmatrix features: --format takes text, md or json, not '%s'\n", fo.format);
		return EXIT_USAGE;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "wasmatrix features: give one results file\n\n%s", cmd_features_usage);
		return EXIT_USAGE;
	}
	struct results rf;
	int rc = cmd_load_results(&rf, argv[optind]) < 0 ? EXIT_USAGE : EXIT_OK;
	if (rc == EXIT_OK && !featmatrix_any(&rf)) {
		fprintf(stderr, "wasmatrix features: %s holds no feature probe (run suites/features)\n", argv[optind]);
		rc = EXIT_NOTHING;
	}
	if (rc == EXIT_OK)
		rc = features_write(&rf, &fo, rp);
	results_release_at_exit(&rf);
	return rc;
}
