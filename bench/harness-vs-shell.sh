#!/usr/bin/env bash
# Harness overhead: wall time of `wasmatrix run` against running the very same command
# lines from a plain shell loop, on the same tests, side by side in one run.
#
#   bench/harness-vs-shell.sh [RUNTIME] [REPS]     (default: node, 5)
#
# Tests: the upstream AssemblyScript wasi-testsuite (12 modules, no preopens, so the command
# lines recorded in results.json can be replayed without the temporary fixture copies).
# Both sides run sequentially (--jobs 1 vs a for loop), then in parallel (--jobs N vs
# xargs -P N). Prints the median of REPS runs and the ratio harness/shell.
set -eu
# the host's runtimes only: with aarch64 builds installed, --arch would default to both
export WASMATRIX_ARCH="${WASMATRIX_ARCH:-$(uname -m)}"
cd "$(dirname "$0")/.."
RT=${1:-node}; REPS=${2:-5}
SUITE=vendor/wasi-testsuite/assemblyscript/testsuite/wasm32-wasip1
N=$(nproc)
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
./wasmatrix run "$SUITE" --runtime "$RT" --out "$W/r" --color never >/dev/null || true
# replay file: one command per line; each recreates the run's (now removed) temporary
# home/ and work/ directories first and removes them after, as the harness does, so both
# sides do the same work (e.g. wasmtime writes its compilation cache under $HOME)
python3 - "$W/r/results.json" "$W" > "$W/cmds" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for x in r["results"]:
    c = x["command"]
    if not c: continue
    if isinstance(c, list):     # version 2: text and indexes into "shared"
        c = "".join(r["shared"][p] if isinstance(p, int) else p for p in c)
    cd, rest = c.split(" && ", 1)      # "cd <tmp>/work"
    work = cd[3:]
    base = work.rsplit("/", 1)[0]
    print("mkdir -p %s/home %s && cd %s && %s >/dev/null 2>&1; rm -rf %s" % (base, work, work, rest.split(" # stdin")[0], base))
PY
count=$(wc -l < "$W/cmds")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; echo "$(date +%s.%N) - $s" | bc; }
for mode in seq par; do
	: > "$W/h.$mode"; : > "$W/s.$mode"
	for i in $(seq "$REPS"); do
		if [ $mode = seq ]; then
			t ./wasmatrix run "$SUITE" --runtime "$RT" --jobs 1 --out "$W/o" --color never >> "$W/h.$mode"
			t bash -c "while IFS= read -r c; do bash -c \"\$c\"; done < $W/cmds" >> "$W/s.$mode"
		else
			t ./wasmatrix run "$SUITE" --runtime "$RT" --jobs "$N" --out "$W/o" --color never >> "$W/h.$mode"
			t bash -c "tr '\n' '\0' < $W/cmds | xargs -0 -P $N -I{} bash -c '{}'" >> "$W/s.$mode"
		fi
	done
	h=$(median < "$W/h.$mode"); s=$(median < "$W/s.$mode")
	printf '%-10s %3d commands on %-8s harness %6.3fs  shell %6.3fs  ratio %.3f\n' \
		"$mode" "$count" "$RT" "$h" "$s" "$(echo "$h / $s" | bc -l)"
done
