# The measured feature matrix (issue 14, docs/features.md): `wasmatrix features`, the
# feature sections of summary.md and the HTML report, compare's feature changes, and the
# claims table's validation. From a hand-made results file (tests/data/features/) in the
# shape the feature probes write, against the vendored claims.
. "$(dirname "$0")/lib.sh"
D=$WM_ROOT/tests/data/features
R=$D/results.json
CLAIMS=$WM_ROOT/vendor/webassembly-features/features.json

# The vendored claims are valid, and every claim of the runtimes wasmatrix runs is read.
"$WM" features "$R" --format json -o "$T/m.json" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ ! -s "$T/err" ] && ok "features: the vendored claims load, exit 0" || bad "features json" "exit $rc: $(head -3 "$T/err")"

# Every cell and its verdict, as the hand-made file (tests/data/features/make-results.py)
# was built to give (docs/features.md):
# each disagreement kind is caught where it is, and nothing else is marked.
python3 - "$T/m.json" >"$T/cells" 2>&1 <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
want = {  # feature: {runtime: (cell, diff)}
 "simd": {"node": ("default", "agree"), "wasmtime": ("default", "agree"), "wazero": ("default", "agree"),
          "wasmi": ("default", "newer-works"), "bun": ("wrong result", "none")},
 "gc": {"node": ("refused", "newer-fails"), "wasmtime": ("flag", "needs-flag"), "wazero": ("refused", "agree"),
        "wasmi": ("default", "false-but-works"), "bun": ("refused", "none")},
 "tailCall": {"node": ("wrong result", "claimed-fails"), "wasmtime": ("default", "agree"),
              "wazero": ("default", "flag-but-default"), "wasmi": ("crash", "claimed-fails"), "bun": ("timeout", "none")},
 "threads": {"node": ("skip", "unmeasured"), "wasmtime": ("timeout", "claimed-fails"), "wazero": ("flag", "agree"),
             "wasmi": ("default", "unclaimed-works"), "bun": ("default", "none")},
 "wideArithmetic": {"node": ("refused", "flag-untried"), "wasmtime": ("refused", "claimed-fails"),
                    "wazero": ("default", "unclaimed-works"), "wasmi": ("refused", "newer-fails"), "bun": ("refused", "none")},
 "fancyThing": {"node": ("default", "unclaimed-works"), "wasmtime": ("refused", "none"), "wazero": ("refused", "none"),
                "wasmi": ("refused", "none"), "bun": ("refused", "none")},
 "signExtensions": {"node": ("default", "agree"), "wasmtime": ("default", "agree"), "wazero": ("default", "agree"),
                    "wasmi": ("default", "agree"), "bun": ("default", "none")},
}
got = {f["key"]: {r: (c["cell"], c["diff"]) for r, c in f["cells"].items()} for f in m["features"]}
bad = [(f, r, got.get(f, {}).get(r), w) for f in want for r, w in want[f].items() if got.get(f, {}).get(r) != w]
bad += [(f, None, "unexpected feature", None) for f in got if f not in want]
print("\n".join(map(str, bad)))
assert m["schema"] == "wasmatrix-features" and m["version"] == 1
assert [r["name"] for r in m["runtimes"]] == ["node", "wasmtime", "wazero", "wasmi", "bun"], m["runtimes"]
assert m["not_found"] == ["wasm3"] and m["runtimes"][4]["platform"] is None and m["runtimes"][0]["platform"] == "Node.js"
kinds = sorted({d["kind"] for d in m["disagreements"]})
assert kinds == ["claimed-fails", "false-but-works", "flag-but-default", "needs-flag", "newer-fails", "newer-works",
                 "unclaimed-works"], kinds
assert len(m["disagreements"]) == 13, len(m["disagreements"])
g = m["features"][1]["cells"]["node"]
assert g["message"] == "node: error: gc is not enabled", g          # the runtime's own first stderr line
assert m["features"][4]["cells"]["wasmtime"]["claim"]["note"].startswith("Requires flag"), m["features"][4]
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "features: every cell and every kind of disagreement as built (35 cells, 7 kinds, 13 marks)" || bad "features cells" "$(tail -8 "$T/cells")"

# The text view: features as rows, runtimes as columns, the version or "flag", ≠ CLAIM.
"$WM" features "$R" --color never >"$T/t" 2>&1
grep -q '^gc  *refused ≠ 22.0  *flag ≠ 47  *refused  *v0.40.0 ≠ no  *refused$' "$T/t" &&
	grep -q 'claimed behind a flag, but on by default: tailCall on wazero 1.12.0 (wazero): claim flag, measured default' "$T/t" &&
	grep -q '^not found, so not shown: wasm3$' "$T/t" && ! grep -q $'\033' "$T/t" &&
	ok "features --format text: the table row and the disagreement lines" || bad "features text" "$(head -12 "$T/t")"
"$WM" features "$R" --color always | grep -q $'\033\\[33mflag ≠ 47' && ok "features --color always colours the cells" ||
	bad "features colour"
"$WM" features "$R" --format md >"$T/md"
grep -q '^| feature | node | wasmtime | wazero | wasmi | bun |$' "$T/md" &&
	grep -qF '| `gc` (Garbage Collection) | **refused ≠ 22.0** | **flag ≠ 47** | refused | **v0.40.0 ≠ no** | refused |' "$T/md" &&
	grep -q '^## Disagreements with the claims (13)$' "$T/md" &&
	ok "features --format md: the table, disagreements in bold with the claim" || bad "features md" "$(head -12 "$T/md")"

# Versions compare numerically whatever their spelling: with wasmi at "wasmi 0.44.0-rc1"
# the 0.43 claim for simd is no longer newer; an unreadable version is never "newer".
for v in "wasmi 0.44.0-rc1:agree" "unknown:agree" "0.42.99:newer-works" "0.43:agree" "0.43.0-rc1:newer-works" "v1:agree"; do
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); r['runtimes'][3]['version']=sys.argv[2]; json.dump(r,open(sys.argv[3],'w'))" \
		"$R" "${v%:*}" "$T/v.json"
	got=$("$WM" features "$T/v.json" --format json | python3 -c "import json,sys; print(json.load(sys.stdin)['features'][0]['cells']['wasmi']['diff'])")
	[ "$got" = "${v##*:}" ] && ok "version '${v%:*}' against the claim 0.43: ${v##*:}" || bad "version ${v%:*}" "got $got"
done

# --claims reads another copy: a claim changed there changes the verdict.
python3 -c "import json,sys; c=json.load(open(sys.argv[1])); c['browsers']['Wasmtime']['features']['gc']='flag'; json.dump(c,open(sys.argv[2],'w'),indent=1)" \
	"$CLAIMS" "$T/claims.json"
"$WM" features "$R" --format json --claims "$T/claims.json" | python3 -c "
import json,sys; m=json.load(sys.stdin); c=m['features'][1]['cells']['wasmtime']
assert c['diff']=='agree' and c['claim']['value']=='flag' and len(m['disagreements'])==12, c" 2>"$T/e" &&
	ok "--claims FILE: the other copy's claim decides (gc on wasmtime now agrees)" || bad "--claims" "$(tail -2 "$T/e")"
expect_exit "--claims naming no file is exit 2" 2 "$WM" features "$R" --claims "$T/none.json"
grep -q "none.json: error: cannot read the claims" "$T/err" && ok "a missing claims file is named" || bad "missing claims" "$(head -2 "$T/err")"

# Bad claims files: each refused with exit 2 at its file:line:col (tests/bad-claims/EXPECT).
n=0; nbad=0
while IFS=$'\t' read -r f pos msg; do
	case $f in '#'*|'') continue;; esac
	n=$((n + 1))
	(cd "$WM_ROOT" && "$WM" features "$R" --claims "tests/bad-claims/$f" >/dev/null 2>"$T/err"); rc=$?
	if [ $rc = 2 ] && grep -qF "tests/bad-claims/$f:$pos: error: " "$T/err" && grep -qF -- "$msg" "$T/err"; then :; else
		nbad=$((nbad + 1)); echo "    $f: exit $rc: $(head -1 "$T/err")"; fi
done < "$WM_ROOT/tests/bad-claims/EXPECT"
[ $n -ge 30 ] && [ $nbad = 0 ] && ok "bad claims: $n files refused at file:line:col with exit 2" || bad "bad claims" "$nbad of $n"
[ "$(ls "$WM_ROOT"/tests/bad-claims/*.json | wc -l)" = $n ] && ok "every bad claims file has its EXPECT line" ||
	bad "bad-claims EXPECT incomplete"
(cd "$WM_ROOT" && "$WM" report "$R" --format md --claims tests/bad-claims/note-empty.json >"$T/o" 2>"$T/err"); rc=$?
[ $rc = 2 ] && [ ! -s "$T/o" ] && grep -q 'note-empty.json:8:35: error:' "$T/err" &&
	ok "report --claims with a bad file: exit 2 before writing" || bad "report bad claims" "exit $rc"

# A results file without feature probes: nothing to show (exit 4), and its reports unchanged.
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))
for t in r['tests']: t.pop('feature'); t.pop('variant')
json.dump(r,open(sys.argv[2],'w'))" "$R" "$T/plain.json"
expect_exit "features on a run without probes is exit 4" 4 "$WM" features "$T/plain.json"
"$WM" report "$T/plain.json" --format md >"$T/pmd"; "$WM" report "$T/plain.json" --format html -o "$T/p.html"
! grep -q 'feature matrix' "$T/pmd" && ! grep -q 'id="features"' "$T/p.html" &&
	ok "no feature section in summary.md or the HTML report of a run without probes" || bad "plain report has features"

# summary.md and the HTML report of a run with probes hold the matrix.
"$WM" report "$R" --format md >"$T/s.md"
grep -q '^### Measured feature matrix$' "$T/s.md" && grep -q '^### Disagreements with the claims (13)$' "$T/s.md" &&
	grep -q '^## wasmatrix results$' "$T/s.md" && ok "summary.md: the run's summary, then the feature matrix" || bad "summary.md features"
"$WM" report "$R" --format html -o "$T/r.html"
python3 - "$T/r.html" >"$T/h" 2>&1 <<'PY'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s): super().__init__(); s.rows = []; s.intable = s.incell = False; s.cur = None; s.dis = 0; s.items = 0
    def handle_starttag(s, t, a):
        a = dict(a)
        if t == "table" and a.get("id") == "featmatrix": s.intable = True
        if s.intable and t == "tr": s.cur = []; s.rows.append(s.cur)
        if s.intable and t in ("td", "th"): s.incell = True; s.cur.append("")
        if s.intable and t == "td" and "dis" in a.get("class", "").split(): s.dis += 1; assert a.get("title"), a
        if t == "li" and s.intable is False and a.get("class"): s.items += 1
    def handle_endtag(s, t):
        if t == "table": s.intable = False
        if t in ("td", "th"): s.incell = False
    def handle_data(s, d):
        if s.intable and s.incell: s.cur[-1] += d
p = P(); p.feed(open(sys.argv[1]).read())
assert p.rows[0] == ["Feature", "node20.20.2", "wasmtime49.0.3", "wazero1.12.0", "wasmiv0.40.0", "bun1.4.5"], p.rows[0]
assert p.rows[2] == ["gcGarbage Collection", "refused ≠ 22.0", "flag ≠ 47", "refused", "v0.40.0 ≠ no", "refused"], p.rows[2]
assert len(p.rows) == 8 and p.dis == 13 and p.items == 13, (len(p.rows), p.dis, p.items)
PY
[ $? = 0 ] && ok "report.html: the feature table (features × runtimes, 13 cells marked, the list)" || bad "html features" "$(tail -3 "$T/h")"
grep -q 'f-featdis' "$WM_ROOT/reports/matrix.js" && grep -q 'id="f-featdis"' "$T/r.html" && ok "report.html: the disagreements-only filter" ||
	bad "html featdis filter"

# Names from the results are escaped in every view: a feature key with markup and a
# terminal escape.
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))
for t in r['tests']:
    if t['feature']=='fancyThing': t['feature']='<b>x</b>|\u001b[31m'
json.dump(r,open(sys.argv[2],'w'))" "$R" "$T/esc.json"
"$WM" report "$T/esc.json" --format html -o "$T/e.html"; "$WM" features "$T/esc.json" --color never >"$T/e.txt"
"$WM" features "$T/esc.json" --format md >"$T/e.md"
grep -q '&lt;b&gt;x&lt;/b&gt;' "$T/e.html" && ! grep -q '<b>x</b>' "$T/e.html" && ! grep -q $'\033' "$T/e.txt" &&
	grep -qF '\|' "$T/e.md" && ok "feature names escaped in html, text and md" || bad "escaping"

# compare: a feature that appeared or disappeared between two runs.
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))
for x in r['results']:
    if x['test']=='features/gc-struct' and x['runtime']=='wasmtime': x.update(outcome='pass', reason=None)
    if x['test']=='features/simd-lanes' and x['runtime']=='node': x.update(outcome='unsupported', reason='refused')
    if x['test']=='features/wide-arith' and x['runtime']=='wasmi': x.update(outcome='pass', reason=None)
json.dump(r,open(sys.argv[2],'w'))" "$R" "$T/new.json"
"$WM" compare "$R" "$T/new.json" >"$T/c.md" 2>/dev/null
grep -q '^| simd | node | default → refused | disappeared |$' "$T/c.md" && grep -q '^| wideArithmetic | wasmi | refused → default | appeared |$' "$T/c.md" &&
	grep -q '^| gc | wasmtime | flag → default | changed |$' "$T/c.md" && grep -q '^### Feature changes (3)$' "$T/c.md" &&
	ok "compare: features that appeared, disappeared or changed" || bad "compare features" "$(grep -A8 'Feature' "$T/c.md")"
"$WM" compare "$R" "$T/new.json" --format html -o "$T/c.html" 2>/dev/null
grep -q '<h2>Feature changes (3)</h2>' "$T/c.html" && grep -q '<td class="o-fail">default → refused</td><td>disappeared' "$T/c.html" &&
	ok "compare --format html: the feature changes" || bad "compare html features"
"$WM" compare "$T/plain.json" "$T/plain.json" >"$T/c2.md"
! grep -q 'Feature' "$T/c2.md" && ok "compare of runs without probes has no feature section (output as before)" || bad "compare plain"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); r['tests']=[t for t in r['tests'] if t['feature']!='threads']
r['results']=[x for x in r['results'] if 'threads' not in x['test']]; json.dump(r,open(sys.argv[2],'w'))" "$R" "$T/nothreads.json"
"$WM" compare "$R" "$T/nothreads.json" >"$T/c3.md" 2>/dev/null
grep -q '^| threads | bun | default → (not measured) | disappeared |$' "$T/c3.md" &&
	grep -q '^| threads | wasmtime | timeout → (not measured) | changed |$' "$T/c3.md" &&
	ok "compare: a feature no longer probed disappears where it worked" || bad "compare removed feature" "$(grep threads "$T/c3.md")"

# The "disagreements only" filter of report.html in a real browser (as t_browser.sh opens the
# matrix: Debian's chromium through playwright-core, installed by tests/js/setup.sh).
if ! [ -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
	skip features-browser "chromium is not installed (make deps)"
elif ! bash "$WM_ROOT/tests/js/setup.sh" 2>"$T/npm"; then
	bad "npm ci for playwright-core" "$(tail -3 "$T/npm")"
else
	node "$WM_ROOT/tests/js/check-features-html.mjs" "$T/r.html" >"$T/b" 2>&1
	while read -r st rest; do
		case $st in ok) ok "browser: $rest";; FAIL) bad "browser: $rest";; esac
	done <"$T/b"
	grep -qE '^(ok|FAIL) ' "$T/b" || bad "browser check ran" "$(tail -3 "$T/b")"
fi
