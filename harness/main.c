/* main.c - the command line: the table of commands, which dispatch, "did you mean",
 * `help` and `--help` all read. Each command is in its own file (cmd.h). */
#define _GNU_SOURCE
#include "cmd.h"
#include "util.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static int cmd_help(int argc, char **argv, const struct cmd_ctx *cx);
static int cmd_version(int argc, char **argv, const struct cmd_ctx *cx);

/* In the order of the main usage. */
static const struct cmd commands[] = {
	{ "run", "[SUITE...]", "run suites on runtimes and write results (default: the bundled suites)",
	  cmd_run, cmd_run_usage },
	{ "runtimes", "", "list every runner adapter with its status", cmd_runtimes, cmd_runtimes_usage },
	{ "report", "FILE", "render a results file: html, md, junit, tap, ctrf, json", cmd_report, cmd_report_usage },
	{ "merge", "A B... -o F", "join results files (shards) into one", cmd_merge, cmd_merge_usage },
	{ "compare", "OLD NEW", "regressions, fixes, new tests between two results files", cmd_compare,
	  cmd_compare_usage },
	{ "features", "RESULTS", "the measured feature matrix of a run, against the claimed one", cmd_features,
	  cmd_features_usage },
	{ "inspect", "MODULE", "imports, exports, memories and post-MVP features of a .wasm", cmd_inspect,
	  cmd_inspect_usage },
	{ "check", "MODULE", "run a .wasm on every runtime: portable, or where and why it differs", cmd_check,
	  cmd_check_usage },
	{ "fetch", "URL", "download into the verified cache (--sha256 required)", cmd_fetch, cmd_fetch_usage },
	{ "publish", "FILE", "POST a results file to a URL", cmd_publish, cmd_publish_usage },
	{ "update-baseline", "F", "write baselines/<runtime>.yaml from a results file", cmd_update_baseline,
	  cmd_update_baseline_usage },
	{ "help", "[COMMAND]", "show help", cmd_help, NULL },
	{ "version", NULL, NULL, cmd_version, NULL },
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

static void usage_main(FILE *f)
{
	fputs("usage: wasmatrix <command> [options]\n"
	      "\n"
	      "WASI conformance and runtime-portability test harness.\n"
	      "\n"
	      "commands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (!commands[i].summary)
			continue;
		char *syn = xasprintf("%s%s%s", commands[i].name, *commands[i].args ? " " : "", commands[i].args);
		fprintf(f, "  %-19s %s\n", syn, commands[i].summary);
		free(syn);
	}
	fputs("\n"
	      "options: --help, --version\n"
	      "exit codes: 0 all as expected, 1 unexpected results, 2 bad usage or input,\n"
	      "            3 harness/infrastructure fault, 4 nothing selected,\n"
	      "            128+N stopped by signal N (what finished is written, marked incomplete)\n", f);
}

static const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* `help [COMMAND]`: the command's --help text, or the main usage. */
static int cmd_help(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	const struct cmd *c = argc > 1 ? cmd_find(argv[1]) : NULL;
	if (c && c->usage)
		fputs(c->usage, stdout);
	else
		usage_main(stdout);
	return EXIT_OK;
}

static int cmd_version(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)argc;
	(void)argv;
	(void)cx;
	printf("wasmatrix %s\n", WM_VERSION);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	/* a guest that exits without reading its stdin must not kill the harness */
	signal(SIGPIPE, SIG_IGN);
	/* 0-2 open (on /dev/null when we were started without them), so no pipe of a run
	 * lands there and is overwritten when the containment process gets its stdio */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			return EXIT_FAULT;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version"))
		name = "version";
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		usage_main(stdout);
		return EXIT_OK;
	}
	const struct cmd *c = cmd_find(name);
	struct cmd_ctx cx = { argc, argv };
	if (c)
		return c->fn(argc - 1, argv + 1, &cx);
	const char *names[NCOMMANDS];
	size_t n = 0;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].summary)
			names[n++] = commands[i].name;
	const char *near = suggest_closest(name, names, n);
	fprintf(stderr, "wasmatrix: unknown command '%s'%s%s%s\n\n", name, near ? "; did you mean '" : "",
		near ? near : "", near ? "'?" : "");
	usage_main(stderr);
	return EXIT_USAGE;
}
