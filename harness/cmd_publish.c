/* cmd_publish.c - `wasmatrix publish RESULTS.json --url URL`: a validated results file
 * POSTed as JSON (net.h). Exit codes: 0 done, 2 bad usage or input, 3 network failure. */
#define _GNU_SOURCE
#include "cmd.h"
#include "diag.h"
#include "net.h"
#include "results_read.h"
#include "term.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_publish_usage[] =
	"usage: wasmatrix publish RESULTS.json --url URL [options]\n"
	"\n"
	"POSTs a results file as JSON. A bearer token is read from the environment variable\n"
	"named by --token-env (default WASMATRIX_TOKEN) when it is set. 5xx answers and timeouts\n"
	"are retried with backoff; 4xx answers are errors at once.\n"
	"\n"
	"      --url URL         where to POST (required)\n"
	"      --token-env NAME  environment variable holding the token\n"
	NET_USAGE;

int cmd_publish(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "url", required_argument, 0, 'u' },
		{ "token-env", required_argument, 0, 't' }, { "help", no_argument, 0, 'h' }, NET_LONG_OPTIONS,
		{ 0, 0, 0, 0 } };
	struct net_opts o;
	net_opts_init(&o);
	const char *url = NULL, *token_env = "WASMATRIX_TOKEN";
	int c, rc = EXIT_OK;
	optind = 1;
	while ((c = cmd_net_getopt(argc, argv, opts, &o, cmd_publish_usage, &rc)) > 0) {
		if (c == 'u')
			url = optarg;
		else
			token_env = optarg;
	}
	if (c < 0) {
		net_opts_release(&o);
		return rc;
	}
	if (optind + 1 != argc || !url) {
		fprintf(stderr, "wasmatrix publish: %s\n\n%s", !url ? "--url is required" : "give exactly one results file",
			cmd_publish_usage);
		net_opts_release(&o);
		return EXIT_USAGE;
	}
	/* the same reader and checks as every other command: only a valid results file is
	 * sent, and what is sent is the document that was validated */
	struct diag d = DIAG_INIT;
	struct results rf;
	bool color = false;
	term_color_choice("auto", isatty(2), &color);
	if (results_load(&rf, argv[optind], &d) < 0) {
		diag_print(&d, stderr, color);
		fprintf(stderr, "wasmatrix publish: %s is not a valid results file: nothing sent\n", argv[optind]);
		diag_release(&d);
		results_release(&rf);
		net_opts_release(&o);
		return EXIT_USAGE;
	}
	diag_print(&d, stderr, color);
	diag_release(&d);
	char *body = json_dumps(rf.doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	results_release(&rf);
	size_t n = strlen(body);
	const char *token = getenv(token_env);
	long status = 0;
	char *why = NULL;
	if (net_post(url, body, n, token && *token ? token : NULL, &o, &status, &why) < 0) {
		fprintf(stderr, "wasmatrix publish: error: %s\n", why);
		rc = EXIT_FAULT;
	} else {
		printf("published %s (%zu bytes) to %s: HTTP %ld\n", argv[optind], n, url, status);
	}
	free(why);
	free(body);
	net_opts_release(&o);
	return rc;
}
