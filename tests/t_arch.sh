# Architectures (docs/architectures.md): aarch64 runtimes run through qemu user-mode
# emulation beside the host's; identity runtime@version/arch in results and reports, --arch,
# baselines' when: arch:, the cross-architecture agreement listing the real NaN-sign
# difference first, and emulated timeouts scaled. Real runs; skips when qemu or the aarch64
# runtimes are absent.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
# tests/run.sh runs the host's runtimes only (WASMATRIX_ARCH); here the default is tested
unset WASMATRIX_ARCH
RD=${WASMATRIX_RUNTIMES_DIR:-$WM_ROOT/.runtimes/bin}
AD=${WASMATRIX_AARCH64_RUNTIMES_DIR:-$(dirname "$RD")/aarch64/bin}
S=tests/data/arch
# --- the committed modules are what their WAT assembles to
if command -v wat2wasm >/dev/null 2>&1; then
	for m in nan spin; do
		wat2wasm "$S/$m.wat" -o "$T/$m.wasm" && cmp -s "$T/$m.wasm" "$S/$m.wasm" && ok "$m.wasm is $m.wat" || bad "$m.wasm is $m.wat"
	done
else
	skip "arch modules rebuilt" "no wat2wasm (Debian wabt)"
fi
# --- --arch errors, with or without runtimes (exit 2, what is wrong and the fix)
expect_exit "--arch arm64 is refused" 2 "$WM" run "$S" --list --arch arm64
grep -q "unknown architecture 'arm64'; did you mean 'aarch64'?" "$T/err" && ok "--arch arm64 suggests aarch64" || bad "--arch arm64 suggests aarch64" "$(cat "$T/err")"
expect_exit "--arch with an empty list is refused" 2 "$WM" run "$S" --list --arch ,
mkdir -p "$T/empty"
WASMATRIX_AARCH64_RUNTIMES_DIR=$T/empty "$WM" run "$S" --list --arch aarch64 >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "no runtime is installed for aarch64 in $T/empty" "$T/err" && ok "--arch aarch64 with nothing installed names the directory" || bad "--arch aarch64 with nothing installed" "rc=$rc $(cat "$T/err")"
expect_exit "--runtime x/aarch64 outside --arch is refused" 2 "$WM" run "$S" --list --arch x86_64 -r wasmtime/aarch64
grep -q "'wasmtime/aarch64' is not of an architecture --arch selects" "$T/err" && ok "--runtime outside --arch says why" || bad "--runtime outside --arch says why" "$(cat "$T/err")"
# the host's runtimes by default, unchanged names; with nothing for aarch64 installed, no aarch64 column
WASMATRIX_AARCH64_RUNTIMES_DIR=$T/empty "$WM" run "$S" --list >"$T/out" 2>&1
grep -q '^runtime wasmtime ' "$T/out" && ! grep -q '/aarch64' "$T/out" && ok "no aarch64 runtime installed: host columns only" || bad "no aarch64 runtime installed: host columns only" "$(head -5 "$T/out")"
# a named but missing aarch64 runtime is a visible missing column, not an error
WASMATRIX_AARCH64_RUNTIMES_DIR=$T/empty "$WM" run "$S" --list -r wasmtime/aarch64 >"$T/out" 2>&1
grep -q "^runtime wasmtime/aarch64 .*not found (looked for wasmtime in $T/empty)" "$T/out" && ok "a named missing aarch64 runtime says where it looked" || bad "a named missing aarch64 runtime" "$(cat "$T/out")"
# baseline arch values are checked (a warning names the file position)
mkdir -p "$T/blw"
printf 'runtime: wasmtime\nentries:\n  - {test: archcheck/nan-sign, expect: fail, reason: r, when: {arch: arm64}}\n' >"$T/blw/wasmtime.yaml"
"$WM" run "$S" --list --baseline "$T/blw" >/dev/null 2>"$T/err"
grep -q "wasmtime.yaml:3:.*warning: arch: unknown architecture 'arm64'; did you mean 'aarch64'?" "$T/err" && ok "baseline arch: arm64 is warned about" || bad "baseline arch: arm64 is warned about" "$(cat "$T/err")"
# --- real emulated runs
if ! command -v qemu-aarch64-static >/dev/null 2>&1 || [ ! -d /usr/aarch64-linux-gnu ]; then
	skip "emulated aarch64 runs" "no qemu-aarch64-static or /usr/aarch64-linux-gnu (make deps)"
	exit 0
fi
if [ ! -x "$AD/wasmtime" ] || [ ! -x "$RD/wasmtime" ]; then
	skip "emulated aarch64 runs" "wasmtime not installed for both x86_64 and aarch64 ($RD, $AD: make runtimes)"
	exit 0
fi
"$WM" runtimes >"$T/rts" 2>&1
grep -q '^aarch64 runtimes (emulated by .*qemu-aarch64-static -L /usr/aarch64-linux-gnu):' "$T/rts" &&
	grep -q "^wasmtime/aarch64  *49\.0\.3  *$AD/wasmtime" "$T/rts" && ok "runtimes lists the aarch64 ones apart" || bad "runtimes lists the aarch64 ones apart" "$(tail -8 "$T/rts")"
"$WM" runtimes --json --arch x86_64,aarch64 >"$T/rts.json" 2>&1
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); a=[x for x in j if x['name']=='wasmtime/aarch64'][0]; assert a['arch']=='aarch64' and a['available']; assert [x for x in j if x['name']=='wasmtime'][0]['arch']=='$(uname -m)'" "$T/rts.json" && ok "runtimes --json carries arch" || bad "runtimes --json carries arch"
"$WM" run "$S" --list --arch aarch64 -r wasmtime >"$T/out" 2>&1
grep -q '^runtime wasmtime/aarch64 49\.0\.3' "$T/out" && ! grep -q '^runtime wasmtime ' "$T/out" && ok "--arch aarch64 -r wasmtime selects wasmtime/aarch64 only" || bad "--arch aarch64 -r wasmtime" "$(cat "$T/out")"
"$WM" run "$S" --list -r wasmtime >"$T/out" 2>&1
grep -q '^runtime wasmtime ' "$T/out" && grep -q '^runtime wasmtime/aarch64 ' "$T/out" && ok "by default -r wasmtime is every installed architecture" || bad "default arches" "$(cat "$T/out")"
WASMATRIX_ARCH=$(uname -m) "$WM" run "$S" --list -r wasmtime >"$T/out" 2>&1
grep -q '^runtime wasmtime ' "$T/out" && ! grep -q '/aarch64' "$T/out" && ok "WASMATRIX_ARCH=host selects the host's only" || bad "WASMATRIX_ARCH" "$(cat "$T/out")"
"$WM" runtimes --json >"$T/rts.json" 2>&1
! grep -q aarch64 "$T/rts.json" && ok "runtimes --json lists the host's unless --arch asks" || bad "runtimes --json default"
# the NaN sign: x86-64 prints ffc00000 (its default NaN is negative), aarch64 7fc00000.
# A baseline entry with when: {arch: aarch64} expects that failure on aarch64 only: without
# the arch made real it would apply to the x86-64 run too (an xpass there).
mkdir -p "$T/bl"
printf 'runtime: wasmtime\nentries:\n  - {test: archcheck/nan-sign, expect: fail, reason: "aarch64 default NaN is positive", when: {arch: aarch64}}\n' >"$T/bl/wasmtime.yaml"
t0=$(date +%s.%N)
WASMATRIX_EMULATION_TIMEOUT_SCALE=3 "$WM" run "$S" -r wasmtime --cold -j 2 --baseline "$T/bl" -o "$T/o1" --format md,html >"$T/log" 2>&1; rc=$?
t1=$(date +%s.%N)
[ $rc = 1 ] && ok "the run's exit code is 1 (spin times out)" || bad "the run's exit code" "rc=$rc $(tail -5 "$T/log")"
R=$T/o1/results.json
[ "$(outcome "$R" archcheck/nan-sign wasmtime)" = pass ] && [ "$(outcome "$R" archcheck/nan-sign wasmtime/aarch64)" = xfail ] &&
	ok "baseline when: arch: aarch64 applies to the aarch64 column only" ||
	bad "baseline when: arch: aarch64" "$(outcome "$R" archcheck/nan-sign wasmtime) $(outcome "$R" archcheck/nan-sign wasmtime/aarch64)"
[ "$(rq "$R" "[(x['name'], x['arch'], x.get('emulator', [''])[-1], x.get('timeout_scale')) for x in r['runtimes']]")" = "[('wasmtime', '$(uname -m)', '', None), ('wasmtime/aarch64', 'aarch64', '/usr/aarch64-linux-gnu', 3.0)]" ] &&
	ok "results: runtime@version/arch with the emulator" || bad "results: runtime@version/arch" "$(rq "$R" "r['runtimes']")"
rq "$R" "[x['command'] for x in r['results'] if x['runtime']=='wasmtime/aarch64'][0]" | grep -q 'qemu-aarch64-static -L /usr/aarch64-linux-gnu .*/wasmtime run' &&
	ok "the aarch64 command runs through the emulator" || bad "the aarch64 command runs through the emulator"
[ "$(rq "$R" "[x['stdout'] for x in r['results'] if x['test']=='archcheck/nan-sign']")" = "['f32 ffc00000\\nf64 fff8000000000000\\n', 'f32 7fc00000\\nf64 7ff8000000000000\\n']" ] &&
	ok "the NaN sign differs across architectures" || bad "the NaN sign differs" "$(rq "$R" "[x['stdout'] for x in r['results']]")"
# timeouts: 0.5 s on the host, 0.5 × 3 emulated
[ "$(rq "$R" "sorted((x['runtime'], x['outcome'], x['reason'].split(';')[0]) for x in r['results'] if x['test']=='archcheck/spin')")" = \
  "[('wasmtime', 'timeout', 'no exit within 0.5s'), ('wasmtime/aarch64', 'timeout', 'no exit within 1.5s')]" ] &&
	ok "the emulated timeout is scaled" || bad "the emulated timeout is scaled" "$(rq "$R" "[x['reason'] for x in r['results']]")"
rq "$R" "[x['duration'] for x in r['results'] if x['runtime']=='wasmtime/aarch64' and x['test']=='archcheck/spin'][0] >= 1.5" | grep -q True && ok "the emulated run got its scaled time" || bad "the emulated run got its scaled time"
# the architecture axis
[ "$(rq "$R" "(r['agreement']['architectures']['compared'], r['agreement']['architectures']['agree'], [(d['test'], d['runtime'], [x['arch'] for x in d['results']]) for d in r['agreement']['architectures']['differ']])")" = \
  "(2, 1, [('archcheck/nan-sign', 'wasmtime', ['$(uname -m)', 'aarch64'])])" ] && ok "agreement.architectures finds the NaN sign" || bad "agreement.architectures" "$(rq "$R" "r['agreement'].get('architectures')")"
# reports list it before the matrix
awk '/^### Across architectures/{a=NR} /^\| runtime \| version/{m=NR} END{exit !(a && m && a < m)}' "$T/o1/summary.md" &&
	grep -q '^| archcheck/nan-sign | wasmtime | not stated | x86\\_64: exit 0, pass, stdout line 1 "f32 ffc00000"; aarch64: exit 0, xfail, stdout line 1 "f32 7fc00000" |$' "$T/o1/summary.md" &&
	ok "summary.md lists the arch-dependent result first" || bad "summary.md arch section" "$(head -20 "$T/o1/summary.md")"
grep -q '<section id="arch">' "$T/o1/report.html" && grep -q '<td>aarch64</td><td>exit 0</td><td>xfail</td><td><pre>f32 7fc00000' "$T/o1/report.html" &&
	ok "report.html lists the arch-dependent result" || bad "report.html arch section"
# the spec's position from tests[].spec (suites/arch): deterministic ones come first
python3 - "$R" "$T/spec.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for t in r["tests"]:
    if t["id"] == "archcheck/nan-sign":
        t["spec"] = "nondeterministic"
# a second, deterministic, difference: the same signature flipped on another test
del r["agreement"]
r["tests"].append(dict(r["tests"][0], id="archcheck/zz-det", name="zz-det", spec="deterministic"))
for x in [x for x in r["results"] if x["test"] == "archcheck/nan-sign"]:
    y = dict(x, test="archcheck/zz-det"); r["results"].append(y)
json.dump(r, open(sys.argv[2], "w"))
PY
"$WM" report "$T/spec.json" --format md -o "$T/spec.md" >/dev/null 2>"$T/err"
grep -A4 '^| test | runtime | spec | results |' "$T/spec.md" | sed -n 3,4p | cut -d'|' -f2,4 >"$T/order"
[ "$(cat "$T/order")" = " archcheck/zz-det | deterministic: must not differ (a runtime bug) 
 archcheck/nan-sign | allowed to differ " ] && ok "deterministic differences come first, with the spec's position" || bad "spec order" "$(cat "$T/order") $(cat "$T/err")"
# old results (no arch anywhere) still load and report, names unchanged
python3 - "$R" "$T/old.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for x in r["runtimes"]:
    for k in ("arch", "emulator", "timeout_scale"):
        x.pop(k, None)
del r["agreement"]
json.dump(r, open(sys.argv[2], "w"))
PY
"$WM" report "$T/old.json" --format md -o "$T/old.md" >/dev/null 2>&1 && grep -q '^### Across architectures' "$T/old.md" &&
	ok "results without arch still load (arch from the name)" || bad "results without arch still load"
# merge refuses one column on two architectures
python3 - "$R" "$T/m2.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["runtimes"][0]["arch"] = "aarch64"
json.dump(r, open(sys.argv[2], "w"))
PY
"$WM" merge "$R" "$T/m2.json" -o "$T/merged.json" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "runtime 'wasmtime' ran on aarch64 here but on $(uname -m) in an earlier file" "$T/err" && ok "merge refuses one name on two architectures" || bad "merge refuses one name on two architectures" "rc=$rc $(cat "$T/err")"
# update-baseline leaves the aarch64 column out, saying how to add it
"$WM" update-baseline "$R" --baseline "$T/ub" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -q "wasmtime/aarch64 left out: it shares wasmtime.yaml; add its own entries with 'when: {arch: aarch64}'" "$T/err" && ! grep -q aarch64 "$T/ub/wasmtime.yaml" &&
	ok "update-baseline leaves the aarch64 column to a when: arch: entry" || bad "update-baseline and aarch64" "rc=$rc $(cat "$T/err")"
echo "  (emulated run: $(echo "$t1 - $t0" | bc) s)"
