# The native WASI 0.2 suite (suites/wasi-p2: fixtures/p2native, C against the 0.2.12 WIT) on
# real wasmtime and jco, gated by baselines/: every test runs on wasmtime; jco runs 8 of them
# outside CI (one or two per interface, its divergences among them; it transpiles each
# component anew, about 0.7 s a test) and all of them in CI (CI=true or WASMATRIX_P2_FULL=1).
# A wrong expectation and a missing baseline entry are caught; a runtime that runs no
# component reports the suite unsupported; the committed bindings and components are what
# wit-bindgen, clang and jco make (docs/components.md, "The native WASI 0.2 suite").
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
have_rt() { "$WM" runtimes 2>/dev/null | grep -q "^$1 .*/"; }
rt_path() { "$WM" runtimes --json 2>/dev/null | python3 -c "import json,sys; print(next((r.get('path') or '') for r in json.load(sys.stdin) if r['name']==sys.argv[1]))" "$1" 2>/dev/null; }
full() { [ "${CI:-}" = true ] || [ "${WASMATRIX_P2_FULL:-}" = 1 ]; }

gate() { # gate NAME LOG RC [FILTERED]: the baseline gate passed; on a whole run, no wasi-p2 entry is stale
	local name=$1 log=$2 rc=$3 filtered=${4:-}
	[ "$rc" = 0 ] && grep -q '^baseline gate: passed' "$log" && ok "$name: every outcome as recorded (exit 0)" ||
		bad "$name" "rc=$rc $(grep -A20 '^Unexpected' "$log" | grep -v '^      ' | head -20)"
	[ -n "$filtered" ] && return
	! grep "matches no result" "$log" | grep -q "wasi-p2/" && ok "$name: no wasi-p2 baseline entry is stale" ||
		bad "$name: stale entries" "$(grep 'matches no result' "$log" | grep 'wasi-p2/' | head -5)"
}
expect_outcomes() { # expect_outcomes RESULTS RUNTIME OUTCOME TEST...
	local res=$1 rt=$2 want=$3 t o; shift 3
	for t in "$@"; do
		o=$(outcome "$res" "wasi-p2/$t" "$rt")
		[ "$o" = "$want" ] && ok "$rt: wasi-p2/$t is $want" || bad "$rt wasi-p2/$t" "$o, wanted $want"
	done
}

# 1. wasmtime runs the whole suite: cli, clocks, random, filesystem, http (client and
# service), sockets (TCP and UDP)
if have_rt wasmtime; then
	"$WM" run suites/wasi-p2 --runtime wasmtime --baseline baselines --out "$T/w" --color never >"$T/w.log" 2>&1
	gate "wasmtime on suites/wasi-p2" "$T/w.log" $?
	expect_outcomes "$T/w/results.json" wasmtime pass cli.environment cli.stdin cli.exit-with-code.42 \
		cli.exit-with-code.255 cli.terminal clocks.subscribe-duration random.get-random-bytes fs.metadata-hash.same-file \
		fs.is-same-object fs.link-at fs.read-directory http.outgoing.post http.outgoing.refused http.service \
		sockets.tcp-echo-server sockets.udp-echo sockets.tcp-client sockets.tcp-refused
	# its recorded divergences fail as the baseline says (xfail), and so do not fail the run
	expect_outcomes "$T/w/results.json" wasmtime xfail clocks.ready-zero-duration fs.metadata-hash.modified
	# the proposals reach the command line: -S http for the client, inherit-network for sockets,
	# `wasmtime serve` for the service world
	rq "$T/w/results.json" "'\n'.join(x['test']+' '+x['command'] for x in r['results'])" >"$T/w.cmds" 2>&1
	grep -q '^wasi-p2/http.outgoing.get .* run .*-Scli,http ' "$T/w.cmds" &&
		grep -q '^wasi-p2/sockets.udp-echo .* run .*-Scli,inherit-network ' "$T/w.cmds" &&
		grep -q '^wasi-p2/http.service .* serve .*--addr=127.0.0.1:0 ' "$T/w.cmds" &&
		grep -q '^wasi-p2/cli.stdin .* run .*-Scli --' "$T/w.cmds" &&
		ok "wasmtime: proposals and the service world give -Scli,http, -Scli,inherit-network and serve" ||
		bad "wasmtime commands" "$(grep -E 'http.outgoing.get|udp-echo|http.service|cli.stdin ' "$T/w.cmds" | cut -c1-300)"

	# 2. a wrong expectation is caught: the same components under expectations that are false
	mkdir -p "$T/s"
	cp fixtures/components/p2native/cli.wasm fixtures/components/p2native/exit.wasm fixtures/components/p2native/fs.wasm "$T/s/"
	cat >"$T/s/suite.yaml" <<'Y'
name: p2wrong
defaults: {wasi: wasm32-wasip2}
tests:
  - {name: env-count, module: cli.wasm, args: [env], env: {A: "1"}, expect: {stdout: "count: 2\nenv: [A=1]\n"}}
  - {name: exit-code, module: exit.wasm, args: [code, "41"], expect: {exit: 42, stdout: "before exit\n"}}
  - {name: link, module: fs.wasm, args: [link], dirs: [{guest: .}], expect: {stdout: {contains: "link a directory: ok\n"}}}
  - {name: right, module: exit.wasm, args: [code, "42"], expect: {exit: 42, stdout: "before exit\n"}}
Y
	"$WM" run "$T/s" --runtime wasmtime --out "$T/x" --color never >"$T/x.log" 2>&1; rc=$?
	rq "$T/x/results.json" "sorted((x['test'],x['outcome']) for x in r['results'])" >"$T/x.txt" 2>&1
	[ $rc = 1 ] && [ "$(cat "$T/x.txt")" = "[('p2wrong/env-count', 'fail'), ('p2wrong/exit-code', 'fail'), ('p2wrong/link', 'fail'), ('p2wrong/right', 'pass')]" ] &&
		ok "wasmtime: a false expectation of a native 0.2 test fails (exit 1), a true one passes" ||
		bad "wrong expectations" "rc=$rc $(cat "$T/x.txt")"
	# and a divergence whose baseline entry is missing is unexpected
	mkdir -p "$T/b"
	cp baselines/*.yaml "$T/b/"
	python3 - "$T/b/wasmtime.yaml" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s2 = re.sub(r'  - test: "wasi-p2/fs\.metadata-hash\.modified"\n(    .*\n)+?(?=  - |\Z)', '', s)
assert s2 != s; open(p, 'w').write(s2)
PY
	"$WM" run suites/wasi-p2 -f 'fs.metadata-hash.*' --runtime wasmtime --baseline "$T/b" --out "$T/y" --color never >"$T/y.log" 2>&1; rc=$?
	[ $rc = 1 ] && grep -q 'FAIL .*wasi-p2/fs.metadata-hash.modified' "$T/y.log" &&
		ok "wasmtime: without its baseline entry the metadata-hash divergence is unexpected (exit 1)" ||
		bad "missing baseline entry" "rc=$rc $(tail -5 "$T/y.log")"
else
	skip p2native-wasmtime "wasmtime not installed (make runtimes)"
fi

# 3. jco
if have_rt jco; then
	filter=(-f 'cli.terminal,cli.exit-with-code.42,clocks.ready-zero-duration,fs.is-same-object,fs.read-directory,http.outgoing.get,http.service,sockets.udp-echo')
	full && filter=()
	"$WM" run suites/wasi-p2 "${filter[@]}" --runtime jco --baseline baselines --out "$T/j" --color never >"$T/j.log" 2>&1
	gate "jco on suites/wasi-p2${filter[1]:+ (8 tests)}" "$T/j.log" $? "${filter[1]:-}"
	expect_outcomes "$T/j/results.json" jco pass cli.exit-with-code.42 clocks.ready-zero-duration \
		http.outgoing.get http.service sockets.udp-echo
	expect_outcomes "$T/j/results.json" jco xfail cli.terminal fs.is-same-object fs.read-directory
	# the service ran under runners/jco-serve.mjs and stopped on SIGINT with status 0
	rq "$T/j/results.json" "[(x['command'], x.get('exit_code')) for x in r['results'] if x['test']=='wasi-p2/http.service']" >"$T/js.txt" 2>&1
	grep -q "jco-serve.mjs.*service.wasm', 0)" "$T/js.txt" && ok "jco: the service world runs through jco-serve.mjs and stops with 0" ||
		bad "jco service" "$(cat "$T/js.txt")"
	sleep 0.2
	if pgrep -f 'jco-serve-url.mjs' >/dev/null 2>&1; then bad "jco: a server outlived its test" "$(pgrep -af jco-serve-url.mjs | head -3)"; else ok "jco: no server outlives its test"; fi
else
	skip p2native-jco "jco not installed (scripts/install-runtimes.sh jco)"
fi

# a component that is no service, run as one: a plain fail naming the missing address, never a
# hang, and no server left behind (jco-serve.mjs passes jco's own exit on)
rts=$(for r in wasmtime jco; do have_rt $r && printf '%s,' $r; done)
if [ -n "$rts" ]; then
	mkdir -p "$T/v"
	cp fixtures/components/p2native/cli.wasm "$T/v/"
	cat >"$T/v/suite.yaml" <<'Y'
name: p2svc
defaults: {wasi: wasm32-wasip2}
tests:
  - name: not-a-service
    module: cli.wasm
    world: "wasi:http/service"
    proposals: [http]
    operations:
      - {type: run}
      - {type: request, method: GET, path: /, response: {status: 200}}
      - {type: kill, signal: SIGINT}
      - {type: wait, exit_code: 0}
Y
	"$WM" run "$T/v" --runtime "${rts%,}" --out "$T/vo" --color never >"$T/v.log" 2>&1; rc=$?
	rq "$T/vo/results.json" "sorted({(x['outcome'], 'printed its address' in (x['reason'] or '')) for x in r['results']})" >"$T/v.txt" 2>&1
	[ $rc = 1 ] && [ "$(cat "$T/v.txt")" = "[('fail', True)]" ] &&
		ok "${rts%,}: a component that serves nothing fails at its first request, saying why" || bad "not a service" "rc=$rc $(cat "$T/v.txt")"
fi

# 4. a runtime that runs no component: every test unsupported, with the reason
for rt in wazero node wasmi; do
	have_rt "$rt" || continue
	"$WM" run suites/wasi-p2 -f 'cli.*,http.service,sockets.udp-echo' --runtime "$rt" --out "$T/c$rt" --color never >"$T/c$rt.log" 2>&1
	# the reason: the runtime's own words on one of the modules, then the adapter's declaration
	rq "$T/c$rt/results.json" "sorted({(x['outcome'], x['reason'].startswith('$rt says: ') and x['reason'].endswith('; $rt does not run wasm32-wasip2 (a component); it runs wasm32-wasip1 only (adapter: versions)')) for x in r['results']})" >"$T/c$rt.txt" 2>&1
	[ "$(cat "$T/c$rt.txt")" = "[('unsupported', True)]" ] &&
		ok "$rt: the native 0.2 tests are unsupported, with the runtime's own message and the adapter's reason" || bad "$rt wasi-p2" "$(cat "$T/c$rt.txt") $(rq "$T/c$rt/results.json" "r['results'][0]['reason']")"
	break
done

# 5. the committed bindings and components are what the pinned tools make (the bindings only
# when wit-bindgen is installed: scripts/install-wit-bindgen.sh; the check says SKIP otherwise)
J=$(rt_path jco)
if [ -n "$J" ] && [ -x "$J" ]; then
	# all 8 components in CI (about 14 s on 2 cores); outside it the bindings and one program
	one=(P2N_SRC=p2native/src/exit.c) what="exit.wasm (all 8 in CI)"
	full && one=() what="the 8 components"
	if make -s -C fixtures JCO="$J" "${one[@]}" check-p2native >"$T/r.out" 2>&1; then
		ok "p2native: $what rebuild byte-identically (make -C fixtures check-p2native)"
		if grep -q 'SKIP p2native bindings' "$T/r.out"; then
			skip p2native-bindings "wit-bindgen not installed (scripts/install-wit-bindgen.sh): bindings not regenerated"
		else
			ok "p2native: the committed C bindings are what the pinned wit-bindgen generates"
		fi
	else
		bad "p2native reproducible" "$(grep -v '^Generating' "$T/r.out" | tail -5)"
	fi
	# the check notices a component that is not its source's build (a copy of the fixtures
	# with one byte of exit.wasm changed, only that program rebuilt), and says SKIP for the
	# bindings when wit-bindgen cannot be found
	mkdir -p "$T/fx/components"
	cp fixtures/Makefile "$T/fx/" && cp -a fixtures/p2native "$T/fx/" && cp -a fixtures/components/p2native "$T/fx/components/"
	printf '\001' | dd of="$T/fx/components/p2native/exit.wasm" bs=1 seek=100 conv=notrunc 2>/dev/null
	make -s -C "$T/fx" JCO="$J" WIT_BINDGEN="$T/no/wit-bindgen" P2N_SRC=p2native/src/exit.c check-p2native >"$T/fx.out" 2>&1; rc=$?
	[ $rc != 0 ] && grep -q 'components/p2native/exit.wasm differs from its build' "$T/fx.out" &&
		grep -q 'SKIP p2native bindings not regenerated: wit-bindgen is not installed' "$T/fx.out" &&
		ok "p2native: check-p2native fails on a changed component, and skips the bindings visibly without wit-bindgen" ||
		bad "check-p2native attack" "rc=$rc $(grep -v '^Generating' "$T/fx.out" | tail -4)"
	# a source that no longer builds is a failure too, never "all match"
	cp fixtures/components/p2native/exit.wasm "$T/fx/components/p2native/exit.wasm"
	echo 'not C' >>"$T/fx/p2native/src/exit.c"
	make -s -C "$T/fx" JCO="$J" WIT_BINDGEN="$T/no/wit-bindgen" P2N_SRC=p2native/src/exit.c check-p2native >"$T/fx2.out" 2>&1; rc=$?
	[ $rc != 0 ] && ! grep -q 'components match their sources' "$T/fx2.out" &&
		ok "p2native: check-p2native fails when a source does not build" || bad "check-p2native build failure" "rc=$rc $(tail -3 "$T/fx2.out")"
else
	skip p2native-reproducible "jco not installed (scripts/install-runtimes.sh jco)"
fi
