/* cmd_check.c - `wasmatrix check MODULE`: check.c does the work; this knows where the
 * runners and runtimes are and watches for signals. */
#define _GNU_SOURCE
#include "cmd.h"
#include "check.h"

int cmd_check(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	struct paths p;
	paths_init(&p, NULL);
	struct sigwatch watch;
	sigwatch_start(&watch);
	int rc = check_main(argc, argv, p.runners, p.runtimes_dir, &watch.sig);
	sigwatch_stop(&watch);
	int sig = atomic_load(&watch.sig);
	if (sig > 0)
		rc = EXIT_SIGNAL(sig);
	paths_release(&p);
	return rc;
}
