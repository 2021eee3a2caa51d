#!/usr/bin/env bash
# Does a refactoring change what `run` and `check` plan? Runs the same plan-only command
# lines (--list, unknown runtimes/suites/filters/shards, suite-name clashes, URLs,
# baselines, adapters) with two binaries and diffs stdout, stderr and the exit code;
# check's JSON is compared with durations and temporary directory names masked.
# bench/same-output.sh compares the reports and a real run's results.
# usage: bench/same-plan.sh OLD_BINARY [NEW_BINARY]   (NEW defaults to ./wasmatrix)
# Exit 0 when every output is identical; otherwise the diffs, and exit 1.
set -u
# the host's runtimes only: with aarch64 builds installed, --arch would default to both
export WASMATRIX_ARCH="${WASMATRIX_ARCH:-$(uname -m)}"
cd "$(dirname "$0")/.."
R=$PWD
OLD=$(realpath "${1:?usage: bench/same-plan.sh OLD_BINARY [NEW_BINARY]}")
NEW=$(realpath "${2:-./wasmatrix}")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export WASMATRIX_RUNTIMES_DIR=${WASMATRIX_RUNTIMES_DIR:-$R/.runtimes/bin} WASMATRIX_HOME=$R
W=$R/fixtures/check/exit200.wasm
differ=0
both() {	# both ARGS...: wasmatrix ARGS with each binary, from $tmp, outputs compared
	for side in old new; do
		local bin=$OLD; [ $side = new ] && bin=$NEW
		( cd "$tmp" && "$bin" "$@" ) 2>&1 | sed -E 's/"duration": [0-9.e-]+/"duration": D/; s/wasmatrix-[A-Za-z0-9]{6}/wasmatrix-T/g' >"$tmp/$side"
		echo "exit ${PIPESTATUS[0]}" >>"$tmp/$side"
	done
	if diff "$tmp/old" "$tmp/new" >"$tmp/d"; then
		echo "same       $* ($(tail -1 "$tmp/new"))"
	else
		echo "DIFFERENT  $*"; head -20 "$tmp/d"; differ=1
	fi
}
both run --list
both run --list -r wasmtime,wasmer,wasmtime
both run --list -r wasmtim,nope,wazero
both run --list -r wasmtim,nope /nonexistent
both run --list -f 'wasi-p1/*'
both run --list -f nomatch
both run -f nomatch -o "$tmp/o1"
both run --list --shard 2/3
both run --list --shard 9/3
both run --list --shard 0/3
both run --list --shard auto
both run -f 'portability/readdir*' --shard 3/3 -o "$tmp/o2"
both run --list --shard 3/3 -f 'portability/*'
both run --list "$R/suites/wasi-p1" "$R/suites/wasi-p1/suite.yaml"
both run --list /nonexistent
both run --list https://example.invalid/x.tar.gz
both run --list --offline 'https://example.invalid/x.tar.gz#sha256=00'
both run --list --baseline "$R/baselines"
both run --list --baseline /nonexistent
both run --list --baseline "$tmp/nb" --update-baseline
both run --list --runners /nonexistent
both run --list -r wasmtime "$R/vendor"
both run -r wasm3,wasmedge -o "$tmp/o3"
both check "$W" -r wasmtim,nope
both check "$W" -r wasmtime
both check "$W" -r wasmtime,wasm3
both check "$W" -r wasmtime,wasmer,wasmtime,node --format json
both check "$W" --runners /nonexistent
[ $differ = 0 ] && echo "every output is identical"
exit $differ
