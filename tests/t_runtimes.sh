# Every installed runtime on the calibration suite and the official wasi-testsuite p1
# suites, each outcome asserted: a pass, a divergence recorded (with its reason) in
# baselines/<runtime>.yaml, or a skip because the adapter lacks a feature the test needs.
# WASMATRIX_MIN_RUNTIMES (CI: 7) is how many runtimes must be available.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
"$WM" runtimes --json > "$T/rt.json"
avail=$(python3 -c "import json,sys; print(','.join(r['name'] for r in json.load(open(sys.argv[1])) if r['available']))" "$T/rt.json")
n=$(echo "$avail" | tr ',' '\n' | grep -c .)
"$WM" runtimes | sed 's/^/    /'
min=${WASMATRIX_MIN_RUNTIMES:-1}
[ "$n" -ge "$min" ] && ok "$n runtimes available ($avail), at least $min" || bad "runtimes available" "$n < $min: $avail"
[ "$n" -ge 1 ] || exit 0
S=$VENDOR/wasi-testsuite
"$WM" run suites/calibration "$S/c/testsuite/wasm32-wasip1" "$S/assemblyscript/testsuite/wasm32-wasip1" \
	--runtime "$avail" --baseline baselines --out "$T/o" --color never >"$T/log" 2>&1; rc=$?
[ $rc = 0 ] && grep -q '^baseline gate: passed' "$T/log" && ok "calibration + wasi-testsuite on $n runtimes: every outcome as recorded (exit 0)" || bad "runtime gate" "rc=$rc $(grep -A30 '^Unexpected' "$T/log" | grep -v '^      ' | head -30)"
# (the entries for suites/apps, suites/arch, suites/wasi-p2 and suites/*-component are not in
# this run: tests/t_apps.sh, tests/t_archprobes.sh, tests/t_p2native.sh and tests/t_p2.sh check them)
! grep 'matches no result' "$T/log" | grep -v "entry 'apps/" | grep -v "entry 'arch/" | grep -v "entry 'wasi-p2/" | grep -qv "entry '[a-z0-9-]*-component/" && ok "no recorded divergence is stale" || bad "stale entries" "$(grep 'matches no result' "$T/log")"
python3 - "$T/o/results.json" <<'PY' >"$T/py" 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
avail = {x["name"] for x in r["runtimes"] if x["available"]}
bad = []
per = {}
for x in r["results"]:
    if x["runtime"] not in avail: continue
    per.setdefault(x["runtime"], {}).setdefault(x["outcome"], 0)
    per[x["runtime"]][x["outcome"]] += 1
    if x["outcome"] == "skip" and not any(k in x["reason"] for k in ("lacks '", "same-path only", "cannot remap")):
        bad.append("%s %s skipped: %s" % (x["runtime"], x["test"], x["reason"]))
    if x["outcome"] not in ("pass", "xfail", "skip"):
        bad.append("%s %s: %s" % (x["runtime"], x["test"], x["outcome"]))
for rt, c in sorted(per.items()):
    print("%-9s %s" % (rt, " ".join("%s=%d" % kv for kv in sorted(c.items()))))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "only passes, recorded divergences, and feature skips" || bad "outcomes" "$(cat "$T/py")"
sed 's/^/    /' "$T/py"
# each runtime ran the suites for real: at least the calibration basics pass everywhere
# (those that run core modules: jco runs components only, its core tests are recorded unsupported)
core=$(python3 -c "import json,sys; print(' '.join(r['name'] for r in json.load(open(sys.argv[1])) if r['available'] and 'wasm32-wasip1' in r['wasi']))" "$T/rt.json")
for rt in $core; do
	o=$(outcome "$T/o/results.json" calibration/args-plain "$rt")
	[ "$o" = pass ] && ok "$rt passes calibration/args-plain" || bad "$rt calibration/args-plain" "$o"
done
