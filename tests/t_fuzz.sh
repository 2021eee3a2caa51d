# A short libFuzzer run over the WebAssembly reader (scripts/fuzz.sh), seeded with every
# real module we have: any crash, leak, UB or hang fails. WASMATRIX_FUZZ_SECONDS sets the
# length (default 30; 0 skips).
. "$(dirname "$0")/lib.sh"
secs=${WASMATRIX_FUZZ_SECONDS:-30}
[ "$secs" = 0 ] && { skip fuzz-wasm "WASMATRIX_FUZZ_SECONDS=0"; exit 0; }
if ! command -v clang >/dev/null || [ ! -f "$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]; then
	skip fuzz-wasm "clang's libFuzzer missing (make deps installs libclang-rt-14-dev)"; exit 0
fi
if "$WM_ROOT/scripts/fuzz.sh" "$secs" > "$T/fuzz.log" 2>&1; then
	ok "fuzz: wasm reader, $(sed -n 's/^stat::number_of_executed_units: *//p' "$T/fuzz.log") inputs in ${secs}s, no crash"
else
	bad "fuzz: wasm reader" "$(grep -E 'ERROR|SUMMARY|Test unit written' "$T/fuzz.log" | head -5)"
fi
