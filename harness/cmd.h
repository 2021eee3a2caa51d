/* cmd.h - the command line's commands. Each command is one file, harness/cmd_NAME.c,
 * holding its --help text and a thin layer over the modules: it parses its options,
 * calls them and maps what happened to an exit code. main.c holds the table of
 * commands (struct cmd) that dispatch, "did you mean", `help` and `--help` all read;
 * adding a command is one file here and one row there. cmd.c holds what several
 * commands share (paths, the signal watcher, results loading, network options).
 * Nothing here is global: everything a command allocates is freed before it returns. */
#ifndef WM_CMD_H
#define WM_CMD_H

#include "net.h"
#include "report.h"
#include "results_read.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

/* The exit codes of every command (README "Exit codes"); a command stopped by signal N
 * exits 128 + N. */
enum exit_code {
	EXIT_OK = 0,		/* all as expected (check: portable) */
	EXIT_UNEXPECTED = 1,	/* unexpected results, regressions (compare), runtimes differ (check) */
	EXIT_USAGE = 2,		/* bad usage or input; nothing was run */
	EXIT_FAULT = 3,		/* harness or infrastructure fault (check: fewer than two runtimes) */
	EXIT_NOTHING = 4,	/* nothing selected */
};
#define EXIT_SIGNAL(n) (128 + (n))

/* The whole command line, for commands that record it (run). */
struct cmd_ctx {
	int argc;
	char **argv;
};

/* One command. fn gets argv[0] = the command name; usage is its --help text (NULL: the
 * main usage); args and summary make its line in the main usage, a NULL summary hides
 * it from that list and from "did you mean". */
struct cmd {
	const char *name, *args, *summary;
	int (*fn)(int argc, char **argv, const struct cmd_ctx *cx);
	const char *usage;
};

/* The commands (cmd_*.c) and their --help texts. */
int cmd_run(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_runtimes(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_report(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_merge(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_compare(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_inspect(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_check(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_fetch(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_publish(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_update_baseline(int argc, char **argv, const struct cmd_ctx *cx);
int cmd_features(int argc, char **argv, const struct cmd_ctx *cx);
extern const char cmd_run_usage[], cmd_runtimes_usage[], cmd_report_usage[], cmd_merge_usage[],
	cmd_compare_usage[], cmd_inspect_usage[], cmd_check_usage[], cmd_fetch_usage[], cmd_publish_usage[],
	cmd_update_baseline_usage[], cmd_features_usage[];

/* Where the runners and runtimes are: the project (or the data directory) around the
 * executable, WASMATRIX_HOME and WASMATRIX_RUNTIMES_DIR. */
struct paths {
	char *root;		/* project or data dir holding runners/ and suites/ */
	char *runners;
	char *runtimes_dir;
};
void paths_init(struct paths *p, const char *runners_opt);
void paths_release(struct paths *p);

/* Signals while tests run (run and check); see cmd.c. The first SIGINT, SIGTERM or
 * SIGHUP is stored in sig, which the run polls; a second one exits at once. */
struct sigwatch {
	pthread_t th;
	atomic_int sig;
	sigset_t set;
	int sfd, quit[2];
	bool on;
};
void sigwatch_start(struct sigwatch *w);
void sigwatch_stop(struct sigwatch *w);

/* Whether diagnostics on stderr are coloured (NO_COLOR, FORCE_COLOR, a terminal). */
bool cmd_color_err(void);
/* Loads and validates a results file, printing its diagnostics. 0 or -1; rf is always
 * to be released. */
int cmd_load_results(struct results *rf, const char *path);
/* Report options from the environment (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY). */
void cmd_report_opts(struct report_opts *o);
/* The vendored claims table (claims.h) beside the program, malloc'd, or NULL when it is
 * not there (a report then shows the measurement only). */
char *cmd_claims_path(void);
/* Reads and validates a claims table given on the command line, printing its problems:
 * 0 or -1 (the command then exits 2, before writing anything). */
int cmd_check_claims(const char *path);
/* Prints the reporters' names, comma-separated, and a newline. */
void cmd_list_formats(FILE *f);
/* Parses a decimal long in [lo, hi]. */
bool cmd_parse_long(const char *s, long lo, long hi, long *out);

/* Parses a network option shared by run/fetch/publish into o; returns 1 if it was one,
 * 0 if not, -1 on a bad value (message printed). opt is the getopt_long code. */
int cmd_net_option(struct net_opts *o, int opt, const char *arg);
struct option;
/* getopt_long for a command whose options are its own, NET_LONG_OPTIONS and --help (fetch,
 * publish): the network options go to o, --help prints usage on stdout. Returns the next
 * option of the command's own (its argument in optarg), 0 after the last option (operands
 * from optind), or -1 when the command must end now with *rc: EXIT_OK after --help,
 * EXIT_USAGE after a bad option or value (usage or the message on stderr). The caller sets
 * optind = 1 before the first call. */
int cmd_net_getopt(int argc, char **argv, const struct option *opts, struct net_opts *o, const char *usage,
		   int *rc);
/* getopt_long codes for the shared options */
enum { NETOPT_OFFLINE = 1000, NETOPT_ALLOW_HTTP, NETOPT_MAX_SIZE, NETOPT_NET_TIMEOUT, NETOPT_RETRIES,
       NETOPT_STALL_TIMEOUT };
#define NET_LONG_OPTIONS \
	{ "offline", no_argument, 0, NETOPT_OFFLINE }, \
	{ "allow-http", no_argument, 0, NETOPT_ALLOW_HTTP }, \
	{ "max-size", required_argument, 0, NETOPT_MAX_SIZE }, \
	{ "net-timeout", required_argument, 0, NETOPT_NET_TIMEOUT }, \
	{ "retries", required_argument, 0, NETOPT_RETRIES }, \
	{ "stall-timeout", required_argument, 0, NETOPT_STALL_TIMEOUT }
#define NET_USAGE \
	"      --offline         use the download cache only\n" \
	"      --allow-http      allow plain http (https only by default)\n" \
	"      --max-size BYTES  refuse downloads, and archives unpacking to more, larger than\n" \
	"                        this (default 512 MiB; archives: also at most 100000 members)\n" \
	"      --net-timeout S   total time per transfer attempt (default 300; connect: 10)\n" \
	"      --stall-timeout S end an attempt that gets less than 1 KiB/s for S seconds\n" \
	"                        (default 30)\n" \
	"      --retries N       extra attempts on 5xx and timeouts, with backoff (default 3)\n"

#endif
