#!/usr/bin/env bash
# Runs the test scripts tests/t_*.sh (or those named on the command line) and prints
# a closing line "N passed, N failed, N skipped". Each script uses tests/lib.sh.
# WASMATRIX_BIN selects the binary under test (default: ./wasmatrix, e.g. the ASan build).
set -u
cd "$(dirname "$0")/.."
export WM_ROOT=$PWD
export WM="${WASMATRIX_BIN:-$PWD/wasmatrix}"
# the tests run the host's runtimes unless they ask for others (--arch): emulated aarch64
# columns are t_arch.sh's (docs/architectures.md)
export WASMATRIX_ARCH="${WASMATRIX_ARCH:-$(uname -m)}"
case "$WM" in /*) ;; *) WM="$PWD/$WM";; esac
export WM_TALLY; WM_TALLY=$(mktemp)
trap 'rm -f "$WM_TALLY"' EXIT
scripts=("$@")
[ ${#scripts[@]} -eq 0 ] && scripts=(tests/t_*.sh)
for s in "${scripts[@]}"; do
	[ -f "$s" ] || s="tests/$s"
	[ -f "$s" ] || s="tests/t_$(basename "$s" .sh).sh"
	echo "== $s"
	bash "$s" || echo "fail $s: script exited $?" >> "$WM_TALLY"
done
p=$(grep -c '^pass' "$WM_TALLY"); f=$(grep -c '^fail' "$WM_TALLY"); k=$(grep -c '^skip' "$WM_TALLY")
if [ "$f" -gt 0 ]; then echo; echo "failures:"; grep '^fail' "$WM_TALLY" | sed 's/^fail /  /'; fi
echo
echo "$p passed, $f failed, $k skipped"
[ "$f" -eq 0 ]
