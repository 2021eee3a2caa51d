/* cmd_check.c - `wasmatrix check MODULE`: the options parsed and checked before any
 * runtime runs, then check.h does the work while the signal watcher (cmd.h) listens. */
#define _GNU_SOURCE
#include "cmd.h"
#include "check.h"
#include "run.h"
#include "term.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HELP_LINE(n, file, what, fn) "  " #n "   " what "\n"
const char cmd_check_usage[] =
	"usage: wasmatrix check MODULE.wasm [options] [-- ARGS...]\n"
	"\n"
	"Runs the module on every available runtime (same isolation as suites) and tells\n"
	"whether they all behave the same: exit code, stdout, stderr, files written, traps.\n"
	"\n"
	"  -d, --dir HOST:GUEST   preopen a fresh copy of HOST as GUEST (repeatable)\n"
	"  -e, --env K=V          set a guest environment variable (repeatable)\n"
	"      --stdin FILE       feed FILE to the guest's stdin\n"
	"  -r, --runtime R,...    runtimes to compare (default: every available one)\n"
	"  -t, --timeout S        seconds per runtime (default 10)\n"
	"  -f, --format F         the report's format, one of those below (the first is the default)\n"
	"  -o, --output FILE      write the report to FILE instead of stdout\n"
	"      --matrix FILE      a results.json from `wasmatrix run`: known outcomes explain causes\n"
	"      --runners DIR      directory of adapters\n"
	"      --cold             without the runtimes' compile caches (also WASMATRIX_COLD=1)\n"
	"      --color WHEN       auto, always or never\n"
	"\n"
	"formats:\n"
	CHECK_FORMATS(HELP_LINE)
	"\n"
	"exit codes: 0 portable, 1 runtimes differ, 2 bad usage or input,\n"
	"            3 fewer than two runtimes available\n";
#undef HELP_LINE

/* "--format takes text, json or html, not 'x'", the names from the table */
static int bad_format(const char *format)
{
	const struct check_reporter *const *all = check_reporter_all();
	fputs("wasmatrix check: --format takes ", stderr);
	for (size_t i = 0; all[i]; i++)
		fprintf(stderr, "%s%s", i ? (all[i + 1] ? ", " : " or ") : "", all[i]->name);
	fprintf(stderr, ", not '%s'\n", format);
	return EXIT_USAGE;
}

/* Parses the options (those before "--") into o, checking what can be checked before
 * any runtime runs. Returns -1 to go on, or the exit code. */
static int check_options(char **argv, int nopt, struct check_opts *o, struct strvec *dirs,
			 struct strvec *envs, const char **runners)
{
	static const struct option opts[] = {
		{ "dir", required_argument, 0, 'd' }, { "env", required_argument, 0, 'e' },
		{ "stdin", required_argument, 0, 'S' }, { "runtime", required_argument, 0, 'r' },
		{ "timeout", required_argument, 0, 't' }, { "format", required_argument, 0, 'f' },
		{ "output", required_argument, 0, 'o' }, { "matrix", required_argument, 0, 'M' },
		{ "runners", required_argument, 0, 'R' }, { "color", required_argument, 0, 'c' },
		{ "cold", no_argument, 0, 'W' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *when = "auto", *format = check_reporter_all()[0]->name;
	int c;
	optind = 1;
	while ((c = getopt_long(nopt, argv, "d:e:r:t:f:o:h", opts, NULL)) != -1) {
		char *e;
		switch (c) {
		case 'd': strvec_push(dirs, optarg); break;
		case 'e': strvec_push(envs, optarg); break;
		case 'S': o->stdin_file = optarg; break;
		case 'r': o->runtimes = optarg; break;
		case 't':
			o->timeout = strtod(optarg, &e);
			if (e == optarg || *e || !(o->timeout > 0) || o->timeout > 86400) {
				fprintf(stderr, "wasmatrix check: --timeout takes seconds (> 0), not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'f': format = optarg; break;
		case 'o': o->out = optarg; break;
		case 'M': o->matrix = optarg; break;
		case 'R': *runners = optarg; break;
		case 'c': when = optarg; break;
		case 'W': o->cold = true; break;
		case 'h': fputs(cmd_check_usage, stdout); return EXIT_OK;
		default: fputs(cmd_check_usage, stderr); return EXIT_USAGE;
		}
	}
	if (!(o->format = check_reporter_find(format)))
		return bad_format(format);
	char *owhy = NULL;
	if (o->out && wfile_check(o->out, &owhy) < 0) {
		/* before any runtime runs */
		fprintf(stderr, "wasmatrix check: %s\n", owhy);
		free(owhy);
		return EXIT_USAGE;
	}
	if (!term_color_choice(when, o->out ? false : isatty(1), &o->color)) {
		fprintf(stderr, "wasmatrix check: --color takes auto, always or never, not '%s'\n", when);
		return EXIT_USAGE;
	}
	if (optind + 1 != nopt) {
		fprintf(stderr, "wasmatrix check: expected one module before '--', got %d argument%s\n%s",
			nopt - optind, nopt - optind == 1 ? "" : "s", cmd_check_usage);
		return EXIT_USAGE;
	}
	o->path = argv[optind];
	return -1;
}

int cmd_check(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	/* everything after "--" is the guest's */
	int nopt = argc;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			nopt = i;
			break;
		}
	struct strvec dirs = STRVEC_INIT, envs = STRVEC_INIT;
	struct check_opts o = { .dirs = &dirs, .envs = &envs, .timeout = 10, .cold = run_cold_env() };
	const char *runners = NULL;
	int rc = check_options(argv, nopt, &o, &dirs, &envs, &runners);
	if (rc < 0) {
		o.args = argv + (nopt < argc ? nopt + 1 : argc);
		o.nargs = (size_t)(nopt < argc ? argc - nopt - 1 : 0);
		struct paths p;
		paths_init(&p, runners);
		o.runners = p.runners;
		o.runtimes_dir = p.runtimes_dir;
		struct sigwatch watch;
		sigwatch_start(&watch);
		o.stop = &watch.sig;
		rc = check_module(&o);
		sigwatch_stop(&watch);
		int sig = atomic_load(&watch.sig);
		if (sig > 0)
			rc = EXIT_SIGNAL(sig);
		paths_release(&p);
	}
	strvec_release(&dirs);
	strvec_release(&envs);
	return rc;
}
