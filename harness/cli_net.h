/* cli_net.h - the network commands of the command line: fetch and publish. */
#ifndef WM_CLI_NET_H
#define WM_CLI_NET_H

#include "net.h"

int cmd_fetch(int argc, char **argv);
int cmd_publish(int argc, char **argv);
/* Parses a network option shared by run/fetch/publish into o; returns 1 if it was one,
 * 0 if not, -1 on a bad value (message printed). opt is the getopt_long code. */
int cli_net_option(struct net_opts *o, int opt, const char *arg);
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
