/* wasmatrix-contain - the containment process of one runtime run (harness/contain.h).
 * Started by wasmatrix (exec.c) with the command's stdin/stdout/stderr on 0-2, the report
 * pipe on 3, the working directory entered and the command's exact environment:
 *   wasmatrix-contain HARNESS-PID COMMAND [ARG...]
 * A binary of its own, linked with libc only, so that starting it costs a vfork and a
 * small exec, not a fork of the harness (which costs milliseconds per test and grows with
 * the harness's memory). */
#define _GNU_SOURCE
#include "contain.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: wasmatrix-contain HARNESS-PID COMMAND [ARG...]\n"
		      "(started by wasmatrix: the report pipe is fd 3)\n", stderr);
		return 2;
	}
	contain_run(argv + 2, environ, (pid_t)strtol(argv[1], NULL, 10));
}
