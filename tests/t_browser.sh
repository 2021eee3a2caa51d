# The HTML matrix of a real run in a real browser: the shared wasi-testsuite suites (C and
# AssemblyScript) plus the bundled calibration suite on every installed runtime, rendered
# with --format html,md, opened from file:// in Debian's headless Chromium driven by
# playwright-core: no console errors, a cell click opens its details, filters hide rows.
# The screenshot is kept in tests/artifacts/matrix.png. Also: the GitHub annotation cap.
. "$(dirname "$0")/lib.sh"
WTS=$VENDOR/wasi-testsuite
ART=$WM_ROOT/tests/artifacts
if [ ! -d "$WTS/c/testsuite/wasm32-wasip1" ]; then skip browser "no wasi-testsuite in $WTS"; exit 0; fi
# on the runtimes that run core modules (jco, components only, would be unsupported in every
# row, and hiding passing rows would hide none)
core=$("$WM" runtimes --json | python3 -c "import json,sys; print(','.join(r['name'] for r in json.load(sys.stdin) if 'wasm32-wasip1' in r['wasi']))")
"$WM" run "$WTS/c/testsuite/wasm32-wasip1" "$WTS/assemblyscript/testsuite/wasm32-wasip1" \
	"$WM_ROOT/suites/calibration" --runtime "$core" --out "$T/o" --format html,md,junit --color never >"$T/log" 2>&1; rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then bad "real run" "exit $rc: $(tail -5 "$T/log")"; exit 0; fi
R=$T/o/results.json
n=$(rq "$R" 'sum(1 for x in r["runtimes"] if x["available"])')
ok "real run: $(rq "$R" 'len(r["tests"])') tests on $n runtimes, $(stat -c %s "$T/o/report.html") bytes of HTML"
xmllint --noout --schema "$VENDOR/schemas/junit-10.xsd" "$T/o/junit.xml" 2>"$T/x" && ok "real run junit validates" || bad "real junit" "$(tail -3 "$T/x")"
s=$(date +%s.%N); "$WM" report "$R" --format html -o "$T/again.html"; e=$(date +%s.%N)
ok "report html re-rendered in $(python3 -c "print(round($e - $s, 3))") s"
# GitHub: more than 10 unexpected results → exactly 10 ::error lines and one ::notice
unexp=$(rq "$R" 'sum(1 for x in r["results"] if x["outcome"] in ("fail","crash","timeout","unsupported","xpass","error"))')
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$T/step" "$WM" report "$R" --format md -o "$T/s.md" >"$T/ann"
ne=$(grep -c '^::error ' "$T/ann"); nn=$(grep -c '^::notice ' "$T/ann")
if [ "$unexp" -gt 10 ]; then
	[ "$ne" = 10 ] && [ "$nn" = 1 ] && grep -q "::$((unexp - 10)) more unexpected results were not annotated" "$T/ann" \
		&& ok "$unexp unexpected: 10 ::error annotations and one overflow notice" || bad "annotation cap" "$ne errors, $nn notices: $(tail -2 "$T/ann")"
else
	[ "$ne" = "$unexp" ] && [ "$nn" = 0 ] && ok "$unexp unexpected: as many annotations, no notice" || bad "annotations" "$ne for $unexp"
fi
if ! [ -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then skip browser "chromium is not installed (make deps)"; exit 0; fi
if ! bash "$WM_ROOT/tests/js/setup.sh" 2>"$T/npm"; then bad "npm ci for playwright-core" "$(tail -3 "$T/npm")"; exit 0; fi
mkdir -p "$ART"
node "$WM_ROOT/tests/js/check-html.mjs" "$T/o/report.html" "$ART/matrix.png" >"$T/b" 2>&1
while read -r st rest; do
	case "$st" in ok) ok "chromium: $rest";; FAIL) bad "chromium: $rest";; info) echo "  info $rest";; *) bad "chromium" "$st $rest";; esac
done <"$T/b"
[ -s "$ART/matrix.png" ] && ok "screenshot saved: tests/artifacts/matrix.png" || bad "screenshot" "missing"
cp "$T/o/report.html" "$ART/matrix.html"
