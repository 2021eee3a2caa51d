#!/usr/bin/env bash
# Report benchmark, two binaries side by side in one run: renders a generated results file
# of TESTS x RUNTIMES results (default 1000 x 100 = 100 000) to every format with OLD and
# NEW, alternating old/new in each of RUNS rounds (default 5) so both see the same
# machine, and prints per format the medians of CPU time (user + sys, from GNU time) and
# of wall time, old vs new. Each binary reads the input in the newest version it knows
# (the generated file is version 1, which both read).
# usage: bench/reports-compare.sh OLD_BINARY NEW_BINARY [TESTS] [RUNTIMES] [RUNS]
# The report goes to a file in a temporary directory (written atomically, with fsync, as
# `report -o FILE` does); TO_STDOUT=1 sends it to /dev/null through standard output instead.
set -eu
cd "$(dirname "$0")/.."
OLD=$(realpath "${1:?usage: bench/reports-compare.sh OLD NEW [TESTS] [RUNTIMES] [RUNS]}")
NEW=$(realpath "${2:?usage: bench/reports-compare.sh OLD NEW [TESTS] [RUNTIMES] [RUNS]}")
NT=${3:-1000} NR=${4:-100} RUNS=${5:-5}
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 bench/gen_results.py "$tmp/g.json" "$NT" "$NR"
# a real results file carries its agreement analysis: add it once, outside the timing
"$OLD" report "$tmp/g.json" --format json -o "$tmp/r.json"
echo "input: $(stat -c %s "$tmp/r.json") bytes, $((NT * NR)) results; $RUNS runs each, medians"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
run() {	# run BIN FORMAT LOG: appends "cpu wall" to LOG
	if [ "${TO_STDOUT:-0}" = 1 ]; then
		/usr/bin/time -f '%U %S %e' -o "$tmp/t" "$1" report "$tmp/r.json" --format "$2" -o - >/dev/null
	else
		/usr/bin/time -f '%U %S %e' -o "$tmp/t" "$1" report "$tmp/r.json" --format "$2" -o "$tmp/out.$2"
	fi
	awk '{printf "%.3f %.3f\n", $1 + $2, $3}' "$tmp/t" >>"$3"
}
printf '%-6s %22s %22s %8s\n' format "old cpu / wall (s)" "new cpu / wall (s)" "cpu x"
for f in html junit md tap ctrf json; do
	: >"$tmp/old"; : >"$tmp/new"
	for _ in $(seq "$RUNS"); do
		run "$OLD" $f "$tmp/old"
		run "$NEW" $f "$tmp/new"
	done
	oc=$(cut -d' ' -f1 "$tmp/old" | median) ow=$(cut -d' ' -f2 "$tmp/old" | median)
	nc=$(cut -d' ' -f1 "$tmp/new" | median) nw=$(cut -d' ' -f2 "$tmp/new" | median)
	printf '%-6s %10.3f / %-9.3f %10.3f / %-9.3f %7.2f\n' $f "$oc" "$ow" "$nc" "$nw" "$(echo "$oc / $nc" | bc -l)"
done
