/* cmd_runtimes.c - `wasmatrix runtimes`: every adapter (adapter.h) probed, with its
 * version and path or how to install it. */
#define _GNU_SOURCE
#include "cmd.h"
#include "adapter.h"
#include "diag.h"
#include "term.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char cmd_runtimes_usage[] =
	"usage: wasmatrix runtimes [--runners DIR] [--json]\n"
	"\n"
	"Lists every runner adapter: found (version and path) or not found (how to install).\n"
	"Runtimes are searched in $WASMATRIX_RUNTIMES_DIR (default <project>/.runtimes/bin),\n"
	"then on PATH; an adapter's find.env variable overrides the path.\n";

int cmd_runtimes(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
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
		case 'h': fputs(cmd_runtimes_usage, stdout); return EXIT_OK;
		default: fputs(cmd_runtimes_usage, stderr); return EXIT_USAGE;
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
	term_color_choice("auto", isatty(2), &color);
	if (adapter_load_dir(&rts, &n, p.runners, &d) < 0) {
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
			/* the WASI versions it runs (adapter key versions; default preview1) */
			json_t *wv = json_array();
			for (size_t k = 0; k < a->nversions; k++)
				json_array_append_new(wv, json_string(a->versions[k].name));
			if (!a->nversions)
				json_array_append_new(wv, json_string("wasm32-wasip1"));
			json_object_set_new(j, "wasi", wv);
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
