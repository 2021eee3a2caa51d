# Short libFuzzer runs over every reader of untrusted input (scripts/fuzz.sh, fuzz/readers.c):
# first the inputs that once crashed (fuzz/regress/<target>/) are replayed, then each target
# is fuzzed for a few seconds from the repository's corpora: any crash, leak, UB, hang or
# broken invariant fails. WASMATRIX_FUZZ_SECONDS sets the seconds per target (default 4;
# 0 replays the regressions only).
. "$(dirname "$0")/lib.sh"
secs=${WASMATRIX_FUZZ_SECONDS:-4}
if ! command -v clang >/dev/null || [ ! -f "$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]; then
	skip fuzz "clang's libFuzzer missing (make deps installs libclang-rt-14-dev)"; exit 0
fi
targets="wasm suite adapter baseline wts results json archive claims"
# the build first, so that a build failure is one failure and not eight
if ! (cd "$WM_ROOT" && make --no-print-directory -j"$(nproc)" fuzz) >"$T/build.log" 2>&1; then
	bad "fuzz: build" "$(tail -5 "$T/build.log")"; exit 0
fi
for tg in $targets; do
	n=$(ls "$WM_ROOT/fuzz/regress/$tg" 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] || continue
	if "$WM_ROOT/scripts/fuzz.sh" replay "$tg" >"$T/replay-$tg.log" 2>&1; then
		ok "fuzz: $tg: $n input(s) that once failed pass"
	else
		bad "fuzz: $tg: a regression input fails again" "$(grep -E 'ERROR|SUMMARY|fuzz:' "$T/replay-$tg.log" | head -5)"
	fi
done
# inputs whose fix belongs to another change (fuzz/pending/README): visible until fixed
for f in "$WM_ROOT"/fuzz/pending/*/*; do
	[ -f "$f" ] || continue
	tg=$(basename "$(dirname "$f")")
	if WASMATRIX_FUZZ_ROOT="$WM_ROOT" WASMATRIX_FUZZ_TARGET=$tg "$WM_ROOT/build-fuzz/readers_fuzz" "$f" >"$T/pending.log" 2>&1; then
		ok "fuzz: pending $tg/$(basename "$f") passes now (move it to fuzz/regress/$tg/)"
	else
		skip "fuzz-pending-$tg-$(basename "$f")" "still fails: $(grep -m1 '^fuzz:' "$T/pending.log") (fuzz/pending/README)"
	fi
done
[ "$secs" = 0 ] && { skip fuzz-run "WASMATRIX_FUZZ_SECONDS=0"; exit 0; }
for tg in $targets; do
	if "$WM_ROOT/scripts/fuzz.sh" "$secs" "$tg" >"$T/fuzz-$tg.log" 2>&1; then
		ok "fuzz: $tg reader, $(sed -n 's/^stat::number_of_executed_units: *//p' "$T/fuzz-$tg.log") inputs in ${secs}s, no crash"
	else
		bad "fuzz: $tg reader" "$(grep -E 'ERROR|SUMMARY|fuzz:|Test unit written' "$T/fuzz-$tg.log" | head -5)"
	fi
done
