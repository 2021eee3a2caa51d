# No results lost, no process left behind: containment of runtimes that leave their
# process group, SIGINT/SIGTERM during run and check, --out checked before any test runs,
# --jobs within the open-file limit, harness faults exit 3. Real runtimes (wasmtime or
# node), real signals; every process a test starts is found again with pgrep by a name
# unique to this script ($N, $SPIN), so runs of other scripts in parallel do not matter.
. "$(dirname "$0")/lib.sh"
D=$WM_ROOT/tests/data
FX=$WM_ROOT/fixtures/selftest
mkdir -p "$T/tmp"
# a background job of a script starts with SIGINT ignored, and an ignored signal stays
# ignored in wasmatrix: start it through env with the signals at their defaults (env
# execs, so $! is wasmatrix's pid)
BG=(env --default-signal=INT,TERM,HUP)
# waits until ${2:-1} processes match the pattern (up to 10 s)
wait_proc() { for _ in $(seq 100); do [ "$(pgrep -fc "$1")" -ge "${2:-1}" ] && return 0; sleep 0.1; done; return 1; }
# waits until no process matches (up to $2 s); fails if one is left
gone() { for _ in $(seq $(( ${2:-2} * 10 ))); do pgrep -f "$1" >/dev/null || return 0; sleep 0.1; done; return 1; }

RT=
if "$WM" runtimes | grep -q '^wasmtime  *[0-9]'; then RT=wasmtime
elif have_node; then RT=node; fi

# --- harness faults and --out checks need no wasm runtime: the printf adapter -------------
TP=(run "$D/templ.yaml" --runners "$D/runners-templ" --color never)
expect_exit "TMPDIR that does not exist: exit 3 before running anything" 3 env TMPDIR=/nonexistent/x "$WM" "${TP[@]}" --out "$T/f1"
grep -q "cannot create a temporary directory in /nonexistent/x" "$T/err" && [ ! -e "$T/f1/results.json" ] \
	&& ok "TMPDIR fault: named, no results written" || bad "TMPDIR fault message" "$(cat "$T/err")"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	# no process can be started (RLIMIT_NPROC as an unprivileged user): the results are
	# errors and the exit code says harness fault, for a fork in the harness (-u 2: no
	# thread can be started either) and in the containment process (-u 4: main, signal
	# and worker threads, containment process)
	mkdir -p "$T/np" && chmod 777 "$T/np" && chmod o+x "$T"
	for u in 2 4; do
		setpriv --reuid=65534 --regid=65534 --clear-groups bash -c \
			"ulimit -u $u; TMPDIR=$T/np exec \"\$0\" \"\$@\"" "$WM" "${TP[@]}" --out "$T/np/o$u" --jobs 1 >"$T/out" 2>"$T/err"
		rc=$?
		o=$(outcome "$T/np/o$u/results.json" templ/argv printargs 2>/dev/null)
		if [ $rc = 3 ] && [ "$o" = error ] && grep -q "harness fault" "$T/err" && [ "$(ls "$T/np" | grep -c wasmatrix-)" = 0 ]; then
			ok "no process can be started (ulimit -u $u): error results, exit 3, temp dirs removed"
		else
			bad "fork fault (ulimit -u $u)" "exit $rc, outcome $o, $(head -c 400 "$T/err"), tmp: $(ls "$T/np")"
		fi
	done
else
	skip "fork fault" "needs root and setpriv to run as an unprivileged user with a process limit"
fi
# a containment helper that does not do its job (here: exits at once) is a harness fault,
# never a result of the runtime
mkdir -p "$T/brokenhelper"
cp "$(readlink -f "$WM")" "$T/brokenhelper/wasmatrix"
printf '#!/bin/sh\nexit 0\n' > "$T/brokenhelper/wasmatrix-contain"; chmod +x "$T/brokenhelper/wasmatrix-contain"
expect_exit "a broken wasmatrix-contain: exit 3" 3 env WASMATRIX_HOME="$WM_ROOT" "$T/brokenhelper/wasmatrix" "${TP[@]}" --out "$T/bh"
[ "$(outcome "$T/bh/results.json" templ/argv printargs)" = error ] && grep -q "containment process exited with 0 before starting it" "$T/err" \
	&& ok "  ...the result is an error that says so" || bad "broken helper" "$(cat "$T/err")"
echo data > "$T/afile"
expect_exit "--out naming a file: exit 2, nothing run" 2 "$WM" "${TP[@]}" --out "$T/afile"
expect_exit "--out below a file: exit 2" 2 "$WM" "${TP[@]}" --out "$T/afile/sub"
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	# a full and a read-only file system, in a private mount namespace
	mkdir -p "$T/full" "$T/ro"
	unshare -m bash -c 'mount -t tmpfs -o size=32k none "$1/full" && mount -t tmpfs -o ro none "$1/ro" || exit 9
		dd if=/dev/zero of="$1/full/fill" bs=4k 2>/dev/null
		shift; "$@" --out "$0/full/o" >"$0/full.out" 2>"$0/full.err"; echo $? >"$0/full.rc"
		"$@" --out "$0/ro" >"$0/ro.out" 2>"$0/ro.err"; echo $? >"$0/ro.rc"' "$T" "$T" "$WM" "${TP[@]}"
	if [ "$(cat "$T/full.rc" 2>/dev/null)" = 3 ] && grep -q "No space left on device (checked before running any test)" "$T/full.err" \
		&& ! grep -q "^PASS\|^running" "$T/full.out"; then
		ok "--out on a full file system: exit 3 before any test runs"
	else
		bad "--out full" "exit $(cat "$T/full.rc" 2>/dev/null): $(cat "$T/full.err" "$T/full.out" 2>/dev/null | head -5)"
	fi
	if [ "$(cat "$T/ro.rc" 2>/dev/null)" = 3 ] && grep -q "Read-only file system" "$T/ro.err" && ! grep -q "^running" "$T/ro.out"; then
		ok "--out on a read-only file system: exit 3 before any test runs"
	else
		bad "--out read-only" "exit $(cat "$T/ro.rc" 2>/dev/null): $(cat "$T/ro.err" "$T/ro.out" 2>/dev/null | head -5)"
	fi
else
	skip "--out full / read-only" "needs root to mount small file systems in a private mount namespace"
fi

if [ -z "$RT" ]; then skip lifecycle "neither wasmtime nor node is installed"; exit 0; fi
REAL=$("$WM" runtimes --json | python3 -c "import json,sys; print([r['path'] for r in json.load(sys.stdin) if r['name']=='$RT'][0])")
[ "$RT" = node ] && REAL_ARGS=("$REAL" "$WM_ROOT/runners/node-wasi.mjs" --) || REAL_ARGS=("$REAL" run --)

# --- containment: a "runtime" that escapes its process group (tests/data/escape-runtime.sh)
N=$(( 20000 + RANDOM % 9000 + $$ % 1000 ))
mkdir -p "$T/esc"
for m in setsid holdout forker killparent; do
	{
		echo "name: esc-$m"
		echo "find: {env: WM_ESCAPE_RUNTIME, executables: [escape-runtime.sh]}"
		printf 'command: ["{exe}", %s, "%s"' "$m" "$N"
		for a in "${REAL_ARGS[@]}"; do printf ', "%s"' "$a"; done
		echo ', "{module}", "{args...}"]'
	} > "$T/esc/esc-$m.yaml"
done
{
	echo "name: plain"
	echo "find: {env: WM_PLAIN_RUNTIME, executables: [$RT]}"
	printf 'command: ["{exe}"'
	for a in "${REAL_ARGS[@]:1}"; do printf ', "%s"' "$a"; done
	echo ', "{module}", "{args...}"]'
} > "$T/esc/plain.yaml"
cp "$FX/spin.wasm" "$T/spin-$N.wasm"; cp "$FX/hello.wasm" "$T/hello.wasm"	# suites name files in their own tree
SPIN="spin-$N.wasm"
cat > "$T/esc.yaml" <<Y
name: esc
tests:
  - {name: hello, module: hello.wasm, expect: {stdout: "hello\n"}}
Y
export WM_ESCAPE_RUNTIME=$D/escape-runtime.sh WM_PLAIN_RUNTIME=$REAL
TMPDIR=$T/tmp "$WM" run "$T/esc.yaml" --runners "$T/esc" --out "$T/e" --color never --jobs 2 >"$T/log" 2>&1; rc=$?
R=$T/e/results.json
reason() { rq "$R" "[x['reason'] for x in r['results'] if x['runtime']=='$1'][0]"; }
strays() { rq "$R" "[x['strays'] for x in r['results'] if x['runtime']=='$1'][0]"; }
[ $rc = 1 ] && ok "escaping runtimes: exit 1 (unexpected results)" || bad "escape exit" "$rc $(tail -5 "$T/log")"
[ "$(outcome "$R" esc/hello plain)" = pass ] && [ "$(strays plain)" = 0 ] && ok "a plain $RT leaves no process: pass, strays 0" \
	|| bad "plain $RT" "$(outcome "$R" esc/hello plain) $(reason plain)"
for m in setsid holdout forker; do
	o=$(outcome "$R" esc/hello "esc-$m")
	if [ "$o" = fail ] && [[ "$(reason "esc-$m")" == *"left "*" running after it exited (killed by the harness)"* ]] && [ "$(strays "esc-$m")" -ge 1 ]; then
		ok "a runtime that leaves processes behind ($m) does not pass: fail, $(strays "esc-$m") killed"
	else
		bad "escape $m" "outcome $o: $(reason "esc-$m")"
	fi
done
# the stray holding stdout no longer makes the harness wait for the pipe (it used to, 2 s)
d=$(rq "$R" "[x['duration'] for x in r['results'] if x['runtime']=='esc-holdout'][0]")
python3 -c "import sys; sys.exit(0 if $d < 1.5 else 1)" && ok "a stray holding stdout is killed at once (${d}s)" || bad "holdout duration" "$d s"
o=$(outcome "$R" esc/hello esc-killparent)
[ "$o" = crash ] && [[ "$(reason esc-killparent)" == *"could not account for the processes it started (its containment process was killed"* ]] \
	&& ok "a runtime that kills its containment process: crash, and said so" || bad "killparent" "$o: $(reason esc-killparent)"
grep -q "killed 1 process that runtimes left running outside their containment" "$T/log" \
	&& ok "its stray is swept by the harness (a subreaper too) at the end of the run" || bad "harness sweep" "$(grep -i warning "$T/log")"
if gone "^sleep $N" 1; then ok "no escaped process survives the run (setsid, double fork, forker, killed parent)"; else bad "escaped processes survive" "$(pgrep -af "^sleep $N")"; pkill -KILL -f "^sleep $N"; fi
[ -z "$(ls "$T/tmp")" ] && ok "containment: temp dirs removed" || bad "containment temp dirs" "$(ls "$T/tmp")"
# the same containment without the wasmatrix-contain helper (a copy of the binary alone):
# the harness forks the containment process itself
mkdir -p "$T/alone"
cp "$(readlink -f "$WM")" "$T/alone/wasmatrix"
TMPDIR=$T/tmp WASMATRIX_HOME=$WM_ROOT "$T/alone/wasmatrix" run "$T/esc.yaml" --runners "$T/esc" --runtime esc-setsid,esc-forker,plain \
	--out "$T/ea" --color never >"$T/log" 2>&1
R=$T/ea/results.json
if [ "$(outcome "$R" esc/hello esc-setsid)" = fail ] && [ "$(outcome "$R" esc/hello esc-forker)" = fail ] && [ "$(outcome "$R" esc/hello plain)" = pass ] \
	&& gone "^sleep $N" 1; then
	ok "without the helper binary (fork fallback) escaping runtimes are contained too"
else
	bad "fork fallback" "$(tail -5 "$T/log") $(pgrep -af "^sleep $N")"
fi
# a timeout of an escaping runtime kills its escaped processes too
cat > "$T/escspin.yaml" <<Y
name: escspin
tests:
  - {name: forever, module: $SPIN, timeout: 1}
Y
TMPDIR=$T/tmp "$WM" run "$T/escspin.yaml" --runners "$T/esc" --runtime esc-setsid,esc-forker --out "$T/es" >/dev/null 2>&1
[ "$(outcome "$T/es/results.json" escspin/forever esc-setsid)" = timeout ] && [ "$(outcome "$T/es/results.json" escspin/forever esc-forker)" = timeout ] \
	&& ok "escaping runtime that hangs: timeout" || bad "escape timeout" "$(rq "$T/es/results.json" '[x["outcome"] for x in r["results"]]')"
if gone "^sleep $N" 1 && gone "$SPIN" 1; then ok "timeout: the runtime and its escaped processes are killed"; else bad "timeout leaves processes" "$(pgrep -af "$SPIN|^sleep $N")"; fi

# --- SIGINT during run ---------------------------------------------------------------------
cat > "$T/sig.yaml" <<Y
name: sig
tests:
  - {name: a-quick, module: hello.wasm, expect: {stdout: "hello\n"}}
  - {name: b-spin, module: $SPIN, timeout: 60}
  - {name: c-spin, module: $SPIN, timeout: 60}
  - {name: d-quick, module: hello.wasm, expect: {stdout: "hello\n"}}
Y
run_sig() { # SIGNAL OUTDIR RUNTIMES: starts a run, signals it once its spinners run; sets rc
	TMPDIR=$T/tmp "${BG[@]}" "$WM" run "$T/sig.yaml" --runners "$T/esc" --runtime "$3" --jobs 2 --out "$2" \
		--format md,junit --color never >"$T/sig.log" 2>&1 &
	local pid=$!
	# both spinners run: the quick test before them has finished (2 jobs)
	wait_proc "$SPIN" 2 || bad "$1: spinners never started" "$(cat "$T/sig.log")"
	sleep 0.2
	# meanwhile a second run with the same --out is refused before it runs anything
	if [ "$1" = INT ]; then
		expect_exit "a second run on the same --out is refused (exit 3)" 3 "$WM" run "$T/sig.yaml" --runners "$T/esc" --runtime plain --out "$2"
		grep -q "another wasmatrix run is writing to" "$T/err" && ok "the refusal names the other run" || bad "lock message" "$(cat "$T/err")"
	fi
	local t0=$SECONDS
	kill -"$1" "$pid"
	wait "$pid"; rc=$?
	took=$((SECONDS - t0))
}
run_sig INT "$T/si" plain
[ $rc = 130 ] && ok "SIGINT: exit 130" || bad "SIGINT exit" "$rc $(tail -5 "$T/sig.log")"
[ "$took" -le 3 ] && ok "SIGINT: the run stops at once (${took}s)" || bad "SIGINT slow" "${took}s"
R=$T/si/results.json
if [ -f "$R" ]; then
	inc=$(rq "$R" 'r["incomplete"]')
	got=$(rq "$R" '",".join(x["test"]+"="+x["outcome"] for x in r["results"])')
	[[ "$inc" == *"'signal': 'SIGINT'"*"'planned': 4"* ]] && ok "results.json marked incomplete ($inc)" || bad "incomplete marker" "$inc"
	[[ "$got" == *"sig/a-quick=pass"* && "$got" != *spin* ]] && ok "results.json keeps what finished, not the killed tests ($got)" || bad "finished results" "$got"
	[ -s "$T/si/summary.md" ] && [ -s "$T/si/junit.xml" ] && ok "SIGINT: the requested reports are written" || bad "reports after SIGINT" "$(ls "$T/si")"
	expect_exit "the results reader accepts an incomplete run" 0 "$WM" report "$R" --format md -o "$T/si.md"
	expect_exit "update-baseline refuses an incomplete run (exit 2)" 2 "$WM" update-baseline "$R" --baseline "$T/bl"
	grep -q "the run was stopped (SIGINT after 1 of 4 results)" "$T/err" && [ ! -e "$T/bl" ] && ok "update-baseline: says why and writes nothing" \
		|| bad "update-baseline incomplete" "$(cat "$T/err"; ls "$T/bl" 2>&1)"
	grep -q "^INCOMPLETE: stopped by SIGINT" "$T/sig.log" && ok "the terminal says the run is incomplete" || bad "incomplete on terminal" "$(tail -5 "$T/sig.log")"
else
	bad "SIGINT: results.json written" "$(ls "$T/si") $(tail -5 "$T/sig.log")"
fi
if gone "$SPIN" 1; then ok "SIGINT: no runtime left running"; else bad "SIGINT leaves runtimes" "$(pgrep -af "$SPIN")"; pkill -KILL -f "$SPIN"; fi
[ -z "$(ls "$T/tmp")" ] && ok "SIGINT: temp dirs removed" || bad "SIGINT temp dirs" "$(ls "$T/tmp")"
# SIGTERM, on the escaping runtime: its escaped sleepers go too
run_sig TERM "$T/st" esc-setsid
[ $rc = 143 ] && ok "SIGTERM: exit 143" || bad "SIGTERM exit" "$rc $(tail -5 "$T/sig.log")"
[[ "$(rq "$T/st/results.json" 'r["incomplete"]["signal"]' 2>&1)" == SIGTERM ]] && ok "SIGTERM: results marked incomplete" || bad "SIGTERM results" "$(ls "$T/st")"
if gone "$SPIN" 1 && gone "^sleep $N" 1; then ok "SIGTERM: no runtime and no escaped process left"; else bad "SIGTERM leaves processes" "$(pgrep -af "$SPIN|^sleep $N")"; fi
[ -z "$(ls "$T/tmp")" ] && ok "SIGTERM: temp dirs removed" || bad "SIGTERM temp dirs" "$(ls "$T/tmp")"
# a second signal quits at once; the containment processes still kill their runtimes
TMPDIR=$T/tmp "${BG[@]}" "$WM" run "$T/sig.yaml" --runners "$T/esc" --runtime plain --jobs 2 --out "$T/s2" >"$T/sig.log" 2>&1 &
pid=$!
wait_proc "$SPIN"; sleep 0.3
kill -INT "$pid"; kill -TERM "$pid"
wait "$pid"; rc=$?
[ $rc = 143 ] || [ $rc = 130 ] && ok "a second signal exits at once ($rc)" || bad "second signal" "$rc"
if gone "$SPIN" 2; then ok "after a second signal no runtime is left"; else bad "second signal leaves runtimes" "$(pgrep -af "$SPIN")"; pkill -KILL -f "$SPIN"; fi
# the harness killed outright (SIGKILL, the OOM killer): its runtimes still go
TMPDIR=$T/tmp "$WM" run "$T/sig.yaml" --runners "$T/esc" --runtime esc-setsid --jobs 2 --out "$T/s9" >/dev/null 2>&1 &
pid=$!
wait_proc "$SPIN"; sleep 0.3
kill -KILL "$pid"; wait "$pid" 2>/dev/null
if gone "$SPIN" 2 && gone "^sleep $N" 2; then ok "harness killed by SIGKILL: its runtimes and their escaped processes die too"; else bad "SIGKILL leaves processes" "$(pgrep -af "$SPIN|^sleep $N")"; pkill -KILL -f "$SPIN"; pkill -KILL -f "^sleep $N"; fi
rm -rf "$T/tmp"/*

# --- SIGINT during check ---------------------------------------------------------------------
CK=$RT
[ "$RT" = wasmtime ] && have_node && CK=wasmtime,node
TMPDIR=$T/tmp "${BG[@]}" "$WM" check "$T/$SPIN" --runtime "$CK" --timeout 60 >"$T/ck.log" 2>&1 &
pid=$!
wait_proc "$SPIN"; sleep 0.3
kill -INT "$pid"; wait "$pid"; rc=$?
[ $rc = 130 ] && ok "check: SIGINT exits 130" || bad "check SIGINT" "$rc $(tail -3 "$T/ck.log")"
if gone "$SPIN" 1; then ok "check: no runtime left after SIGINT"; else bad "check leaves runtimes" "$(pgrep -af "$SPIN")"; pkill -KILL -f "$SPIN"; fi
[ -z "$(ls "$T/tmp")" ] && ok "check: temp dirs removed after SIGINT" || bad "check temp dirs" "$(ls "$T/tmp")"

# --- out of file descriptors: --jobs is clamped, nothing leaks ------------------------------
cat > "$T/many.yaml" <<Y
name: many
tests:
Y
for i in $(seq 12); do echo "  - {name: t$i, module: hello.wasm, expect: {stdout: \"hello\\n\"}}" >> "$T/many.yaml"; done
(ulimit -n 64; TMPDIR=$T/tmp exec "$WM" run "$T/many.yaml" --runners "$T/esc" --runtime plain --jobs 300 --out "$T/fd" --color never) >"$T/fd.log" 2>&1; rc=$?
[ $rc = 0 ] && [ "$(rq "$T/fd/results.json" 'sum(1 for x in r["results"] if x["outcome"]=="pass")')" = 12 ] \
	&& ok "ulimit -n 64 with --jobs 300: every test runs and passes" || bad "fd limit run" "exit $rc $(grep -v '^PASS' "$T/fd.log" | head -5)"
grep -q "running [0-9]* jobs instead of 300: the open-file limit" "$T/fd.log" && ok "--jobs lowered to what the open-file limit allows, and said so" || bad "jobs clamp message" "$(head -3 "$T/fd.log")"
[ -z "$(ls "$T/tmp")" ] && ok "ulimit -n 64: no temp dir left" || bad "fd limit temp dirs" "$(ls "$T/tmp" | wc -l) left"

# --- the results reader: a malformed incomplete marker is an input error ---------------------
python3 - "$T/e/results.json" "$T/badinc.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["incomplete"] = {"signal": "SIGINT", "results": "x"}
json.dump(r, open(sys.argv[2], "w"), indent=1)
PY
expect_exit "results reader: a malformed 'incomplete' is exit 2" 2 "$WM" report "$T/badinc.json" --format md
grep -q "badinc.json:[0-9]*:[0-9]*: error: incomplete.results: must be an integer" "$T/err" && grep -q "missing key 'planned'" "$T/err" \
	&& ok "results reader: file:line:col for the 'incomplete' marker" || bad "incomplete validation" "$(cat "$T/err")"

# --- results that cannot be written at the end are saved in TMPDIR, not lost ------------------
cat > "$T/slow.yaml" <<Y
name: slow
tests:
  - {name: spin, module: $SPIN, timeout: 1.5}
Y
rm -rf "$T/tmp"/*
TMPDIR=$T/tmp "$WM" run "$T/slow.yaml" --runners "$T/esc" --runtime plain --out "$T/gone/o" >"$T/log" 2>&1 &
pid=$!
wait_proc "$SPIN"
rm -rf "$T/gone"	# the output directory disappears while the test runs
wait "$pid"; rc=$?
saved=$(sed -n 's/^wasmatrix run: the results were saved to \(.*\) instead$/\1/p' "$T/log")
if [ $rc = 3 ] && [ -n "$saved" ] && [ "$(outcome "$saved" slow/spin plain)" = timeout ]; then
	ok "the output directory vanished during the run: exit 3, the results saved in TMPDIR ($(basename "$saved"))"
else
	bad "results rescue" "exit $rc: $(tail -3 "$T/log")"
fi
