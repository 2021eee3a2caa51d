#!/bin/sh
# Fuzzes the WebAssembly reader (harness/wasm.c) with libFuzzer + ASan + UBSan.
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer options...]     default 60 s
# Seeds: every .wasm under fixtures/ and vendor/wasi-testsuite/ (real modules), plus
# the corpus kept in build-fuzz/corpus from earlier runs. Crashing inputs are written to
# build-fuzz/crash-* and the script exits non-zero. Needs clang and libclang-rt-14-dev
# (scripts/deps.sh installs both).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
CLANG=${CLANG:-clang}
out=build-fuzz
mkdir -p "$out/corpus" "$out/seeds"
bin="$out/wasm_fuzz"
if [ ! -x "$bin" ] || [ -n "$(find harness/wasm.c harness/wasm.h harness/util.c fuzz/wasm_fuzz.c -newer "$bin")" ]; then
	$CLANG -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Iharness -o "$bin" fuzz/wasm_fuzz.c harness/wasm.c harness/util.c
fi
shared=vendor
find fixtures "$shared/wasi-testsuite" -name '*.wasm' 2>/dev/null | while read -r f; do
	cp "$f" "$out/seeds/$(echo "$f" | tr '/' '_')"
done
# -max_len: the biggest real modules are ~100 KiB; -rss_limit_mb keeps a bad allocation visible
exec "$bin" "$out/corpus" "$out/seeds" -max_total_time="$secs" -max_len=131072 -rss_limit_mb=1024 \
	-timeout=10 -print_final_stats=1 -artifact_prefix="$out/" "$@"
