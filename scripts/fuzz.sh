#!/bin/sh
# Fuzzes the readers of untrusted input with libFuzzer + ASan + UBSan (fuzz/readers.c):
#   scripts/fuzz.sh [SECONDS] [TARGET|all] [extra libFuzzer options...]   default 60 s, all
# TARGET: wasm suite adapter baseline wts results json archive; 'all' gives each SECONDS.
#   scripts/fuzz.sh replay [TARGET|all]     replays fuzz/regress/<target>/* only (no fuzzing)
# Seeds are the repository's own corpora (fixtures/, suites/, runners/, baselines/,
# tests/bad*/, tests/data/, archives made from them; vendor/wasi-testsuite/ modules and
# specs), plus fuzz/regress/<target>/ (inputs
# that once crashed) and the corpus kept in build-fuzz/corpus/<target>/ from earlier runs.
# A crashing input is written to build-fuzz/crash-<target>-*; keep it in
# fuzz/regress/<target>/ once fixed. Exits non-zero on the first failing target.
# Needs clang and libclang-rt-14-dev (scripts/deps.sh installs both).
set -eu
cd "$(dirname "$0")/.."
mode=fuzz
if [ "${1:-}" = replay ]; then mode=replay; shift; secs=0; else secs=${1:-60}; [ $# -gt 0 ] && shift; fi
targets=${1:-all}
[ $# -gt 0 ] && shift
[ "$targets" = all ] && targets="wasm suite adapter baseline wts results json archive claims"
out=build-fuzz
mkdir -p "$out"
make --no-print-directory -j"$(nproc)" fuzz >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }
bin="$out/readers_fuzz"
export WASMATRIX_FUZZ_ROOT="$PWD"
# the fuzzers' temp dirs live in one dir removed at the end, even when a crash skips theirs
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/wm-fuzz-run.XXXXXX")
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
# libFuzzer writes crash-*, leak-* and timeout-* here; a fresh dir per process for temp files
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export ASAN_OPTIONS

# seeds TARGET DIR: copies the repository's inputs for TARGET into DIR
seeds() {
	case $1 in
	wasm) find fixtures tests vendor/wasi-testsuite -name '*.wasm' -size -128k ;;
	suite) find suites tests/bad tests/data -name '*.yaml' ;;
	adapter) find runners tests/bad-runners tests/data -name '*.yaml' ;;
	baseline) find baselines tests/bad-baselines -name '*.yaml' ;;
	wts) find tests/bad-wts tests/data vendor/wasi-testsuite -name '*.json' -size -64k ;;
	results | json) find tests/bad-results tests/data bench -name '*.json' -size -200k ;;
	claims) find vendor/webassembly-features tests/bad-claims -name '*.json' ;;
	archive) ;;
	esac 2>/dev/null | while read -r f; do cp "$f" "$2/$(echo "$f" | tr '/' '_')"; done
	if [ "$1" = archive ]; then
		# real archives: a suite tree as tar.gz, tar, zip and cpio, and a link inside
		t=$(mktemp -d)
		mkdir -p "$t/s/sub" && cp suites/calibration/suite.yaml "$t/s/" && echo x >"$t/s/sub/f"
		ln -s sub/f "$t/s/in" && ln -s sub "$t/s/dirlink"
		tar -C "$t" -czf "$2/suite.tar.gz" s && tar -C "$t" -cf "$2/suite.tar" s
		(cd "$t" && find s | cpio -o -H newc 2>/dev/null) >"$2/suite.cpio" || true
		rm -rf "$t"
	fi
}

for tg in $targets; do
	reg="fuzz/regress/$tg"
	if [ "$mode" = replay ]; then
		[ -d "$reg" ] && [ -n "$(ls "$reg")" ] || continue
		WASMATRIX_FUZZ_TARGET=$tg "$bin" -runs=1 "$reg"/* || { echo "fuzz: $tg: a regression input fails again" >&2; exit 1; }
		continue
	fi
	mkdir -p "$out/corpus/$tg" "$out/seeds/$tg"
	seeds "$tg" "$out/seeds/$tg"
	dirs="$out/corpus/$tg $out/seeds/$tg"
	[ -d "$reg" ] && dirs="$dirs $reg"
	# -max_len: the biggest real inputs are ~100 KiB; -rss_limit_mb keeps a bad allocation
	# visible; -timeout: one input taking 10 s is a hang
	echo "fuzz: $tg for ${secs}s"
	# shellcheck disable=SC2086
	WASMATRIX_FUZZ_TARGET=$tg "$bin" $dirs -max_total_time="$secs" -max_len=131072 -rss_limit_mb=1024 \
		-timeout=10 -print_final_stats=1 -artifact_prefix="$out/crash-$tg-" "$@"
done
