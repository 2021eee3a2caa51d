# Loading in linear time, kept as correctness checks on inputs large enough that a
# quadratic step would blow this script's time budget many times over (each of them took
# 15-50 s before the hash sets; bench/load.sh times them). No timing is asserted here.
. "$(dirname "$0")/lib.sh"
GEN="python3 $WM_ROOT/bench/gen_suite.py"
RUNNERS=$WM_ROOT/runners
# 100 000 tests, the last one named like the first: one error, at the right lines
s=$($GEN "$T/tests" dup-tests 100000)
"$WM" run --list --color never --runners "$RUNNERS" "$s" >"$T/out" 2>"$T/err"; rc=$?
last=$(grep -n 'name: t0000000' "$s" | tail -1 | cut -d: -f1)
[ $rc = 2 ] && [ "$(grep -c ': error: ' "$T/err")" = 1 ] \
	&& grep -q "^$s:$last:11: error: duplicate test name 't0000000' (first at line 5)" "$T/err" \
	&& ok "100k tests: the one duplicate name found, with both lines" || bad "100k tests" "rc=$rc $(head -3 "$T/err")"
# 40 000 errors in one file: all reported, each with its own source line
s=$($GEN "$T/errors" errors 40000)
"$WM" run --list --color never --runners "$RUNNERS" "$s" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(grep -c ': error: unknown key' "$T/err")" = 40000 ] && grep -q '^ 80004 |     timout: 39999$' "$T/err" \
	&& ok "40k errors in one file, each shown with its line" || bad "40k errors" "rc=$rc $(tail -3 "$T/err")"
# 20 000 tests under defaults with 20 000 unknown keys: each key reported once
s=$($GEN "$T/junk" defaults-junk 20000)
"$WM" run --list --color never --runners "$RUNNERS" "$s" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(grep -c ": error: unknown key 'junk" "$T/err")" = 20000 ] && [ "$(grep -c ': error: ' "$T/err")" = 20000 ] \
	&& ok "20k unknown keys in defaults over 20k tests: each reported once" || bad "defaults junk" "rc=$rc $(tail -3 "$T/err")"
# 60 000 keys in one map, the last repeating the first
s=$($GEN "$T/keys" dup-keys 60000)
"$WM" run --list --color never --runners "$RUNNERS" "$s" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(grep -c ': error: ' "$T/err")" = 1 ] && grep -q "error: duplicate key 'K0000000' (first at line 7)" "$T/err" \
	&& ok "60k map keys: the one duplicate key found" || bad "60k keys" "rc=$rc $(head -3 "$T/err")"
# 60 000 env variables in the defaults, all set again by the test: merged, not doubled
s=$($GEN "$T/merge" env-merge 60000)
"$WM" run --list --color never --runners "$RUNNERS" "$s" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -q '^1 tests ×' "$T/out" && ok "60k env variables from defaults and test merge key by key" || bad "60k env merge" "rc=$rc $(head -3 "$T/err")"
# a results file of 100 000 results for one (test, runtime): every duplicate counted, the
# first named
r=$($GEN "$T/res" dup-results 100000)
"$WM" report "$r" --format md -o "$T/r.md" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "results\[1\]: duplicate result for test 's/a' on runtime 'node' (first: results\[0\])" "$T/err" \
	&& grep -q "results\[50\]: duplicate .* (further errors not shown)" "$T/err" \
	&& ok "100k duplicate results: reported against the first, capped" || bad "100k duplicate results" "rc=$rc $(head -3 "$T/err")"
# update-baseline: 40 000 failures against a baseline of 40 000 exact entries (listed in
# the reverse order) and 10 globs: every entry keeps its reason
r=$($GEN "$T/bl" baseline 40000)
"$WM" update-baseline "$r" --baseline "$T/bl/bl" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ "$(grep -c '^    reason: "kept ' "$T/bl/bl/node.yaml")" = 40000 ] \
	&& grep -A2 'test: "gen/t0012345"' "$T/bl/bl/node.yaml" | grep -q 'reason: "kept 12345"' \
	&& ok "update-baseline of 40k results against 40k entries keeps each reason" || bad "40k baseline" "rc=$rc $(head -3 "$T/err")"
# the index keeps the baseline's rule: the first entry in file order that matches, glob or
# exact, for the runtime (here: the results' runtime is node)
mkdir -p "$T/order/bl"
python3 - "$r" "$T/order/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["tests"] = d["tests"][:3]; d["results"] = d["results"][:3]
json.dump(d, open(sys.argv[2], "w"))
PY
cat >"$T/order/bl/node.yaml" <<'Y'
runtime: node
entries:
  - {test: "gen/t0000000", expect: fail, reason: exact first}
  - {test: "gen/t000000*", expect: fail, reason: glob second}
  - {test: "gen/t0000002", expect: fail, reason: exact after the glob}
Y
cat >"$T/order/bl/other.yaml" <<'Y'
runtime: other
entries:
  - {test: "gen/t0000001", expect: fail, reason: another runtime}
Y
"$WM" update-baseline "$T/order/results.json" --baseline "$T/order/bl" >/dev/null 2>"$T/err"; rc=$?
got=$(grep 'reason:' "$T/order/bl/node.yaml" | tr -d '"' | sed 's/ *reason: //' | paste -sd'|')
[ $rc = 0 ] && [ "$got" = "exact first|glob second|glob second" ] && ok "baseline lookups: the first matching entry in file order, for the runtime" || bad "baseline order" "rc=$rc got '$got' $(cat "$T/err")"
