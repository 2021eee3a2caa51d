# tests/lib.sh - helpers for the test scripts: ok/bad/skip record one check each.
# $WM is the wasmatrix binary, $WM_ROOT the project, $WM_TALLY the tally file.
set -u
T=$(mktemp -d /tmp/wm-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
# Third-party data the tests use (upstream suites, schemas), vendored: see vendor/README.md.
VENDOR=$WM_ROOT/vendor

ok()   { echo "pass $1" >> "$WM_TALLY"; echo "  ok   $1"; }
bad()  { echo "fail $1" >> "$WM_TALLY"; echo "  FAIL $1${2:+: $2}"; }
skip() { echo "skip $1" >> "$WM_TALLY"; echo "  skip $1: $2"; }
# check NAME COMMAND... : passes when the command succeeds
check() { local n=$1; shift; if "$@" >"$T/check.out" 2>&1; then ok "$n"; else bad "$n" "$(tail -5 "$T/check.out")"; fi; }
# expect_exit NAME CODE COMMAND... : passes when the command exits CODE
expect_exit() {
	local n=$1 want=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; local got=$?
	if [ "$got" = "$want" ]; then ok "$n"; else bad "$n" "exit $got, wanted $want; stderr: $(head -c 600 "$T/err")"; fi
}
# jq-like query of a results file with python: rq FILE 'python expression over r (the doc)';
# a version 2 results file's commands are joined back whole first (docs/results-format.md)
rq() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))
if isinstance(r, dict) and 'shared' in r and isinstance(r.get('results'), list):
    [x.update(command=''.join(r['shared'][p] if isinstance(p, int) else p for p in x['command'])) for x in r['results'] if isinstance(x, dict) and isinstance(x.get('command'), list)]
print($2)" "$1"; }
# outcome FILE TEST RUNTIME -> outcome
outcome() { python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for x in r["results"]:
    if x["test"] == sys.argv[2] and x["runtime"] == sys.argv[3]:
        print(x["outcome"]); break
else:
    print("missing")
PY
}
have_node() { command -v node >/dev/null 2>&1; }
