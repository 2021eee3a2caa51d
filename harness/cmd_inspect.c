/* cmd_inspect.c - `wasmatrix inspect MODULE`. */
#define _GNU_SOURCE
#include "cmd.h"
#include "check.h"

int cmd_inspect(int argc, char **argv, const struct cmd_ctx *cx)
{
	(void)cx;
	return check_inspect_main(argc, argv);
}
