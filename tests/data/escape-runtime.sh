#!/bin/sh
# A hostile "runtime" for tests/t_lifecycle.sh: before running the real runtime (the words
# after the first two), it starts processes that leave its process group.
# usage: escape-runtime.sh MODE SECONDS RUNTIME [ARG...]
#   setsid      a double-forked sleeper in a new session (stdio on /dev/null), and a
#               background sleeper left in the group that holds stdout
#   holdout     a new-session sleeper that holds stdout open
#   forker      a new-session shell that keeps starting new-session sleepers
#   killparent  a new-session sleeper, then kills its parent (the harness's containment
#               process) with SIGKILL
# Every sleeper runs `sleep SECONDS`, so a test can find them with pgrep.
mode=$1 n=$2
shift 2
case $mode in
setsid)
	setsid -f sh -c "sleep $n & exit" </dev/null >/dev/null 2>&1
	sleep "$n" &
	;;
holdout)
	setsid -f sleep "$n"
	;;
forker)
	setsid -f sh -c "i=0; while [ \$i -lt 20 ]; do setsid -f sleep $n; i=\$((i+1)); done; exec sleep $n" \
		</dev/null >/dev/null 2>&1
	;;
killparent)
	setsid -f sleep "$n" </dev/null >/dev/null 2>&1
	kill -9 "$PPID"
	;;
esac
exec "$@"
