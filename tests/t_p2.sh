# WASI 0.2 components: the component suites (suites/wasi-p1-component, suites/portability-
# component: the core tests on their modules wrapped with the preview1 command adapter) on real
# wasmtime and jco, gated by baselines/; a core-only runtime reports them unsupported; jco
# reports core modules unsupported and classifies its own refusals and traps; the committed
# components and generated suites are what the pinned tools make (docs/components.md).
# jco runs a whole component suite in about 2 minutes on 2 cores (it transpiles each component
# anew), so outside CI it runs 28 tests of portability-component (args, env, stdin, readdir,
# traps, the sandbox, exit codes); CI=true (or WASMATRIX_P2_FULL=1) runs both suites on it.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
have_rt() { "$WM" runtimes 2>/dev/null | grep -q "^$1 .*/"; }
jco_exe() { "$WM" runtimes --json 2>/dev/null | python3 -c "import json,sys; print(next((r.get('path') or '') for r in json.load(sys.stdin) if r['name']=='jco'))" 2>/dev/null; }

# 1. the adapters declare their versions
"$WM" runtimes --json >"$T/rt.json"
python3 - "$T/rt.json" >"$T/v" 2>&1 <<'PY'
import json, sys
r = {x["name"]: x for x in json.load(open(sys.argv[1]))}
assert r["jco"]["wasi"] == ["wasm32-wasip2"], r["jco"]["wasi"]
assert "wasm32-wasip2" in r["wasmtime"]["wasi"], r["wasmtime"]["wasi"]
assert r["wazero"]["wasi"] == ["wasm32-wasip1"], r["wazero"]["wasi"]
PY
[ $? = 0 ] && ok "adapters: jco runs wasm32-wasip2 only, wasmtime runs it too, wazero only p1" || bad "adapter versions" "$(cat "$T/v")"

# 2. the generated suites and the committed components are what the tools make
check "component suites: suites/*-component are what scripts/component-suites.sh writes" scripts/component-suites.sh --check
cp suites/portability-component/suite.yaml "$T/saved.yaml"
sed -i 's|fixtures/components/portability/exit.wasm|fixtures/portability/exit.wasm|' suites/portability-component/suite.yaml
expect_exit "component suites: --check notices a hand edit (exit 1)" 1 scripts/component-suites.sh --check
cp "$T/saved.yaml" suites/portability-component/suite.yaml
if J=$(jco_exe) && [ -n "$J" ] && [ -x "$J" ]; then
	check "components: fixtures/components rebuild byte-identically with the pinned jco" make -s -C fixtures JCO="$J" check-components
else
	skip components-reproducible "jco not installed (scripts/install-runtimes.sh jco)"
fi

gate() { # gate NAME LOG RC: the baseline gate passed and no component entry of RT is stale
	local name=$1 log=$2 rc=$3 rt=$4
	[ "$rc" = 0 ] && grep -q '^baseline gate: passed' "$log" && ok "$name: every outcome as recorded (exit 0)" ||
		bad "$name" "rc=$rc $(grep -A20 '^Unexpected' "$log" | grep -v '^      ' | head -20)"
}

# 3. wasmtime runs the whole component suites
if have_rt wasmtime; then
	"$WM" run suites/wasi-p1-component suites/portability-component --runtime wasmtime --baseline baselines \
		--out "$T/w" --color never >"$T/w.log" 2>&1
	gate "wasmtime on the component suites" "$T/w.log" $? wasmtime
	! grep "matches no result" "$T/w.log" | grep -q -- "-component/" && ok "wasmtime: no component baseline entry is stale" ||
		bad "wasmtime stale entries" "$(grep 'matches no result' "$T/w.log" | head -5)"
	for t in portability-component/args.dashes portability-component/env.none portability-component/stdin.data \
		portability-component/readdir.dots wasi-p1-component/fd_read.ok; do
		o=$(outcome "$T/w/results.json" "$t" wasmtime)
		[ "$o" = pass ] && ok "wasmtime: $t passes as a component" || bad "wasmtime $t" "$o"
	done
	o=$(outcome "$T/w/results.json" portability-component/trap.unreachable wasmtime)
	[ "$o" = pass ] && ok "wasmtime: a trap in a component is a trap" || bad "wasmtime component trap" "$o"
else
	skip p2-wasmtime "wasmtime not installed (make runtimes)"
fi

# 4. jco
if have_rt jco; then
	J=$(jco_exe)
	suites="suites/portability-component" filter=(-f 'args.*,env.*,stdin.*,readdir.*,trap.*,sandbox.*,exit.*')
	if [ "${CI:-}" = true ] || [ "${WASMATRIX_P2_FULL:-}" = 1 ]; then suites="suites/wasi-p1-component $suites" filter=(); fi
	"$WM" run $suites "${filter[@]}" --runtime jco --baseline baselines --out "$T/j" --color never >"$T/j.log" 2>&1
	gate "jco on $suites" "$T/j.log" $? jco
	for t in args.dashes args.special env.special env.none env.empty-value stdin.data stdin.eof readdir.dots \
		trap.unreachable trap.stack-overflow sandbox.dotdot exit.1; do
		o=$(outcome "$T/j/results.json" "portability-component/$t" jco)
		[ "$o" = pass ] && ok "jco: portability-component/$t passes" || bad "jco $t" "$o"
	done
	# the guest sees the test's environment only, never node's own (jco-setup.mjs)
	T_LEAK=1 "$J" run --jco-import runners/jco-setup.mjs -- fixtures/components/portability/argsenv.wasm \
		--argv0 argsenv.wasm --env T_A=" a b " -- env >"$T/env.out" 2>&1 </dev/null
	[ "$(grep '^env:' "$T/env.out")" = "env: [T_A= a b ]" ] && ok "jco: the guest's environment is exactly the test's" ||
		bad "jco environment" "$(cat "$T/env.out")"
	# core modules are unsupported by version; jco's own refusal is classified with its cause
	mkdir -p "$T/s"
	cp fixtures/selftest/echo.wasm "$T/s/core.wasm"
	printf '\0asm\r\0\1\0\1\2\3' >"$T/s/broken.wasm"   # a component header, then garbage
	cat >"$T/s/suite.yaml" <<'Y'
name: p2attacks
tests:
  - {name: core, module: core.wasm, expect: {stdout: {contains: ""}}}
  - {name: broken, module: broken.wasm, expect: {refused: true}}
Y
	"$WM" run "$T/s" --runtime jco --out "$T/a" --color never >"$T/a.log" 2>&1
	rq "$T/a/results.json" "[(x['test'],x['outcome'],x['rule'],x['reason']) for x in r['results']]" >"$T/a.txt" 2>&1
	grep -q "'p2attacks/core', 'unsupported', .*does not run wasm32-wasip1 (a core module)" "$T/a.txt" &&
		ok "jco: a core module is unsupported, with the reason" || bad "jco core module" "$(cat "$T/a.txt")"
	grep -q "'p2attacks/broken', 'pass', 'classify.unsupported.stderr\[0\]', .*\(unexpected end\|ComponentError\|failed\)" "$T/a.txt" &&
		ok "jco: a broken component is refused in jco's own words (refused: true passes)" || bad "jco refusal" "$(cat "$T/a.txt")"
	# check: a runtime whose adapter does not declare the module's version is set aside
	# (skipped, with the reason), never a divergence: a core module stays portable beside jco,
	# and a component is compared on the runtimes that run components
	if have_rt wasmtime && have_rt wazero; then
		"$WM" check fixtures/selftest/echo.wasm --runtime wasmtime,wazero,jco -- hi >"$T/ck1" 2>&1; rc=$?
		[ $rc = 0 ] && grep -q "cannot run it: jco: jco says: .*; jco does not run wasm32-wasip1" "$T/ck1" &&
			ok "check: a core module with jco present is portable, jco cannot run it, in its own words" || bad "check core with jco" "rc=$rc $(head -8 "$T/ck1")"
		"$WM" check fixtures/components/portability/argsenv.wasm --runtime wasmtime,wazero,jco -- args a >"$T/ck2" 2>&1; rc=$?
		[ $rc = 0 ] && grep -q "PORTABLE: the 2 runtimes behave the same" "$T/ck2" && grep -q "^\[1\] jco, wasmtime" "$T/ck2" &&
			ok "check: a component is compared on wasmtime and jco" || bad "check component" "rc=$rc $(head -12 "$T/ck2")"
		grep -q "cannot run it: wazero: wazero says: error compiling wasm binary: invalid version header (exit 1, tried on check/argsenv.wasm); wazero does not run wasm32-wasip2 (a component)" "$T/ck2" &&
			ok "check: wazero cannot run a component, in its own words" || bad "check component wazero" "$(head -8 "$T/ck2")"
	else
		skip p2-check "check needs wasmtime and wazero beside jco"
	fi
else
	skip p2-jco "jco not installed (scripts/install-runtimes.sh jco)"
fi

# 5. a runtime that cannot load components: unsupported, with the reason, never a fail
for rt in wazero node; do
	have_rt "$rt" || { skip "p2-$rt" "$rt not available"; continue; }
	"$WM" run suites/portability-component -f 'args.*' --runtime "$rt" --out "$T/c$rt" --color never >"$T/c$rt.log" 2>&1
	rq "$T/c$rt/results.json" "sorted({(x['outcome'],x['reason']) for x in r['results']})" >"$T/c$rt.txt" 2>&1
	# the reason is the runtime's own message (run once on the first component), then the adapter's
	case $rt in wazero) said="invalid version header" ;; *) said="expected version 01 00 00 00, found 0d 00 01 00" ;; esac
	grep -q "^\[('unsupported', '$rt says: .*$said.* (exit [0-9]*, tried on portability-component/args[^)]*); $rt does not run wasm32-wasip2 (a component); it runs wasm32-wasip1 only (adapter: versions)')\]\$" "$T/c$rt.txt" &&
		ok "$rt: every component test is unsupported, with $rt's own message" || bad "$rt components" "$(cat "$T/c$rt.txt")"
	break
done
