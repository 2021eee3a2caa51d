# Every wasi_snapshot_preview1 function has a success and an error test in suites/wasi-p1
# (per their tags), and docs/wasi-p1-coverage.md is the table generated from those tags.
. "$(dirname "$0")/lib.sh"
check "wasi-p1 covers all 46 functions; coverage doc up to date" python3 "$WM_ROOT/scripts/coverage.py" --check
# every bundled suite loads cleanly
for s in "$WM_ROOT"/suites/*/suite.yaml; do
	check "suite $(basename "$(dirname "$s")") loads" "$WM" run --list "$s"
done
