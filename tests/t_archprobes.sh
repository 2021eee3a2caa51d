# suites/arch (docs/arch-probes.md): the architecture probes pass on the installed runtimes
# (every failure one recorded in baselines/ with its reason), at least one runtime passes
# every probe outright, results.json carries each test's spec position, and the
# nondeterministic expectations are not so loose that they accept anything: modules
# changed to print a value outside the spec's allowed set fail them, while the same
# modules unchanged pass (so the failures come from the change).
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
"$WM" runtimes --json > "$T/rt.json"
avail=$(python3 -c "import json,sys; print(','.join(r['name'] for r in json.load(open(sys.argv[1])) if r['available'] and r['name'] != 'jco'))" "$T/rt.json")
if [ -z "$avail" ]; then skip arch-suite "no runtime installed (make runtimes)"; exit 0; fi
"$WM" run suites/arch --runtime "$avail" --baseline baselines --out "$T/o" --color never >"$T/log" 2>&1; rc=$?
[ $rc = 0 ] && grep -q '^baseline gate: passed' "$T/log" && ok "arch suite on $avail: every outcome a pass or recorded in baselines/" \
	|| bad "arch suite gate" "rc=$rc $(grep -A30 '^Unexpected' "$T/log" | grep -v '^      ' | head -20)"
# the arch entries of baselines/ are asserted here (t_runtimes.sh leaves them out)
grep 'matches no result' "$T/log" | grep -q "entry 'arch/" && bad "stale arch baseline entries" "$(grep "matches no result" "$T/log" | grep "entry 'arch/")" \
	|| ok "no arch/ entry of baselines/ is stale"
clean=$(rq "$T/o/results.json" "','.join(sorted(n for n in set(x['runtime'] for x in r['results'] if x['ran']) if all(y['outcome'] == 'pass' for y in r['results'] if y['runtime'] == n)))")
relaxed=$(echo ",$avail," | sed 's/,node,/,/; s/,wazero,/,/' | tr -s , | sed 's/^,//; s/,$//')
if [ -n "$clean" ]; then ok "every arch probe passes outright on: $clean"
elif [ -z "$relaxed" ]; then skip arch-clean "only $avail here, which refuse relaxed SIMD (baselines/)"
else bad "a runtime passing every probe" "none of $avail"; fi
# the spec position of every test reaches results.json
pos=$(rq "$T/o/results.json" "' '.join(t['id'] + '=' + str(t.get('spec')) for t in r['tests'] if t['id'] in ('arch/nan.arith', 'arch/hash', 'arch/relaxed.choice', 'arch/round'))")
[ "$pos" = "arch/nan.arith=nondeterministic arch/round=deterministic arch/relaxed.choice=nondeterministic arch/hash=deterministic" ] \
	&& ok "results.json tests[].spec: the position each test states" || bad "tests[].spec" "$pos"
n=$(rq "$T/o/results.json" "sum(1 for t in r['tests'] if t.get('spec') not in ('deterministic', 'nondeterministic'))")
[ "$n" = 0 ] && ok "every arch test states its position" || bad "arch tests without spec" "$n"
check "the results file with spec reads back (report)" "$WM" report "$T/o/results.json" --format md -o "$T/summary.md"

# Out-of-spec variants. One runtime that runs relaxed SIMD (wasmtime first).
rt=""
for c in wasmtime wasmer wasmi deno; do case ",$avail," in *",$c,"*) rt=$c; break;; esac; done
if [ -z "$rt" ] || ! command -v wat2wasm >/dev/null; then
	skip arch-variants "needs wat2wasm and one of wasmtime, wasmer, wasmi, deno"; exit 0
fi
# a copy of the suite and its modules in a tree of its own (.wasmatrix-suite-root)
mkdir -p "$T/v/suites/arch" "$T/v/fixtures/arch" && touch "$T/v/.wasmatrix-suite-root"
cp suites/arch/suite.yaml "$T/v/suites/arch/" && cp fixtures/arch/*.wasm "$T/v/fixtures/arch/"
F=fixtures/arch
# variant NAME FILE.wat SED-EXPRESSION: FILE.wat edited, assembled over FILE.wasm in the copy
variant() {
	local flags; flags=$(sed -n '1s|^;; wasmatrix-wat2wasm:||p' "$F/$2")
	sed "$3" "$F/$2" > "$T/$1.wat"
	cmp -s "$F/$2" "$T/$1.wat" && { bad "variant $1" "the edit changed nothing"; return; }
	wat2wasm $flags -o "$T/v/$F/${2%.wat}.wasm" "$T/$1.wat" || bad "variant $1" "wat2wasm failed"
}
# unchanged modules first: the copy passes where the suite passes
"$WM" run "$T/v/suites/arch" --runtime "$rt" --filter 'arch/nan.arith,arch/minmax.nan,arch/relaxed.choice,arch/memgrow.max' \
	--out "$T/v0" --color never >"$T/v0.log" 2>&1
for t in nan.arith minmax.nan relaxed.choice memgrow.max; do
	[ "$(outcome "$T/v0/results.json" "arch/$t" "$rt")" = pass ] && ok "copy of arch/$t passes on $rt" || bad "copy of arch/$t" "$(outcome "$T/v0/results.json" "arch/$t" "$rt")"
done
# f32.mul -> f32.copysign: "f32.mul S 1" keeps the signalling NaN (quiet bit clear, not an
# arithmetic NaN) and "f32.mul 0 inf" gives 0 (not a NaN)
variant nan nan.wat 's/(f32\.mul /(f32.copysign /g'
# f32.min -> f32.copysign: "f32.min 1 A" gives 1, the non-NaN operand (x86 minss's answer)
variant minmax minmax.wat 's/(f32\.min /(f32.copysign /g'
# relaxed_trunc_f32x4_u -> trunc_sat_f32x4_s: 5e9 gives 0x7fffffff, not an allowed choice
variant relaxed relaxed.wat 's/(i32x4\.relaxed_trunc_f32x4_u /(i32x4.trunc_sat_f32x4_s /g'
# "grow 1" past the declared maximum answers the size instead of -1 (a grow that succeeded)
variant memgrow memgrow-max.wat 's|(call \$i32 (memory.grow (i32.const 1)))|(call $i32 (memory.size))|'
# clock_res_get: a zero resolution for a supported clock, badf for an unsupported one
cat > "$T/clock.wat" <<'W'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "realtime: res=0\nmonotonic: res=1\nprocess_cputime: errno=8\nthread_cputime: errno=28\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 83))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
W
wat2wasm -o "$T/v/$F/clockres.wasm" "$T/clock.wat" || bad "variant clock" "wat2wasm failed"
"$WM" run "$T/v/suites/arch" --runtime "$rt" --filter 'arch/nan.arith,arch/minmax.nan,arch/relaxed.choice,arch/memgrow.max,arch/clock_res_get' \
	--out "$T/v1" --color never >"$T/v1.log" 2>&1
for t in nan.arith minmax.nan relaxed.choice memgrow.max clock_res_get; do
	o=$(outcome "$T/v1/results.json" "arch/$t" "$rt")
	[ "$o" = fail ] && ok "arch/$t refuses an out-of-spec value ($rt)" || bad "arch/$t with an out-of-spec value" "outcome $o, wanted fail"
done
