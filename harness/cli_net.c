/* cli_net.c - `wasmatrix fetch` and `wasmatrix publish`. Exit codes: 0 done, 2 bad
 * usage, 3 network or verification failure. */
#define _GNU_SOURCE
#include "cli_net.h"
#include "diag.h"
#include "resfile.h"
#include "term.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_fetch[] =
	"usage: wasmatrix fetch URL --sha256 HEX [options]\n"
	"\n"
	"Downloads URL into the cache ($XDG_CACHE_HOME/wasmatrix, default ~/.cache/wasmatrix),\n"
	"verifies its sha256 before keeping it, and prints the cached path. With --unpack the\n"
	"archive is also unpacked (safely) and the directory is printed.\n"
	"\n"
	"      --sha256 HEX      expected sha256 (required)\n"
	"      --unpack          unpack the archive (tar.gz and others) and print the directory\n"
	NET_USAGE;

static const char usage_publish[] =
	"usage: wasmatrix publish RESULTS.json --url URL [options]\n"
	"\n"
	"POSTs a results file as JSON. A bearer token is read from the environment variable\n"
	"named by --token-env (default WASMATRIX_TOKEN) when it is set. 5xx answers and timeouts\n"
	"are retried with backoff; 4xx answers are errors at once.\n"
	"\n"
	"      --url URL         where to POST (required)\n"
	"      --token-env NAME  environment variable holding the token\n"
	NET_USAGE;

int cli_net_option(struct net_opts *o, int opt, const char *arg)
{
	char *e;
	switch (opt) {
	case NETOPT_OFFLINE: o->offline = true; return 1;
	case NETOPT_ALLOW_HTTP: o->allow_http = true; return 1;
	case NETOPT_MAX_SIZE:
		errno = 0;
		o->max_size = strtoll(arg, &e, 10);
		if (errno || *e || e == arg || o->max_size < 1) {
			fprintf(stderr, "wasmatrix: --max-size takes a byte count, not '%s'\n", arg);
			return -1;
		}
		return 1;
	case NETOPT_NET_TIMEOUT:
		o->total_timeout = strtod(arg, &e);
		if (*e || e == arg || !(o->total_timeout > 0)) {
			fprintf(stderr, "wasmatrix: --net-timeout takes seconds, not '%s'\n", arg);
			return -1;
		}
		if (o->connect_timeout > o->total_timeout)
			o->connect_timeout = o->total_timeout;
		return 1;
	case NETOPT_STALL_TIMEOUT:
		errno = 0;
		o->stall_timeout = strtol(arg, &e, 10);
		if (errno || *e || e == arg || o->stall_timeout < 1 || o->stall_timeout > 86400) {
			fprintf(stderr, "wasmatrix: --stall-timeout takes whole seconds from 1 to 86400, not '%s'\n", arg);
			return -1;
		}
		return 1;
	case NETOPT_RETRIES:
		errno = 0;
		o->retries = (int)strtol(arg, &e, 10);
		if (errno || *e || e == arg || o->retries < 0 || o->retries > 20) {
			fprintf(stderr, "wasmatrix: --retries takes 0 to 20, not '%s'\n", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

int cmd_fetch(int argc, char **argv)
{
	static const struct option opts[] = { { "sha256", required_argument, 0, 's' },
		{ "unpack", no_argument, 0, 'u' }, { "help", no_argument, 0, 'h' }, NET_LONG_OPTIONS, { 0, 0, 0, 0 } };
	struct net_opts o;
	net_opts_init(&o);
	const char *sha = NULL;
	bool unpack = false;
	int c, rc = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int r = cli_net_option(&o, c, optarg);
		if (r < 0) {
			net_opts_release(&o);
			return 2;
		}
		if (r)
			continue;
		switch (c) {
		case 's': sha = optarg; break;
		case 'u': unpack = true; break;
		case 'h': fputs(usage_fetch, stdout); net_opts_release(&o); return 0;
		default: fputs(usage_fetch, stderr); net_opts_release(&o); return 2;
		}
	}
	if (optind + 1 != argc || !sha) {
		fprintf(stderr, "wasmatrix fetch: %s\n\n%s", !sha ? "--sha256 is required" : "give exactly one URL", usage_fetch);
		net_opts_release(&o);
		return 2;
	}
	const char *url = argv[optind];
	if (!net_sha256_valid(sha) || !net_is_url(url)) {
		fprintf(stderr, "wasmatrix fetch: %s\n", !net_is_url(url) ? "the URL must start with https:// (or http:// with --allow-http)"
									   : "--sha256 takes 64 lower-case hex digits");
		net_opts_release(&o);
		return 2;
	}
	char *path = NULL, *why = NULL;
	if ((unpack ? net_fetch_tree(url, sha, &o, &path, &why) : net_fetch(url, sha, &o, &path, &why)) < 0) {
		fprintf(stderr, "wasmatrix fetch: error: %s\n", why);
		rc = 3;
	} else {
		printf("%s\n", path);
	}
	free(path);
	free(why);
	net_opts_release(&o);
	return rc;
}

int cmd_publish(int argc, char **argv)
{
	static const struct option opts[] = { { "url", required_argument, 0, 'u' },
		{ "token-env", required_argument, 0, 't' }, { "help", no_argument, 0, 'h' }, NET_LONG_OPTIONS,
		{ 0, 0, 0, 0 } };
	struct net_opts o;
	net_opts_init(&o);
	const char *url = NULL, *token_env = "WASMATRIX_TOKEN";
	int c, rc = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int r = cli_net_option(&o, c, optarg);
		if (r < 0) {
			net_opts_release(&o);
			return 2;
		}
		if (r)
			continue;
		switch (c) {
		case 'u': url = optarg; break;
		case 't': token_env = optarg; break;
		case 'h': fputs(usage_publish, stdout); net_opts_release(&o); return 0;
		default: fputs(usage_publish, stderr); net_opts_release(&o); return 2;
		}
	}
	if (optind + 1 != argc || !url) {
		fprintf(stderr, "wasmatrix publish: %s\n\n%s", !url ? "--url is required" : "give exactly one results file",
			usage_publish);
		net_opts_release(&o);
		return 2;
	}
	/* the same reader and checks as every other command: only a valid results file is
	 * sent, and what is sent is the document that was validated */
	struct diag d = DIAG_INIT;
	struct resfile rf;
	bool color = false;
	term_color_choice("auto", isatty(2), &color);
	if (resfile_load(&rf, argv[optind], &d) < 0) {
		diag_print(&d, stderr, color);
		fprintf(stderr, "wasmatrix publish: %s is not a valid results file: nothing sent\n", argv[optind]);
		diag_release(&d);
		resfile_release(&rf);
		net_opts_release(&o);
		return 2;
	}
	diag_print(&d, stderr, color);
	diag_release(&d);
	char *body = json_dumps(rf.doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	resfile_release(&rf);
	size_t n = strlen(body);
	const char *token = getenv(token_env);
	long status = 0;
	char *why = NULL;
	if (net_post(url, body, n, token && *token ? token : NULL, &o, &status, &why) < 0) {
		fprintf(stderr, "wasmatrix publish: error: %s\n", why);
		rc = 3;
	} else {
		printf("published %s (%zu bytes) to %s: HTTP %ld\n", argv[optind], n, url, status);
	}
	free(why);
	free(body);
	net_opts_release(&o);
	return rc;
}
