# Output files (results.json, reports, -o of report/merge/compare, baselines) all go
# through one writer: an O_EXCL temp name beside the target, then a rename. A planted
# symlink at the old guessable temp name, or at the target itself, redirects nothing;
# FIFOs, devices and /dev/stdout are written straight through; permissions are kept.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
"$WM" run tests/data/templ.yaml --runners tests/data/runners-templ --out "$T/o" >/dev/null 2>&1
R=$T/o/results.json
[ -s "$R" ] || { bad "setup" "no results.json"; exit 0; }
echo precious > "$T/victim"
# the old temp name was <out>.tmp.<pid>: a symlink planted there (the pid is known when
# the planter starts the process) made the writer fill the symlink's target
for cmd in "report $R --format md -o" "merge $R -o" "compare $R $R -o"; do
	name=${cmd%% *}
	rm -f "$T/out.$name"
	sh -c 'ln -s "$1" "$2.tmp.$$"; exec "$3" $4 "$2"' sh "$T/victim" "$T/out.$name" "$WM" "$cmd" >/dev/null 2>&1
	[ "$(cat "$T/victim")" = precious ] && [ -s "$T/out.$name" ] && [ ! -L "$T/out.$name" ] &&
		ok "$name -o: a symlink planted at the old temp name redirects nothing" || bad "$name planted temp" "victim: $(head -c 100 "$T/victim")"
	rm -f "$T/out.$name.tmp."*
done
# -o onto a symlink is refused (name the target itself), for every writer
ln -s "$T/victim" "$T/link"
for cmd in "report $R --format html -o" "merge $R -o" "compare $R $R -o"; do
	name=${cmd%% *}
	# shellcheck disable=SC2086
	expect_exit "$name -o onto a symlink is refused (exit 3)" 3 "$WM" $cmd "$T/link"
	grep -q "is a symbolic link (to '$T/victim'): refusing to write through it" "$T/err" && [ "$(cat "$T/victim")" = precious ] && [ -L "$T/link" ] &&
		ok "  ...saying so; the link and its target are untouched" || bad "$name symlink" "$(cat "$T/err")"
done
expect_exit "check -o onto a symlink is refused before any runtime runs (exit 2)" 2 "$WM" check fixtures/selftest/hello.wasm -o "$T/link"
grep -q "is a symbolic link" "$T/err" && [ "$(cat "$T/victim")" = precious ] && ok "  ...its target untouched" || bad "check symlink" "$(cat "$T/err")"
mkdir -p "$T/rl" && ln -s "$T/victim" "$T/rl/results.json"
"$WM" run tests/data/templ.yaml --runners tests/data/runners-templ --out "$T/rl" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$T/victim")" = precious ] && grep -q "results.json is a symbolic link.*(checked before running any test)" "$T/err" && ! grep -q . "$T/out" &&
	ok "run --out: a symlink at results.json is refused before any test runs (exit 2)" || bad "run symlink" "rc=$rc $(cat "$T/err")"
rm "$T/rl/results.json" && ln -s "$T/victim" "$T/rl/summary.md"
"$WM" run tests/data/templ.yaml --runners tests/data/runners-templ --out "$T/rl" --format html,md >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$T/victim")" = precious ] && grep -q "summary.md is a symbolic link" "$T/err" && [ ! -e "$T/rl/results.json" ] &&
	ok "run --out --format md: a symlink at summary.md is refused before any test runs (exit 2)" || bad "run report symlink" "rc=$rc $(cat "$T/err")"
printf 'runtime: printargs\nentries: []\n' > "$T/victim.yaml"
mkdir -p "$T/bl" && ln -s "$T/victim.yaml" "$T/bl/printargs.yaml"
python3 - "$R" "$T/fail.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for x in r["results"]:
    x["outcome"], x["reason"] = "fail", "made up"
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit "update-baseline: a symlink at <runtime>.yaml is refused (exit 3)" 3 "$WM" update-baseline "$T/fail.json" --baseline "$T/bl"
grep -q "is a symbolic link" "$T/err" && [ "$(cat "$T/victim.yaml")" = "$(printf 'runtime: printargs\nentries: []')" ] && ok "  ...its target untouched" || bad "baseline symlink" "$(cat "$T/err") $(head -c 100 "$T/victim.yaml")"
# a directory is refused; so is a name ending in /
mkdir -p "$T/adir"
expect_exit "report -o onto a directory is refused" 3 "$WM" report "$R" --format md -o "$T/adir"
# FIFOs, character devices and the descriptor names are written straight through
mkfifo "$T/fifo"
(timeout 10 cat "$T/fifo" > "$T/fromfifo") & rd=$!
timeout 10 "$WM" report "$R" --format md -o "$T/fifo" >/dev/null 2>"$T/err"; rc=$?
[ -p "$T/fifo" ] || (timeout 1 sh -c ': > "$1"' sh "$T/fifo" 2>/dev/null || true)
wait $rd
[ $rc = 0 ] && [ -p "$T/fifo" ] && grep -q "wasmatrix results" "$T/fromfifo" && ok "report -o FIFO: written straight through, the FIFO stays" || bad "fifo" "rc=$rc $(cat "$T/err")"
# as root, a writer that renamed over its target would replace /dev/null or /dev/stdout
# for the whole machine: root uses a device node of its own and /proc/self/fd/1
if [ "$(id -u)" = 0 ]; then
	mknod "$T/null" c 1 3 && DEVNULL=$T/null STDOUT=/proc/self/fd/1
else
	DEVNULL=/dev/null STDOUT=/dev/stdout
fi
expect_exit "report -o a character device ($DEVNULL) works" 0 "$WM" report "$R" --format md -o "$DEVNULL"
[ -c "$DEVNULL" ] && ok "  ...and it is still the device" || bad "device replaced" "$(ls -la "$DEVNULL")"
"$WM" report "$R" --format md -o "$STDOUT" > "$T/stdout.md" 2>"$T/err"
grep -q "wasmatrix results" "$T/stdout.md" && ok "report -o $STDOUT writes to standard output (redirected to a file)" || bad "$STDOUT" "$(cat "$T/err")"
"$WM" merge "$R" -o /dev/fd/7 7>"$T/fd7.json" 2>"$T/err"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/fd7.json" && ok "merge -o /dev/fd/7 writes to descriptor 7" || bad "/dev/fd/7" "$(cat "$T/err")"
# permissions: an existing file keeps its mode; a new one gets 0666 less the umask
"$WM" report "$R" --format md -o "$T/keep.md" >/dev/null 2>&1 && chmod 640 "$T/keep.md"
"$WM" report "$R" --format html -o "$T/keep.md" >/dev/null 2>&1
(umask 027; "$WM" report "$R" --format md -o "$T/new.md" >/dev/null 2>&1)
[ "$(stat -c %a "$T/keep.md")" = 640 ] && grep -q '<html' "$T/keep.md" && [ "$(stat -c %a "$T/new.md")" = 640 ] &&
	ok "a replaced file keeps its mode, a new one follows the umask" || bad "modes" "$(stat -c '%n %a' "$T/keep.md" "$T/new.md")"
# nothing is left beside the outputs
left=$(ls -A "$T" "$T/o" | grep '^\.' || true)
[ -z "$left" ] && ok "no temp files are left beside the outputs" || bad "temp files" "$left"
