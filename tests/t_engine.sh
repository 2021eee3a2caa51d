# The engine end to end on real Node.js: matchers (pass and fail), exit codes, traps,
# files left in preopens, fixture copies, skips; templating; timeouts; output caps.
. "$(dirname "$0")/lib.sh"
D=$WM_ROOT/tests/data
# templating needs no wasm runtime: printf shows the argv the adapter template built
"$WM" run "$D/templ.yaml" --runners "$D/runners-templ" --out "$T/tp" --color never >"$T/log" 2>&1
[ "$(outcome "$T/tp/results.json" templ/argv printargs)" = pass ] && ok "templating: args, env, dirs, module, cwd, {{ }} escapes" || bad "templating" "$(cat "$T/log")"
if ! have_node; then skip engine "node is not installed"; exit 0; fi
"$WM" run "$D/engine.yaml" --runtime node --out "$T/o" --color never >"$T/log" 2>&1; rc=$?
[ $rc = 1 ] && ok "engine suite: exit 1 with designed failures" || bad "engine exit" "$rc $(tail -3 "$T/log")"
while read -r id want; do
	got=$(outcome "$T/o/results.json" "engine/$id" node)
	[ "$got" = "$want" ] && ok "engine/$id is $want" || bad "engine/$id" "got $got, want $want"
done <<'E'
exact-pass pass
exact-fail fail
prefix-pass pass
prefix-fail fail
contains-pass pass
contains-fail fail
regex-pass pass
regex-fail fail
crlf-normalized-pass pass
crlf-strict-fail fail
stderr-empty-pass pass
exit-code-pass pass
exit-list-pass pass
exit-code-fail fail
trap-pass pass
trap-unexpected-fail fail
files-pass pass
files-fail fail
listdir-copy pass
empty-dir pass
skipped skip
E
r=$(rq "$T/o/results.json" '[x for x in r["results"] if x["test"]=="engine/exact-fail"][0]["diff"]')
[[ "$r" == *"-arg[1]=b"* && "$r" == *"+arg[1]=a"* ]] && ok "unified diff for an exact mismatch" || bad "diff" "$r"
r=$(rq "$T/o/results.json" '[x for x in r["results"] if x["test"]=="engine/skipped"][0]["reason"]')
[ "$r" = "demonstrates a skip with its reason" ] && ok "skip carries its reason" || bad "skip reason" "$r"
grep -q "^Unexpected results (8)" "$T/log" && ok "terminal: unexpected results listed first" || bad "terminal summary" "$(tail -20 "$T/log")"
# fixtures in the repo are never written
[ ! -e "$D/tree/out.txt" ] && ok "fixture tree untouched after writes" || bad "fixture written" "tree/out.txt exists"
# temp dirs are removed; with --keep the failures' dirs stay
export TMPDIR=$T/tmp; mkdir -p "$TMPDIR"
"$WM" run "$D/engine.yaml" --runtime node --filter 'files-*' --out "$T/k" --keep >/dev/null 2>&1
kept=$(rq "$T/k/results.json" '" ".join(str(x["kept"]) for x in r["results"])')
n=$(ls "$TMPDIR" | wc -l)
[[ "$kept" == "None /"* || "$kept" == *"/"*" None" ]] && [ "$n" = 1 ] && ok "--keep keeps only the failure's directory" || bad "--keep" "kept=$kept, $n dirs in TMPDIR"
rm -rf "$TMPDIR"/*
"$WM" run "$D/engine.yaml" --runtime node --filter 'files-*' --out "$T/k" >/dev/null 2>&1
[ -z "$(ls "$TMPDIR")" ] && ok "temporary directories removed" || bad "temp left" "$(ls "$TMPDIR")"
unset TMPDIR
# exit codes: 0 all as expected, 4 nothing selected
expect_exit "exit 0 when all as expected" 0 "$WM" run "$D/engine.yaml" --runtime node --filter '*-pass' --out "$T/p"
expect_exit "exit 4 when no test matches" 4 "$WM" run "$D/engine.yaml" --runtime node --filter 'zzz*' --out "$T/p"
"$WM" run "$D/engine.yaml" --runtime node --list >"$T/list" 2>&1
grep -q '^test engine/exact-pass' "$T/list" && ok "--list lists tests" || bad "--list" "$(cat "$T/list")"
# suites may only name files in their own tree (docs/suite-format.md): give $T its modules
mkdir -p "$T/fixtures" && cp -R "$WM_ROOT/fixtures/selftest" "$T/fixtures/"
# timeout: a module that spins forever is a timeout and leaves no process behind
cat > "$T/spin.yaml" <<Y
name: spin
tests:
  - {name: forever, module: fixtures/selftest/spin.wasm, timeout: 1.5}
Y
"$WM" run "$T/spin.yaml" --runtime node --out "$T/s" >/dev/null 2>&1
sleep 0.3
[ "$(outcome "$T/s/results.json" spin/forever node)" = timeout ] && ok "spinning module is a timeout" || bad "timeout outcome" "$(outcome "$T/s/results.json" spin/forever node)"
if pgrep -f "fixtures/selftest/spin.wasm" >/dev/null; then bad "no process left after timeout" "$(pgrep -af spin.wasm)"; else ok "no process left after timeout"; fi
# output cap: 1 GiB on stdout is capped and marked; the harness's memory stays small.
# Any runtime whose stdout survives a full pipe will do (the node-wasi launcher keeps the
# pipes blocking; see runners/node-wasi.mjs): wasmtime when installed, else node.
CAPRT=node
"$WM" runtimes | grep -q '^wasmtime  *[0-9]' && CAPRT=wasmtime
cat > "$T/flood.yaml" <<Y
name: flood
tests:
  - {name: gib, module: fixtures/selftest/flood.wasm, timeout: 120, expect: {stdout: {prefix: ""}}}
  - {name: gib-exact, module: fixtures/selftest/flood_stderr.wasm, timeout: 120, expect: {stderr: ""}}
Y
python3 - "$WM" "$T" "$CAPRT" <<'PY' >"$T/mem" 2>&1
import subprocess, sys, time
wm, t = sys.argv[1], sys.argv[2]
p = subprocess.Popen([wm, "run", t + "/flood.yaml", "--runtime", sys.argv[3], "--cap", "1048576", "--jobs", "1",
                      "--out", t + "/f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    try:
        for line in open("/proc/%d/status" % p.pid):
            if line.startswith("VmRSS:"):
                peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.02)
print(peak)
PY
peak=$(cat "$T/mem")
r=$(rq "$T/f/results.json" '" ".join("%s:%s:%s:%s" % (x["outcome"], x["stdout_truncated"] or x["stderr_truncated"], x["stdout_bytes"] + x["stderr_bytes"], len(x["stdout"]) + len(x["stderr"])) for x in r["results"])')
[ "$r" = "pass:True:1073741824:1048576 fail:True:1073741824:1048576" ] && ok "1 GiB output capped at 1 MiB and marked on $CAPRT (prefix passes, exact fails)" || bad "output cap" "$r"
[ "$peak" -gt 0 ] && [ "$peak" -lt 65536 ] && ok "harness peak RSS ${peak} KiB while draining 2 GiB" || bad "harness memory" "peak RSS ${peak} KiB"
# terminal behaviour: one live progress line on a TTY; colour rules
if command -v script >/dev/null; then
	script -qc "$WM run $D/engine.yaml --runtime node --filter 'exact-*' --out $T/tty" /dev/null > "$T/tty.out" 2>&1
	grep -q '\[1/2\] ' "$T/tty.out" && grep -q $'\r\033\\[K' "$T/tty.out" && ! grep -q '^PASS' "$T/tty.out" && ok "TTY: live progress line, no per-test lines" || bad "tty progress" "$(head -c 300 "$T/tty.out" | cat -v)"
	grep -q $'\033\[' "$T/tty.out" && ok "TTY: colour by default" || bad "tty colour" ""
	NO_COLOR=1 script -qc "$WM run $D/engine.yaml --runtime node --filter 'exact-*' --out $T/tty" /dev/null > "$T/tty2.out" 2>&1
	! grep -q $'\033\[[0-9;]*m' "$T/tty2.out" && ok "NO_COLOR disables colour on a TTY" || bad "NO_COLOR" "$(head -c 300 "$T/tty2.out" | cat -v)"
else
	skip "TTY progress" "script(1) is not installed"
fi
FORCE_COLOR=1 "$WM" run "$D/engine.yaml" --runtime node --filter 'exact-*' --out "$T/c" > "$T/fc.out" 2>&1
grep -q $'\033\[' "$T/fc.out" && ok "FORCE_COLOR colours a pipe" || bad "FORCE_COLOR" ""
FORCE_COLOR=1 "$WM" run "$D/engine.yaml" --runtime node --filter 'exact-*' --color never --out "$T/c" > "$T/fc2.out" 2>&1
! grep -q $'\033\[' "$T/fc2.out" && grep -q '^PASS' "$T/fc2.out" && ok "--color never wins; one line per result on a pipe" || bad "--color never" ""
# implicit requirements: a preopen at guest "." needs dir-dot; same-path adapters cannot remap
mkdir -p "$T/rn"
sed 's/^name: printargs/name: nodot/' "$D/runners-templ/printargs.yaml" > "$T/rn/nodot.yaml"; echo 'lacks: [dir-dot]' >> "$T/rn/nodot.yaml"
sed 's/^name: printargs/name: samepath/' "$D/runners-templ/printargs.yaml" > "$T/rn/samepath.yaml"; echo 'preopens: same-path' >> "$T/rn/samepath.yaml"
cat > "$T/dot.yaml" <<Y
name: dot
tests:
  - {name: dot, module: fixtures/selftest/hello.wasm, dirs: [{guest: .}], expect: {stdout: {regex: '.'}}}
  - {name: abs, module: fixtures/selftest/hello.wasm, dirs: [{guest: /box}], expect: {stdout: {regex: '.'}}}
Y
"$WM" run "$T/dot.yaml" --runners "$T/rn" --out "$T/dot" >/dev/null 2>&1
r=$(rq "$T/dot/results.json" '" | ".join("%s %s %s: %s" % (x["test"], x["runtime"], x["outcome"], x["reason"]) for x in r["results"])')
[[ "$r" == *"dot/dot nodot skip: nodot cannot preopen a directory at guest path '.' (adapter: lacks dir-dot)"* && "$r" == *"dot/abs nodot pass"* && "$r" == *"dot/abs samepath skip: samepath cannot remap a preopen to guest path '/box'"* && "$r" == *"dot/dot samepath pass"* ]] && ok "implicit requirements: dir-dot and same-path preopens skip with reasons" || bad "implicit requirements" "$r"
# a runtime that dies of a signal is a crash result, not a harness failure
cat > "$T/rn/crasher.yaml" <<'Y'
# Not a WebAssembly runtime: a process that kills itself with SIGSEGV, to check that a
# crashing runtime is a `crash` result with the signal in its reason.
name: crasher
find: {executables: [sh]}
command: ["{exe}", "-c", "kill -SEGV $$", "{module}"]
env_arg: ["{key}={value}"]
Y
"$WM" run "$D/engine.yaml" --runners "$T/rn" --runtime crasher --filter 'exact-pass' --out "$T/cr" >/dev/null 2>&1; rc=$?
r=$(rq "$T/cr/results.json" '"%s: %s" % (r["results"][0]["outcome"], r["results"][0]["reason"])')
[ $rc = 1 ] && [[ "$r" == "crash: the runtime was killed by signal 11 (Segmentation fault)" ]] && ok "a runtime killed by a signal is a crash result (exit 1, not a harness fault)" || bad "crash" "rc=$rc $r"
