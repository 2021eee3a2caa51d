# calibration/env-no-host-leak tells a runtime that passes its own environment to the guest
# (a leak) from one that adds fixed variables of its own (wasm3: TERM, PATH=/, HOME=/ ...),
# which env-none alone cannot: both fail env-none. A copy of the wasmtime adapter that
# inherits HOME and TMPDIR from the runtime's environment (`wasmtime run --env NAME`) must
# fail it; the real adapter must pass it.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
"$WM" runtimes --json > "$T/rt.json"
if ! python3 -c "import json,sys; sys.exit(0 if any(r['name'] == 'wasmtime' and r['available'] for r in json.load(open(sys.argv[1]))) else 1)" "$T/rt.json"; then
	skip env-no-host-leak "wasmtime is not installed (make runtimes)"; exit 0
fi
mkdir "$T/runners"
cp runners/wasmtime.yaml "$T/runners/"
sed -e 's/^name: wasmtime/name: leaky/' -e 's/^title: .*/title: wasmtime passing HOME and TMPDIR through/' \
	-e 's/"{env...}"/--env, HOME, --env, TMPDIR, "{env...}"/' runners/wasmtime.yaml > "$T/runners/leaky.yaml"
grep -q 'name: leaky' "$T/runners/leaky.yaml" && grep -q -- '--env, HOME' "$T/runners/leaky.yaml" || bad "leaky adapter" "sed did not apply"
"$WM" run suites/calibration --runners "$T/runners" --filter 'env-no*' --runtime wasmtime,leaky --out "$T/o" --color never >"$T/log" 2>&1
o=$(outcome "$T/o/results.json" calibration/env-no-host-leak wasmtime)
[ "$o" = pass ] && ok "wasmtime: no host variable reaches the guest" || bad "wasmtime env-no-host-leak" "$o: $(grep -A8 'env-no-host-leak on wasmtime' "$T/log" | head -8)"
o=$(outcome "$T/o/results.json" calibration/env-no-host-leak leaky)
[ "$o" = fail ] && ok "a runtime passing HOME/TMPDIR through fails env-no-host-leak" || bad "leaky env-no-host-leak" "$o"
