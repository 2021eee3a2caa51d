/* cmd_inspect.c - `wasmatrix inspect MODULE`: the static view of a module (check.h). */
#define _GNU_SOURCE
#include "cmd.h"
#include "check.h"
#include "term.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char cmd_inspect_usage[] =
	"usage: wasmatrix inspect MODULE.wasm [--format text|json]\n"
	"\n"
	"Reads a WebAssembly core module or component without running it and prints its\n"
	"kind, imports (grouped by module), exports, memories, tables, and the post-MVP\n"
	"features it uses (with where each was first seen).\n"
	"exit codes: 0 read, 2 unreadable or malformed module (the offset is named)\n";

int cmd_inspect(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "format", required_argument, 0, 'f' },
		{ "color", required_argument, 0, 'c' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *format = "text", *when = "auto";
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
	if (strcmp(format, "text") && strcmp(format, "json")) {
		fprintf(stderr, "wasmatrix inspect: --format takes text or json, not '%s'\n", format);
		return EXIT_USAGE;
	}
	if (!term_color_choice(when, isatty(1), &color)) {
		fprintf(stderr, "wasmatrix inspect: --color takes auto, always or never, not '%s'\n", when);
		return EXIT_USAGE;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "wasmatrix inspect: expected one module, got %d arguments\n%s", argc - optind,
			cmd_inspect_usage);
		return EXIT_USAGE;
	}
	return check_inspect(argv[optind], !strcmp(format, "json"), color);
}
