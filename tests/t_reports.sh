# Reports and the commands on results files, on real runs: the results loader and its
# error corpus, agreement, JUnit (xmllint against the Jenkins XSD), TAP 14 (tap-parser),
# CTRF (ajv against the CTRF schema), Markdown and the GitHub Actions extras, merge and
# compare.
. "$(dirname "$0")/lib.sh"
D=$WM_ROOT/tests/data
XSD=$VENDOR/schemas/junit-10.xsd
# --- the loader rejects bad results files with file:line:col and exit 2
while IFS=$'\t' read -r f pos msg; do
	case "$f" in '#'*|'') continue;; esac
	"$WM" report "$WM_ROOT/tests/bad-results/$f" --format md >/dev/null 2>"$T/err"; rc=$?
	if [ $rc = 2 ] && grep -qF "tests/bad-results/$f:$pos: error: " "$T/err" && grep -qF "$msg" "$T/err"; then
		ok "bad results $f: $pos $msg"
	else
		bad "bad results $f" "exit $rc: $(head -3 "$T/err")"
	fi
done < "$WM_ROOT/tests/bad-results/EXPECT"
expect_exit "report: missing file is exit 2" 2 "$WM" report "$T/nope.json"
expect_exit "report: unknown format is exit 2" 2 "$WM" report "$WM_ROOT/tests/bad-results/empty.json" --format pdf
for c in report merge compare; do
	"$WM" $c --help >"$T/h" 2>&1 && grep -q "^usage: wasmatrix $c" "$T/h" && ok "$c --help" || bad "$c --help" "$(head -2 "$T/h")"
done
expect_exit "run: unknown --format is exit 2" 2 "$WM" run "$D/reports.yaml" --format html,pdf --out "$T/x"
if ! have_node; then skip reports "node is not installed"; exit 0; fi
RTS=node
"$WM" runtimes | grep -q '^wasmtime  *[0-9]' && RTS=node,wasmtime
# --- a real run writing every format
"$WM" run "$D/reports.yaml" --runtime $RTS --out "$T/o" --format term,json,html,md,junit,tap,ctrf --color never >"$T/log" 2>&1; rc=$?
[ $rc = 1 ] && ok "run --format: exit 1 for the designed failure" || bad "run --format" "exit $rc: $(tail -5 "$T/log")"
for f in results.json report.html summary.md junit.xml results.tap ctrf.json; do
	[ -s "$T/o/$f" ] && ok "run --format wrote $f" || bad "run --format $f" "missing"
done
R=$T/o/results.json
[ "$(rq "$R" 'r["agreement"]["tests"]["reports/plain-pass"]["groups"][0]["ending"]')" = "exit 0" ] && ok "agreement stored in results.json" || bad "agreement" "$(rq "$R" 'r.get("agreement")')"
# the JUnit XML validates against the Jenkins xunit schema and maps outcomes
if xmllint --noout --schema "$XSD" "$T/o/junit.xml" 2>"$T/x"; then ok "junit validates against junit-10.xsd"; else bad "junit xsd" "$(tail -3 "$T/x")"; fi
python3 - "$T/o/junit.xml" "${RTS%%,*}" >"$T/j" 2>&1 <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
rt = sys.argv[2]
cases = {c.get("name"): c for s in root.iter("testsuite") if s.get("name") == rt + ".reports" for c in s.iter("testcase")}
assert cases["plain-pass"].get("classname") == rt + ".reports", cases["plain-pass"].attrib
assert len(list(cases["plain-pass"])) == 0
f = cases["nasty-output-fail"].find("failure"); assert f is not None and f.get("type") == "fail"
out = cases["nasty-output-fail"].find("system-out").text
assert "]]> # | <b>&amp;" in out and "\x01" not in out and "\x1b" not in out, repr(out)
assert cases["skipped"].find("skipped") is not None
t = cases["nasty-output-fail"].get("time"); float(t); assert "e" not in t and t.count(".") == 1, t
print("ok")
PY
[ "$(tail -1 "$T/j")" = ok ] && ok "junit: classname runtime.suite, failure/skipped, CDATA with ']]>' kept and control characters dropped, decimal time" || bad "junit content" "$(cat "$T/j")"
grep -q ']]]]><!\[CDATA\[>' "$T/o/junit.xml" && ok "junit: ']]>' split across CDATA sections" || bad "junit cdata split" "$(grep -c CDATA "$T/o/junit.xml")"
if bash "$WM_ROOT/tests/js/setup.sh" 2>"$T/npm"; then
	node "$WM_ROOT/tests/js/check-tap.mjs" "$T/o/results.tap" >"$T/tap" 2>&1 && ok "TAP 14 parses (tap-parser): $(head -1 "$T/tap")" || bad "tap" "$(cat "$T/tap")"
	node "$WM_ROOT/tests/js/check-ctrf.mjs" "$T/o/ctrf.json" "$VENDOR/schemas/ctrf.schema.json" >"$T/ctrf" 2>&1 && ok "CTRF validates against ctrf.schema.json ($(cat "$T/ctrf"))" || bad "ctrf schema" "$(cat "$T/ctrf")"
else
	skip "tap and ctrf checkers" "npm ci failed: $(tail -2 "$T/npm")"
fi
grep -q '^not ok .* reports/nasty-output-fail' "$T/o/results.tap" && grep -q '# SKIP shows a skip' "$T/o/results.tap" && ok "TAP: designed failure is not ok, skip has its reason" || bad "tap content" "$(head -8 "$T/o/results.tap")"
grep -A12 '^not ok .* reports/nasty-output-fail' "$T/o/results.tap" | grep -q '^  diff: |-' && ok "TAP: YAML diagnostic with the diff" || bad "tap diagnostic" "$(grep -A8 nasty "$T/o/results.tap" | head -10)"
# report re-renders the same thing from the file
"$WM" report "$R" --format md -o "$T/again.md" && cmp -s "$T/again.md" "$T/o/summary.md" && ok "report md from the file = run --format md" || bad "report md" "differs"
grep -q '^| reports/nasty-output-fail | node | ✗ fail |' "$T/o/summary.md" && ok "markdown lists the unexpected result" || bad "md" "$(grep nasty "$T/o/summary.md")"
"$WM" report "$R" --format json -o "$T/same.json" && rq "$T/same.json" 'len(r["results"])' >/dev/null && ok "report --format json round-trips" || bad "json"
# --- GitHub Actions: step summary appended, annotations pointing at the suite line
: >"$T/step"
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$T/step" "$WM" report "$R" --format md -o "$T/gh.md" >"$T/ann" 2>&1
line=$(grep -n 'name: nasty-output-fail' "$D/reports.yaml" | cut -d: -f1)
grep -q "^::error file=[^,]*tests/data/reports.yaml,line=$line,title=reports/nasty-output-fail on node%3A fail::" "$T/ann" && ok "::error annotation at the test's line $line in its suite YAML" || bad "annotation" "$(cat "$T/ann")"
grep -q '## wasmatrix results' "$T/step" && ok "GITHUB_STEP_SUMMARY appended" || bad "step summary" "$(head -3 "$T/step")"
# the annotations never land inside the Markdown: with the report on stdout (the default,
# or `> out.md`) they go to stderr, still in the job log
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$T/step" "$WM" report "$R" --format md -o - >"$T/gh-stdout.md" 2>"$T/gh-stderr"
! grep -q '^::' "$T/gh-stdout.md" && grep -q '## wasmatrix results' "$T/gh-stdout.md" && ok "report --format md -o - with GITHUB_ACTIONS=true: no ::error lines in the Markdown" || bad "annotations inside the Markdown" "$(grep '^::' "$T/gh-stdout.md" | head -2)"
grep -q "^::error file=[^,]*tests/data/reports.yaml,line=$line," "$T/gh-stderr" && ok "... the annotations go to stderr instead" || bad "annotations on stderr" "$(head -3 "$T/gh-stderr")"
cmp -s "$T/gh.md" "$T/gh-stdout.md" && ok "... and the Markdown is the same as without GITHUB_ACTIONS" || bad "md differs with GITHUB_ACTIONS" "$(diff "$T/gh.md" "$T/gh-stdout.md" | head -5)"
# `run` writes its reports into --out, so its annotations stay on stdout, for the job log
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$T/step" "$WM" run "$D/reports.yaml" --runtime node --out "$T/ghrun" --format md --color never >"$T/ghrun.out" 2>&1
grep -q "^::error file=[^,]*tests/data/reports.yaml,line=$line," "$T/ghrun.out" && ! grep -q '^::' "$T/ghrun/summary.md" && ok "run --format md with GITHUB_ACTIONS=true: annotations on stdout, none in summary.md" || bad "run annotations" "$(grep -c '^::' "$T/ghrun.out") on stdout"
head -c $((1024 * 1024 - 600)) /dev/zero | tr '\0' 'x' >"$T/step"
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$T/step" "$WM" report "$R" --format md -o "$T/gh.md" >/dev/null 2>&1
sz=$(stat -c %s "$T/step")
[ "$sz" -le $((1024 * 1024)) ] && grep -q "Summary cut here" "$T/step" && ok "step summary stays under 1 MiB ($sz bytes), cut with a note" || bad "1 MiB limit" "$sz bytes"
# --- merge: two runs of different runtimes join; duplicates and other suites refused
if [ "$RTS" = node,wasmtime ]; then
	"$WM" run "$D/reports.yaml" --runtime node --out "$T/m1" >/dev/null 2>&1
	"$WM" run "$D/reports.yaml" --runtime wasmtime --out "$T/m2" >/dev/null 2>&1
	"$WM" merge "$T/m1/results.json" "$T/m2/results.json" -o "$T/m.json" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && [ "$(rq "$T/m.json" 'len(r["results"]), len(r["tests"]), len(r["runtimes"]), r["agreement"]["overall"]["compared"], len(r["run"]["merged_from"])')" = "6 3 2 2 2" ] \
		&& ok "merge: 2 runs → 6 results, 3 tests, 2 runtimes, agreement recomputed" || bad "merge" "rc=$rc $(cat "$T/err") $(rq "$T/m.json" 'len(r["results"])' 2>&1)"
	# a stopped shard keeps the merge incomplete: it lacks that shard's unfinished tests
	python3 - "$T/m2/results.json" "$T/m2i.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); r["results"] = r["results"][:1]
r["incomplete"] = {"signal": "SIGINT", "results": 1, "planned": 3}
json.dump(r, open(sys.argv[2], "w"))
PY
	"$WM" merge "$T/m1/results.json" "$T/m2i.json" -o "$T/mi.json" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && [ "$(rq "$T/mi.json" 'r["incomplete"]')" = "{'signal': 'SIGINT', 'results': 4, 'planned': 6}" ] \
		&& ok "merge: an incomplete input makes the merge incomplete (signal, results, planned)" || bad "merge incomplete" "rc=$rc $(cat "$T/err") $(rq "$T/mi.json" 'r.get("incomplete")' 2>&1)"
	"$WM" report "$T/mi.json" --format md -o "$T/mi.md" && grep -q '^> \*\*Incomplete run\*\*: stopped by SIGINT after 4 of 6 results' "$T/mi.md" \
		&& ok "report md says the run is incomplete" || bad "md incomplete" "$(head -5 "$T/mi.md")"
	"$WM" report "$T/mi.json" --format html -o "$T/mi.html" && grep -q '<strong>Incomplete run</strong>: stopped by SIGINT after 4 of 6 results' "$T/mi.html" \
		&& ok "report html says the run is incomplete" || bad "html incomplete" "$(grep -c Incomplete "$T/mi.html")"
	expect_exit "update-baseline refuses the incomplete merge" 2 "$WM" update-baseline "$T/mi.json" --baseline "$T/mib"
	[ "$(rq "$T/m.json" 'r["incomplete"]')" = None ] && ok "merge: complete inputs give incomplete: null" || bad "merge complete" "$(rq "$T/m.json" 'r.get("incomplete")' 2>&1)"
	"$WM" report "$T/m.json" --format junit -o "$T/m.xml" && xmllint --noout --schema "$XSD" "$T/m.xml" 2>/dev/null && ok "merged file renders and validates" || bad "merged render"
else
	skip "merge of two runtimes" "wasmtime not installed"
fi
"$WM" merge "$R" "$R" -o "$T/dup.json" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "duplicate result: test 'reports/plain-pass' on runtime 'node'" "$T/err" && [ ! -e "$T/dup.json" ] && ok "merge: a duplicated (test, runtime) is an error, nothing written" || bad "merge duplicate" "rc=$rc $(cat "$T/err")"
"$WM" merge "$R" "$R" -o "$T/dup.json" --force 2>/dev/null; rc=$?
[ $rc = 2 ] && ok "merge: duplicates are an error even with --force" || bad "merge --force dup" "rc=$rc"
"$WM" run "$D/engine.yaml" --runtime node --filter 'exact-*' --out "$T/e" >/dev/null 2>&1
"$WM" merge "$R" "$T/e/results.json" -o "$T/se.json" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "ran suites 'engine' but .* ran 'reports'; use --force" "$T/err" && ok "merge: refuses runs of different suites" || bad "merge suites" "rc=$rc $(cat "$T/err")"
"$WM" merge "$R" "$T/e/results.json" -o "$T/se.json" --force 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ "$(rq "$T/se.json" 'len(r["suites"])')" = 2 ] && ok "merge --force joins different suites" || bad "merge --force" "rc=$rc $(cat "$T/err")"
python3 - "$R" "$T/oldtool.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["tool"]["version"] = "0.0.1"
for x in d["results"]: x["runtime"] = x["runtime"]  # same results, older tool
json.dump(d, open(sys.argv[2], "w"))
PY
"$WM" merge "$R" "$T/oldtool.json" -o "$T/ot.json" 2>"$T/err"; rc=$?
grep -q "written by wasmatrix 0.0.1 but" "$T/err" && [ $rc = 2 ] && ok "merge: refuses a different wasmatrix version" || bad "merge tool version" "rc=$rc $(cat "$T/err")"
# --- merge refuses runs whose test definitions differ (same test id), whatever the
# directory the suite was run from; runs of one definition on two machines still merge
RT2=$("$WM" runtimes 2>/dev/null | awk '$1 != "node" && $2 ~ /^[0-9]/ {print $1; exit}')
if [ -n "$RT2" ]; then
	# one suite in four directories: A and B the same (module copied), C with one expectation
	# changed, D with the same text but another module under the same file name
	for x in A B C D; do
		mkdir -p "$T/def$x"
		cp "$WM_ROOT/fixtures/selftest/echo.wasm" "$T/def$x/echo.wasm"
		sed -e 's|../../fixtures/selftest/echo.wasm|echo.wasm|' "$D/reports.yaml" >"$T/def$x/reports.yaml"
	done
	sed -i -e 's|stdout: "arg\[0\]=echo.wasm\\narg\[1\]=a\\nstdin:"|stdout: "arg[0]=echo.wasm\\narg[1]=a\\nstdin:x"|' "$T/defC/reports.yaml"
	cp "$WM_ROOT/fixtures/selftest/hello.wasm" "$T/defD/echo.wasm"
	"$WM" run "$T/defA/reports.yaml" --runtime node --out "$T/defA/o" >/dev/null 2>&1
	for x in B C D; do "$WM" run "$T/def$x/reports.yaml" --runtime "$RT2" --out "$T/def$x/o" >/dev/null 2>&1; done
	! cmp -s "$T/defC/reports.yaml" "$T/defA/reports.yaml" && ok "merge definitions: the changed suite differs" || bad "merge definitions setup" "sed did not change defC"
	[ "$(rq "$T/defA/o/results.json" '[t["definition"] for t in r["tests"]] == [t["definition"] for t in json.load(open(sys.argv[1].replace("defA", "defB")))["tests"]] and len(r["tests"][0]["definition"])')" = 64 ] \
		&& ok "results: each test records a 64-hex definition digest, equal for one suite run from two directories" || bad "definition digest" "$(rq "$T/defA/o/results.json" '[t.get("definition") for t in r["tests"]]')"
	"$WM" merge "$T/defA/o/results.json" "$T/defB/o/results.json" -o "$T/defAB.json" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && [ "$(rq "$T/defAB.json" 'len(r["results"])')" = 6 ] && ok "merge: one definition run from two directories merges" || bad "merge same definition" "rc=$rc $(cat "$T/err")"
	"$WM" merge "$T/defA/o/results.json" "$T/defC/o/results.json" -o "$T/defAC.json" 2>"$T/err"; rc=$?
	[ $rc = 2 ] && grep -q "error: test 'reports/plain-pass' is defined differently here than in .*defA/o/results.json (expect differs)" "$T/err" \
		&& [ "$(grep -c 'defined differently' "$T/err")" = 1 ] && [ ! -e "$T/defAC.json" ] \
		&& ok "merge: a changed expectation is refused, naming the test, nothing written" || bad "merge changed expectation" "rc=$rc $(cat "$T/err")"
	"$WM" merge "$T/defA/o/results.json" "$T/defC/o/results.json" --force -o "$T/defAC.json" 2>/dev/null; rc=$?
	[ $rc = 2 ] && [ ! -e "$T/defAC.json" ] && ok "merge: different definitions are refused even with --force" || bad "merge --force definitions" "rc=$rc"
	"$WM" merge "$T/defA/o/results.json" "$T/defD/o/results.json" -o "$T/defAD.json" 2>"$T/err"; rc=$?
	[ $rc = 2 ] && [ "$(grep -c 'defined differently.*(the contents of the module or of a fixture differ)' "$T/err")" = 3 ] && ok "merge: another module under the same name is refused (every test), by content" || bad "merge module content" "rc=$rc $(cat "$T/err")"
	# files written before the digest: the recorded fields decide, paths aside
	for x in A B C; do
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [t.pop("definition") for t in d["tests"]]; json.dump(d, open(sys.argv[2], "w"))' \
			"$T/def$x/o/results.json" "$T/old$x.json"
	done
	"$WM" merge "$T/oldA.json" "$T/oldB.json" -o "$T/oldAB.json" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && ok "merge without digests: the same fields from two directories merge" || bad "merge old same" "rc=$rc $(cat "$T/err")"
	"$WM" merge "$T/oldA.json" "$T/oldC.json" -o "$T/oldAC.json" 2>"$T/err"; rc=$?
	[ $rc = 2 ] && grep -q "defined differently here .*(expect differs)" "$T/err" && ok "merge without digests: a changed expectation is refused by the recorded fields" || bad "merge old changed" "rc=$rc $(cat "$T/err")"
else
	skip "merge of different definitions" "no second runtime is available"
fi
# two runs that selected no test merge into an empty matrix (qsort of nothing was UB)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["tests"]=[]; d["results"]=[]; json.dump(d, open(sys.argv[2], "w"))' "$R" "$T/empty.json"
"$WM" merge "$T/empty.json" "$T/empty.json" -o "$T/empty-m.json" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ "$(rq "$T/empty-m.json" 'len(r["tests"]), len(r["results"])')" = "0 0" ] && ok "merge: two runs without tests make an empty matrix" || bad "merge empty" "rc=$rc $(cat "$T/err")"
# --- compare: a regression, a new and a removed test, a runtime added
sed -e 's/name: plain-pass/name: plain-pass/' "$D/reports.yaml" >"$T/r2.yaml"
mkdir -p "$T/new/fixtures/selftest" && cp "$WM_ROOT/fixtures/selftest/echo.wasm" "$T/new/fixtures/selftest/"
python3 - "$D/reports.yaml" "$T/new/reports.yaml" "$WM_ROOT" <<'PY'
import sys
s = open(sys.argv[1]).read().replace("../../fixtures", "fixtures")	# a suite names files in its own tree
s = s.replace('stdout: "arg[0]=echo.wasm\\narg[1]=a\\nstdin:"', 'stdout: "arg[0]=echo.wasm\\narg[1]=CHANGED\\nstdin:"')
s = s.replace("  - name: skipped\n    skip: shows a skip in every format\n", "  - name: brand-new\n    args: [n]\n    expect: {stdout: {contains: 'arg[1]=n'}}\n")
open(sys.argv[2], "w").write(s)
PY
"$WM" run "$T/new/reports.yaml" --runtime $RTS --out "$T/n" >/dev/null 2>&1
"$WM" run "$D/reports.yaml" --runtime node --out "$T/old" >/dev/null 2>&1
"$WM" compare "$T/old/results.json" "$T/n/results.json" >"$T/cmp.md" 2>"$T/err"; rc=$?
[ $rc = 1 ] && ok "compare: exit 1 on a regression" || bad "compare exit" "rc=$rc $(cat "$T/err")"
grep -q '^| reports/plain-pass | node | ✓ pass → ✗ fail |' "$T/cmp.md" && ok "compare lists the regression" || bad "compare regression" "$(cat "$T/cmp.md")"
grep -q '^### New tests (1)' "$T/cmp.md" && grep -q '^| reports/brand-new |' "$T/cmp.md" && grep -q '^### Removed tests (1)' "$T/cmp.md" && ok "compare lists new and removed tests" || bad "compare new/removed" "$(cat "$T/cmp.md")"
if [ "$RTS" = node,wasmtime ]; then
	grep -q '^| wasmtime | (not in old run) | [0-9]' "$T/cmp.md" && ok "compare lists the runtime added" || bad "compare runtimes" "$(grep -A4 'Runtime changes' "$T/cmp.md")"
fi
"$WM" compare "$T/n/results.json" "$T/old/results.json" --format html -o "$T/cmp.html" 2>/dev/null; rc=$?
[ $rc = 0 ] && grep -q '<h2>Fixes (1)</h2>' "$T/cmp.html" && ok "compare --format html: the reverse is a fix, exit 0" || bad "compare html" "rc=$rc"
expect_exit "compare: same run twice is exit 0" 0 "$WM" compare "$R" "$R"
expect_exit "compare: a bad file is exit 2" 2 "$WM" compare "$R" "$WM_ROOT/tests/bad-results/wrong-type.json"
