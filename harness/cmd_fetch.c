/* cmd_fetch.c - `wasmatrix fetch URL --sha256 HEX`: a verified download into the cache
 * (net.h). Exit codes: 0 done, 2 bad usage, 3 network or verification failure. */
#define _GNU_SOURCE
#include "cmd.h"
#include "net.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_fetch_usage[] =
	"usage: wasmatrix fetch URL --sha256 HEX [options]\n"
	"\n"
	"Downloads URL into the cache ($XDG_CACHE_HOME/wasmatrix, default ~/.cache/wasmatrix),\n"
	"verifies its sha256 before keeping it, and prints the cached path. With --unpack the\n"
	"archive is also unpacked (safely) and the directory is printed.\n"
	"\n"
	"      --sha256 HEX      expected sha256 (required)\n"
	"      --unpack          unpack the archive (tar.gz and others) and print the directory\n"
	NET_USAGE;

int cmd_fetch(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	static const struct option opts[] = { { "sha256", required_argument, 0, 's' },
		{ "unpack", no_argument, 0, 'u' }, { "help", no_argument, 0, 'h' }, NET_LONG_OPTIONS, { 0, 0, 0, 0 } };
	struct net_opts o;
	net_opts_init(&o);
	const char *sha = NULL;
	bool unpack = false;
	int c, rc = EXIT_OK;
	optind = 1;
	while ((c = cmd_net_getopt(argc, argv, opts, &o, cmd_fetch_usage, &rc)) > 0) {
		if (c == 's')
			sha = optarg;
		else
			unpack = true;
	}
	if (c < 0) {
		net_opts_release(&o);
		return rc;
	}
	if (optind + 1 != argc || !sha) {
		fprintf(stderr, "wasmatrix fetch: %s\n\n%s", !sha ? "--sha256 is required" : "give exactly one URL", cmd_fetch_usage);
		net_opts_release(&o);
		return EXIT_USAGE;
	}
	const char *url = argv[optind];
	if (!net_sha256_valid(sha) || !net_is_url(url)) {
		fprintf(stderr, "wasmatrix fetch: %s\n", !net_is_url(url) ? "the URL must start with https:// (or http:// with --allow-http)"
									   : "--sha256 takes 64 lower-case hex digits");
		net_opts_release(&o);
		return EXIT_USAGE;
	}
	char *path = NULL, *why = NULL;
	if ((unpack ? net_fetch_tree(url, sha, &o, &path, &why) : net_fetch(url, sha, &o, &path, &why)) < 0) {
		fprintf(stderr, "wasmatrix fetch: error: %s\n", why);
		rc = EXIT_FAULT;
	} else {
		printf("%s\n", path);
	}
	free(path);
	free(why);
	net_opts_release(&o);
	return rc;
}
