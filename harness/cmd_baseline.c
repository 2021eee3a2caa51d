/* cmd_baseline.c - `wasmatrix update-baseline RESULTS.json --baseline DIR`: the
 * baseline files (baseline.h) written from a results file. */
#define _GNU_SOURCE
#include "cmd.h"
#include "baseline.h"
#include "arch.h"
#include "diag.h"
#include "judge.h"
#include "results_read.h"
#include "term.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Is name "<adapter>/<arch>", a column of another architecture (a known arch after a name
 * a baseline file could have)? Other names with '/' stay refused as file names. */
static bool arch_column(const char *name)
{
	const char *sl = strchr(name, '/');
	if (!sl || !arch_find(sl + 1))
		return false;
	char *base = xstrndup(name, (size_t)(sl - name));
	bool ok = baseline_runtime_name_ok(base);
	free(base);
	return ok;
}

const char cmd_update_baseline_usage[] =
	"usage: wasmatrix update-baseline RESULTS.json --baseline DIR\n"
	"\n"
	"Writes DIR/<runtime>.yaml for every runtime that ran in RESULTS.json: one entry per\n"
	"failing test, keeping the reason, link and conditions of an existing entry that\n"
	"matched it, dropping entries whose tests now pass, and marking new entries\n"
	"NEEDS-REASON (see docs/baselines.md). The same as run --update-baseline, from a file.\n";

int cmd_update_baseline(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "baseline", required_argument, 0, 'B' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *dir = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'B': dir = optarg; break;
		case 'h': fputs(cmd_update_baseline_usage, stdout); return EXIT_OK;
		default: fputs(cmd_update_baseline_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || !dir) {
		fprintf(stderr, "wasmatrix update-baseline: %s\n\n%s", !dir ? "--baseline DIR is required"
			: "give exactly one results file", cmd_update_baseline_usage);
		return EXIT_USAGE;
	}
	struct diag d = DIAG_INIT;
	struct results rf = { 0 };
	struct baseline bl = { 0 };
	bool color = false;
	term_color_choice("auto", isatty(2), &color);
	if (fs_is_dir(dir))
		baseline_load(&bl, dir, &d);
	if (results_load(&rf, argv[optind], &d) == 0) {
		/* entries of the tests that did not run would be dropped as if they passed */
		json_t *inc = json_object_get(rf.doc, "incomplete");
		if (json_is_object(inc))
			diag_error(&d, argv[optind], 0, 0, "the run was stopped (%s after %lld of %lld results): "
				   "update the baseline from a run that finished", results_str(inc, "signal") ?
				   results_str(inc, "signal") : "signal", results_int(inc, "results", 0),
				   results_int(inc, "planned", 0));
	}
	diag_print(&d, stderr, color);
	int rc = EXIT_OK;
	if (d.errors) {
		rc = EXIT_USAGE;
	} else {
		struct baseline_obs *obs = xcalloc(rf.nresults + 1, sizeof *obs);
		size_t n = 0;
		for (size_t i = 0; i < rf.nresults; i++) {
			json_t *x = json_array_get(rf.results, i);
			size_t r = rf.res_rt[i];
			if (!results_rt_available(&rf, r))
				continue;
			json_t *rt = json_array_get(rf.runtimes, r);
			/* "<adapter>/<arch>" shares the adapter's file: its entries need when: arch:
			 * (docs/architectures.md), as run --update-baseline says */
			if (arch_column(results_str_or_empty(rt, "name")))
				continue;
			obs[n++] = (struct baseline_obs){ results_str(rt, "name"), results_str(rt, "version"),
						    results_str(x, "test"), results_str(x, "reason"), results_outcome(x) };
		}
		for (size_t r = 0; r < rf.nrts; r++) {
			const char *nm = results_str_or_empty(json_array_get(rf.runtimes, r), "name");
			if (arch_column(nm) && results_rt_available(&rf, r))
				fprintf(stderr, "wasmatrix update-baseline: %s left out: it shares %.*s.yaml; add its own "
					"entries with 'when: {arch: %s}' (docs/architectures.md)\n", nm,
					(int)(strchr(nm, '/') - nm), nm, results_rt_arch(&rf, r));
		}
		int w = baseline_write(&bl, obs, n, dir);
		if (w < 0)
			rc = w == -2 ? EXIT_USAGE : EXIT_FAULT;
		free(obs);
	}
	results_release(&rf);
	baseline_release(&bl);
	diag_release(&d);
	return rc;
}
