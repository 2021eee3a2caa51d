#!/usr/bin/env bash
# Report benchmark: renders a generated results file of TESTS x RUNTIMES results
# (default 1000 x 100 = 100 000) to every format and prints the wall time of each
# `wasmatrix report` (load + validation + agreement + render) and the output size.
# usage: bench/reports.sh [TESTS] [RUNTIMES]
set -eu
cd "$(dirname "$0")/.."
WM=${WASMATRIX_BIN:-./wasmatrix}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 bench/gen_results.py "$tmp/g.json" "${1:-1000}" "${2:-100}"
# a real results file carries its agreement analysis: add it once, outside the timing
"$WM" report "$tmp/g.json" --format json -o "$tmp/r.json"
echo "input: $(stat -c %s "$tmp/r.json") bytes, $(( ${1:-1000} * ${2:-100} )) results"
for f in html junit md tap ctrf; do
	s=$(date +%s.%N)
	"$WM" report "$tmp/r.json" --format $f -o "$tmp/out.$f"
	e=$(date +%s.%N)
	printf '%-6s %6.3f s  %10d bytes\n' "$f" "$(echo "$e - $s" | bc)" "$(stat -c %s "$tmp/out.$f")"
done
