/* cmd_inspect.c - `wasmatrix inspect MODULE`: the static view of a module, loaded by
 * inspect.h and written by one of its renderers (reports/inspect_*.c). */
#define _GNU_SOURCE
#include "cmd.h"
#include "inspect.h"
#include "term.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HELP_LINE(n, file, what, fn) "  " #n "   " what "\n"
const char cmd_inspect_usage[] =
	"usage: wasmatrix inspect MODULE.wasm [--format FORMAT]\n"
	"\n"
	"Reads a WebAssembly core module or component without running it and prints its\n"
	"kind, imports (grouped by module), exports, memories, tables, and the post-MVP\n"
	"features it uses (with where each was first seen).\n"
	"\n"
	"formats:\n"
	INSPECT_FORMATS(HELP_LINE)
	"\n"
	"  -f, --format FORMAT    one of the formats above (the first is the default)\n"
	"      --color WHEN       auto, always or never\n"
	"exit codes: 0 read, 2 unreadable or malformed module (the offset is named),\n"
	"            3 the view could not be written\n";
#undef HELP_LINE

/* "--format takes text or json, not 'x'", the names from the table */
static int bad_format(const char *format)
{
	const struct inspect_reporter *const *all = inspect_reporter_all();
	fputs("wasmatrix inspect: --format takes ", stderr);
	for (size_t i = 0; all[i]; i++)
		fprintf(stderr, "%s%s", i ? (all[i + 1] ? ", " : " or ") : "", all[i]->name);
	fprintf(stderr, ", not '%s'\n", format);
	return EXIT_USAGE;
}

/* Loads the module and renders it; a module that stops parsing past its header is
 * refused here (check goes on with what was read). */
static int inspect_write(const char *path, const struct inspect_reporter *rp, bool color)
{
	struct inspect in;
	int rc = inspect_load(&in, path, "inspect");
	if (rc < 0)
		return EXIT_USAGE;
	if (rc > 0) {
		fprintf(stderr, "wasmatrix inspect: %s: error: %s\n", path, in.err);
		inspect_release(&in);
		return EXIT_USAGE;
	}
	struct inspect_opts o = { color };
	char *err = NULL;
	rc = EXIT_OK;
	if (rp->render(&in, &o, stdout, &err) < 0 || fflush(stdout) == EOF) {
		fprintf(stderr, "wasmatrix inspect: cannot write the %s view: %s\n", rp->name, err ? err : "write error");
		rc = EXIT_FAULT;
	}
	free(err);
	inspect_release(&in);
	return rc;
}

int cmd_inspect(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "format", required_argument, 0, 'f' },
		{ "color", required_argument, 0, 'c' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *format = inspect_reporter_all()[0]->name, *when = "auto";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'c': when = optarg; break;
		case 'h': fputs(cmd_inspect_usage, stdout); return EXIT_OK;
		default: fputs(cmd_inspect_usage, stderr); return EXIT_USAGE;
		}
	}
	bool color;
	const struct inspect_reporter *rp = inspect_reporter_find(format);
	if (!rp)
		return bad_format(format);
	if (!term_color_choice(when, isatty(1), &color)) {
		fprintf(stderr, "wasmatrix inspect: --color takes auto, always or never, not '%s'\n", when);
		return EXIT_USAGE;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "wasmatrix inspect: expected one module, got %d arguments\n%s", argc - optind,
			cmd_inspect_usage);
		return EXIT_USAGE;
	}
	return inspect_write(argv[optind], rp, color);
}
