# The wasi-p1 and portability fixtures find their preopen the way wasi-libc does
# (fixtures/preopen.h), so a runtime's choice of preopen name ("/sandbox", WasmEdge's
# "sandbox", wasmer's "/" with the tree inside, "/sandbox/", "./sandbox") does not fail tests
# about other functions, the longest prefix wins, and a look-alike ("/sandboxes") is refused.
# Suite: tests/data/preopen-names. Runs on the installed runtimes known to pass guest names
# through unchanged; fixtures built before this lookup fail 5 of its 10 tests on wasmtime.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
"$WM" runtimes --json > "$T/rt.json"
rts=$(python3 -c "import json,sys; print(','.join(r['name'] for r in json.load(open(sys.argv[1])) if r['available'] and r['name'] in ('wasmtime','wazero','node','deno','bun')))" "$T/rt.json")
if [ -z "$rts" ]; then
	skip preopen-names "none of wasmtime, wazero, node, deno, bun is installed"; exit 0
fi
"$WM" run tests/data/preopen-names --runtime "$rts" --out "$T/o" --color never >"$T/log" 2>&1; rc=$?
[ $rc = 0 ] && ok "fixtures find /sandbox under every preopen name wasi-libc accepts ($rts)" || bad "preopen names" "rc=$rc $(grep -E '^(FAIL|ERROR|CRASH|SKIP)' "$T/log" | head -10)"
n=$(rq "$T/o/results.json" "sum(1 for x in r['results'] if x['outcome'] == 'pass')")
want=$(( 10 * $(echo "$rts" | tr ',' '\n' | grep -c .) ))
[ "$n" = "$want" ] && ok "all $want results pass (none skipped)" || bad "preopen-names passes" "$n of $want"
