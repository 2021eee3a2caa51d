/* cmd_merge.c - `wasmatrix merge`: results files (shards) joined into one by merge.h. */
#define _GNU_SOURCE
#include "cmd.h"
#include "diag.h"
#include "merge.h"
#include "results_read.h"
#include "results_write.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_merge_usage[] =
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

int cmd_merge(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
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
		case 'h': fputs(cmd_merge_usage, stdout); return EXIT_OK;
		default: fputs(cmd_merge_usage, stderr); return EXIT_USAGE;
		}
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "wasmatrix merge: %s\n\n%s", !out ? "where to? give -o ALL.json" : "no results files given",
			cmd_merge_usage);
		return EXIT_USAGE;
	}
	size_t n = (size_t)(argc - optind);
	struct results *in = xcalloc(n, sizeof *in);
	int rc = EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (cmd_load_results(&in[i], argv[optind + (int)i]) < 0)
			rc = EXIT_USAGE;
	json_t *doc = NULL;
	if (rc == EXIT_OK) {
		struct diag d = DIAG_INIT;
		doc = merge_docs(in, n, force, &d);
		diag_print(&d, stderr, cmd_color_err());
		if (!doc) {
			fprintf(stderr, "wasmatrix merge: nothing written\n");
			rc = EXIT_USAGE;
		}
		diag_release(&d);
	}
	if (doc) {
		if (!strcmp(out, "-")) {
			json_t *file = results_for_file(doc);
			json_dumpf(file, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
			json_decref(file);
			putchar('\n');
		} else {
			char *why = NULL;
			if (results_write(doc, out, &why) < 0) {
				fprintf(stderr, "wasmatrix merge: %s\n", why);
				rc = EXIT_FAULT;
			}
			free(why);
		}
		json_decref(doc);
	}
	for (size_t i = 0; i < n; i++)
		results_release(&in[i]);
	free(in);
	return rc;
}
