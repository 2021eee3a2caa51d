#!/usr/bin/env bash
# Loading benchmark: generates large inputs (bench/gen_suite.py) and prints the time
# wasmatrix takes to load and validate each (nothing is run). Linear loading keeps every
# line under a few seconds; a quadratic step shows as a time growing 4x when the size
# doubles. Results: docs/performance.md.
# usage: bench/load.sh [SCALE]   (SCALE multiplies every size; default 1)
#   WASMATRIX_BIN=path   the binary to time (default ./wasmatrix)
#   TIMEOUT=seconds      give up on one case after this long (default 600)
set -u
# the host's runtimes only: with aarch64 builds installed, --arch would default to both
export WASMATRIX_ARCH="${WASMATRIX_ARCH:-$(uname -m)}"
cd "$(dirname "$0")/.."
WM=${WASMATRIX_BIN:-./wasmatrix}
scale=${1:-1}
limit=${TIMEOUT:-600}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# time_case LABEL COMMAND...: wall and CPU (user + system) time of the command, its exit
# code. On a shared machine the CPU time is the figure to compare.
time_case() {
	local label=$1; shift
	local rc
	timeout "$limit" /usr/bin/time -o "$tmp/time" -f '%e %U %S' "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ $rc = 124 ]; then
		printf '%-46s  > %5d s wall  (gave up)\n' "$label" "$limit"
	else
		read -r wall user sys < <(tail -1 "$tmp/time")
		printf '%-46s %7.2f s wall %7.2f s CPU  (exit %d)\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$rc"
	fi
}
gen() { python3 bench/gen_suite.py "$tmp/$1" "$2" "$3"; }
n=$((80000 * scale)); s=$(gen tests tests $n)
time_case "suite of $n tests (run --list)" "$WM" run --list --runners runners "$s"
s=$(gen dtests dup-tests $n)
time_case "suite of $n tests, one duplicate name" "$WM" run --list --runners runners "$s"
n=$((40000 * scale)); s=$(gen errors errors $n)
time_case "suite of $n tests, an error in each" "$WM" run --list --runners runners "$s"
n=$((20000 * scale)); s=$(gen junk defaults-junk $n)
time_case "$n tests, $n unknown keys in defaults" "$WM" run --list --runners runners "$s"
n=$((40000 * scale)); s=$(gen keys dup-keys $n)
time_case "map of $n keys, one duplicate" "$WM" run --list --runners runners "$s"
s=$(gen merge env-merge $n)
time_case "env of $n keys in defaults and test" "$WM" run --list --runners runners "$s"
n=$((20000 * scale)); s=$(gen wts wts $n)
time_case "wasi-testsuite dir of $n specs with env" "$WM" run --list --runners runners "$s"
n=$((200000 * scale)); r=$(gen dup dup-results $n)
time_case "results file, $n results for one cell" "$WM" report "$r" --format md -o "$tmp/r.md"
n=$((20000 * scale)); r=$(gen bl baseline $n)
time_case "update-baseline, $n results x $n entries" "$WM" update-baseline "$r" --baseline "$tmp/bl/bl"
n=$((3000 * scale)); gen suites suites $n >/dev/null
mapfile -t files <"$tmp/suites/list"
time_case "$n suite files (run --list)" "$WM" run --list --runners runners "${files[@]}"
echo "input sizes: $(du -sh "$tmp/tests/suite.yaml" | cut -f1) suite, $(du -sh "$tmp/dup/dup.json" | cut -f1) results file"
