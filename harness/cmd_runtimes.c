/* cmd_runtimes.c - `wasmatrix runtimes`: every adapter (adapter.h) probed, with its
 * version and path or how to install it. */
#define _GNU_SOURCE
#include "cmd.h"
#include "adapter.h"
#include "arch.h"
#include "diag.h"
#include "term.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_runtimes_usage[] =
	"usage: wasmatrix runtimes [--runners DIR] [--arch A,...] [--json]\n"
	"\n"
	"Lists every runner adapter: found (version and path) or not found (how to install).\n"
	"Runtimes are searched in $WASMATRIX_RUNTIMES_DIR (default <project>/.runtimes/bin),\n"
	"then on PATH; an adapter's find.env variable overrides the path.\n"
	"Then the same adapters for each other architecture (default: every one wasmatrix knows;\n"
	"--arch picks), as <runtime>/<arch>, found in that architecture's directory only\n"
	"(.runtimes/aarch64/bin, $WASMATRIX_AARCH64_RUNTIMES_DIR) and run through its emulator\n"
	"(docs/architectures.md). --json lists the host's only, unless --arch names others.\n";

int cmd_runtimes(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "runners", required_argument, 0, 'R' },
		{ "json", no_argument, 0, 'J' }, { "arch", required_argument, 0, 'A' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *runners = NULL, *arches = NULL;
	bool json = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'R': runners = optarg; break;
		case 'J': json = true; break;
		case 'A': arches = optarg; break;
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
	/* the text lists every architecture; --json the host's unless --arch asks (scripts
	 * read its names for check, which runs the host's only) */
	char host[65];
	arch_host(host, sizeof host);
	if (adapter_load_dir(&rts, &n, p.runners, &d) == 0 && !d.errors)
		arch_expand(&rts, &n, arches ? arches : json ? host : "x86_64,aarch64", p.runtimes_dir, NULL, true, &d);
	if (d.errors) {
		diag_print(&d, stderr, color);
		diag_release(&d);
		for (size_t i = 0; i < n; i++)
			adapter_release(&rts[i]);
		free(rts);
		paths_release(&p);
		return EXIT_USAGE;
	}
	size_t found = 0, nhost = 0, foundx = 0;
	if (json)
		printf("[\n");
	/* the host's runtimes, then each other architecture's (arch_expand interleaves them) */
	size_t *order = xcalloc(n + 1, sizeof *order), no = 0;
	for (size_t i = 0; i < n; i++)
		if (!rts[i].launch.n)
			order[no++] = i, nhost++;
	for (size_t i = 0; i < n; i++)
		if (rts[i].launch.n)
			order[no++] = i;
	for (size_t oi = 0; oi < n; oi++) {
		size_t i = order[oi];
		adapter_probe(&rts[i], p.runtimes_dir);
		struct adapter *a = &rts[i];
		if (a->launch.n)
			foundx += !a->missing;
		else
			found += !a->missing;
		if (!json && a->launch.n && (oi == nhost || strcmp(rts[order[oi - 1]].arch, a->arch)))
			printf("\n%s runtimes (emulated by %s -L %s):\n", a->arch, a->launch.v[0], a->launch.v[2]);
		if (json) {
			json_t *j = json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:s}", "name", a->name, "title",
					      a->title, "available", !a->missing,
					      "version", a->version ? json_string(a->version) : json_null(),
					      "path", a->exe ? json_string(a->exe) : json_null(),
					      "missing", a->missing ? json_string(a->missing) : json_null(),
					      "adapter", a->file);
			json_object_set_new(j, "arch", json_string(a->arch));
			/* the WASI versions it runs (adapter key versions; default preview1) */
			json_t *wv = json_array();
			for (size_t k = 0; k < a->nversions; k++)
				json_array_append_new(wv, json_string(a->versions[k].name));
			if (!a->nversions)
				json_array_append_new(wv, json_string("wasm32-wasip1"));
			json_object_set_new(j, "wasi", wv);
			char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
			printf("  %s%s\n", s, oi + 1 < n ? "," : "");
			free(s);
			json_decref(j);
		} else if (a->missing) {
			printf("%-*s %-12s %s\n", a->launch.n ? 18 : 10, a->name, "not found", a->missing);
		} else {
			printf("%-*s %-12s %s\n", a->launch.n ? 18 : 10, a->name, a->version, a->exe);
		}
	}
	if (json)
		printf("]\n");
	else {
		printf("\n%zu of %zu runtimes available\n", found, nhost);
		if (n > nhost)
			printf("%zu of %zu runtimes of other architectures available (emulated)\n", foundx, n - nhost);
	}
	free(order);
	for (size_t i = 0; i < n; i++)
		adapter_release(&rts[i]);
	free(rts);
	diag_release(&d);
	paths_release(&p);
	return EXIT_OK;
}
