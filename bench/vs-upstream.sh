#!/usr/bin/env bash
# wasmatrix against upstream's runner, side by side in one run, on the same official tests
# with the same runtime binaries: wall time (median of REPS) of
#   upstream   vendor/wasi-testsuite-runner (WebAssembly/wasi-testsuite's Python runner,
#              tests one after another, as its README runs it)
#   wm -j1     wasmatrix run --jobs 1
#   wm -jN     wasmatrix run --jobs $(nproc)
#   cold -jN   wasmatrix run --jobs $(nproc) --cold: no compile cache, as a runtime without
#              one runs (WAMR, WasmEdge, and upstream's wazero adapter, which passes no
#              -cachedir): the fair proxy, on this machine, for the runtimes it cannot install
# and whether both give every test the same outcome (pass / fail / skip).
#
#   bench/vs-upstream.sh [REPS] [RUNTIME...]   (default: 7, every runtime found that both
#                                               have an adapter for)
#
# Tests: the vendored C and AssemblyScript preview1 suites (26 modules), or the suite
# directories in $SUITES (space-separated, upstream layout). Upstream's runner writes into
# its fixture directories, so it runs on a fresh copy of the suites each time (the copy is
# not timed); wasmatrix copies fixtures itself, inside the time. Both use the runtimes'
# default compile caches as a user's machine has them: upstream's runtimes keep theirs under
# $HOME, wasmatrix's under $XDG_CACHE_HOME/wasmatrix (docs/adapters.md); one untimed warm-up
# run of each side comes first.
# Upstream's runner needs Python >= 3.12 ($PYTHON, else python3.13/python3.12 on PATH, else
# pyenv's); its two packages (colorama, requests) go into a venv under the cache directory.
# Without such a Python the script says so and exits 77 (skip).
set -eu
# the host's runtimes only: with aarch64 builds installed, --arch would default to both
export WASMATRIX_ARCH="${WASMATRIX_ARCH:-$(uname -m)}"
cd "$(dirname "$0")/.."
REPS=${1:-7}; shift || true
UP=$PWD/vendor/wasi-testsuite-runner
WM=$PWD/wasmatrix
SUITES=${SUITES:-vendor/wasi-testsuite/c/testsuite/wasm32-wasip1 vendor/wasi-testsuite/assemblyscript/testsuite/wasm32-wasip1}
export WASMATRIX_RUNTIMES_DIR=${WASMATRIX_RUNTIMES_DIR:-$PWD/.runtimes/bin}
[ -x "$WM" ] || { echo "build wasmatrix first (make)" >&2; exit 2; }

py_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }
PY=${PYTHON:-}
if [ -z "$PY" ]; then
	for c in python3.14 python3.13 python3.12 python3 "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python; do
		if command -v "$c" >/dev/null 2>&1 && py_ok "$c"; then PY=$(command -v "$c"); break; fi
	done
fi
if [ -z "$PY" ] || ! py_ok "$PY"; then
	echo "skip: upstream's runner needs Python >= 3.12 (set PYTHON=...)" >&2; exit 77
fi
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/wasmatrix
VENV=$CACHE/bench-upstream-venv-$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ ! -x "$VENV/bin/python" ]; then
	"$PY" -m venv "$VENV"
	"$VENV/bin/pip" install -q -r "$UP/test-runner/requirements/prod.txt"
fi

# upstream adapter file : its environment variable : the wasmatrix runtime (and executable)
MAP="wasmtime.py:WASMTIME:wasmtime wazero.py:WAZERO:wazero wasm-micro-runtime.py:IWASM:iwasm wasmedge.py:WASMEDGE:wasmedge"
# the executable and version wasmatrix itself finds, so both sides run the same binary
rt_field() { "$WM" runtimes --json 2>/dev/null | python3 -c 'import json,sys; r=[x for x in json.load(sys.stdin) if x["name"]==sys.argv[1] and x["available"]]; print(r[0][sys.argv[2]] if r else "")' "$1" "$2"; }
want=" $* "
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
N=$(nproc)
printf '%-10s %-10s %10s %10s %7s %10s %7s %10s %7s  %s\n' runtime version upstream "wm -j1" ratio "wm -j$N" ratio "cold -j$N" ratio outcomes
for m in $MAP; do
	ad=${m%%:*}; rest=${m#*:}; var=${rest%%:*}; rt=${rest#*:}
	[ "$want" = "  " ] || [[ $want == *" $rt "* ]] || continue
	exe=$(rt_field "$rt" path)
	if [ -z "$exe" ]; then printf '%-10s skip: not installed\n' "$rt"; continue; fi
	ver=$(rt_field "$rt" version)
	up_once() {	# up_once OUTJSON: one upstream run on a fresh copy; prints its wall time
		rm -rf "$W/copy"; mkdir "$W/copy"
		local ts=()
		for s in $SUITES; do
			mkdir -p "$W/copy/$s"; cp -r "$s/." "$W/copy/$s/"; ts+=("$W/copy/$s")
		done
		local t0 t1
		t0=$(date +%s.%N)
		env "$var=$exe" "$VENV/bin/python" "$UP/test-runner/wasi_test_runner.py" -t "${ts[@]}" \
			-r "$UP/adapters/$ad" --disable-colors --json-output-location "$1" >"$W/up.log" 2>&1 || true
		t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc
	}
	wm_once() {	# wm_once JOBS OUTDIR [--cold]
		local t0 t1
		t0=$(date +%s.%N)
		# shellcheck disable=SC2086
		"$WM" run $SUITES --runtime "$rt" --jobs "$1" --out "$2" --color never ${3:-} >"$W/wm.log" 2>&1 || true
		t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc
	}
	up_once "$W/up.json" >/dev/null; wm_once "$N" "$W/wmN" >/dev/null	# warm-up
	: >"$W/tu"; : >"$W/t1"; : >"$W/tn"; : >"$W/tc"
	for _ in $(seq "$REPS"); do
		up_once "$W/up.json" >>"$W/tu"
		wm_once 1 "$W/wm1" >>"$W/t1"
		wm_once "$N" "$W/wmN" >>"$W/tn"
		wm_once "$N" "$W/wmC" --cold >>"$W/tc"
	done
	python3 - "$W" "$N" "$rt" "${ver:-?}" <<'PY'
import json, statistics, sys, os
w, n, rt, ver = sys.argv[1:5]
med = lambda f: statistics.median(float(x) for x in open(os.path.join(w, f)) if x.strip())
tu, t1, tn, tc = med("tu"), med("t1"), med("tn"), med("tc")
up = {}
for s in json.load(open(os.path.join(w, "up.json")))["results"]:
    for t in s["tests"]:
        o = t["outcome"] if t.get("executed", True) else "skip"
        up.setdefault(t["name"], []).append({"pass": "pass", "fail": "fail"}.get(o, "skip"))
def outcomes(d):
    wm = {}
    for r in json.load(open(os.path.join(w, d, "results.json")))["results"]:
        o = r["outcome"]
        wm.setdefault(r["test"].rsplit("/", 1)[1], []).append(
            "pass" if o in ("pass", "xpass") else "skip" if o == "skip" else "fail")
    return wm
diff = []
for d in ("wmN", "wmC"):
    wm = outcomes(d)
    diff += ["%s up=%s %s=%s" % (k, up.get(k), d, wm.get(k)) for k in sorted(set(up) | set(wm))
             if sorted(up.get(k, [])) != sorted(wm.get(k, []))]
print("%-10s %-10s %9.2fs %9.2fs %6.2fx %9.2fs %6.2fx %9.2fs %6.2fx  %s" % (
      rt, ver, tu, t1, tu / t1, tn, tu / tn, tc, tu / tc,
      "same (%d tests)" % sum(map(len, up.values())) if not diff else "DIFFER: " + ", ".join(diff)))
PY
done
echo "ratio = upstream time / wasmatrix time (above 1: wasmatrix is faster); medians of $REPS; $N cores"
