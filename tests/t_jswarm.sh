# Warm launchers for the JS hosts (docs/adapters.md "Warm launchers", --warm-launch): the
# calibration and portability suites give the same results (outcome, reason, exit code,
# stdout, stderr, files) in fresh processes and in warm launchers; one run's environment and
# preopens are not seen by the next run in the same launcher; a timeout and a launcher killed
# mid-run recover (the killed run is run again in a fresh process and says so); a bad
# launcher key is a file:line:col error. Real node on real modules.
. "$(dirname "$0")/lib.sh"
avail=$("$WM" runtimes --json | python3 -c 'import json,sys; print(" ".join(r["name"] for r in json.load(sys.stdin) if r["available"]))')
case " $avail " in *" node "*) ;; *) skip jswarm "node is not installed (scripts/deps.sh): every test here needs it"; exit 0;; esac
CMP="python3 $WM_ROOT/tests/jswarm/compare.py"
launches() { rq "$1" '" ".join(x["test"].split("/")[-1]+":"+x["launch"] for x in r["results"])'; }

# ---------------------------------------------------------------- same results both ways
for s in calibration portability; do
	"$WM" run "$WM_ROOT/suites/$s" -r node -j 2 -o "$T/$s-cold" >/dev/null 2>&1
	"$WM" run "$WM_ROOT/suites/$s" -r node -j 2 -o "$T/$s-warm" --warm-launch >/dev/null 2>&1
	check "$s: every result is the same cold and warm" $CMP "$T/$s-cold/results.json" "$T/$s-warm/results.json"
	n=$(rq "$T/$s-warm/results.json" 'sum(x["launch"]=="warm" for x in r["results"])')
	[ "$n" -gt 0 ] && ok "  ...$n of its runs ran in a warm launcher" || bad "$s warm" "no run was warm"
done

# ---------------------------------------------------------------- isolation and recovery
F=$WM_ROOT/fixtures
mkdir -p "$T/s/box"
cp "$F/selftest/listdir.wasm" "$F/selftest/hello.wasm" "$F/selftest/spin.wasm" "$F/calibration/env.wasm" "$T/s/"
printf 'x\n' > "$T/s/box/a.txt"
cat > "$T/s/suite.yaml" <<'Y'
name: iso
tests:
  - name: env-set
    module: env.wasm
    env: {LEAK: "yes"}
    expect: {stdout: "envc=1\nenv=\"LEAK=yes\"\n"}
  - name: env-list
    module: env.wasm
    expect: {stdout: "envc=0\n"}
  - name: dir-set
    module: listdir.wasm
    args: [/box]
    dirs: [{host: box, guest: /box}]
    expect: {stdout: "a.txt\n"}
  - name: dir-gone
    module: listdir.wasm
    args: [/box]
    expect: {exit: 1}
  - name: spin
    module: spin.wasm
    timeout: 1
  - name: after-timeout
    module: hello.wasm
    expect: {stdout: {contains: hello}}
Y
"$WM" run "$T/s/suite.yaml" -r node -j 1 -o "$T/iso-cold" >/dev/null 2>&1
"$WM" run "$T/s/suite.yaml" -r node -j 1 -o "$T/iso-warm" --warm-launch >/dev/null 2>&1
o=$(rq "$T/iso-warm/results.json" '" ".join(x["outcome"] for x in r["results"])')
[ "$o" = "pass pass pass pass timeout pass" ] && ok "isolation suite warm: env and preopens of one run are gone in the next, the spin times out" \
	|| bad "iso outcomes" "$o"
check "  ...with the same results as cold" $CMP "$T/iso-cold/results.json" "$T/iso-warm/results.json"
want="env-set:warm env-list:warm dir-set:warm dir-gone:warm spin:warm after-timeout:warm"
[ "$(launches "$T/iso-warm/results.json")" = "$want" ] && ok "  ...every run warm: the next run's env and preopens are its own" \
	|| bad "iso launches" "$(launches "$T/iso-warm/results.json")"

# a launcher (node itself, and then its containment process) killed with SIGKILL during a run: that run is run again in a fresh process
cat > "$T/s/kill.yaml" <<'Y'
name: kill
tests:
  - name: spin
    module: spin.wasm
    timeout: 3
  - name: after-kill
    module: hello.wasm
    expect: {stdout: {contains: hello}}
Y
# descendant PID ANCESTOR: is PID beneath ANCESTOR?
descendant() { local q=$1; while [ "${q:-1}" -gt 1 ] && [ "$q" != "$2" ]; do q=$(awk '{print $4}' "/proc/$q/stat" 2>/dev/null); done; [ "$q" = "$2" ]; }
# kill_during WHAT OUT: runs kill.yaml warm and SIGKILLs the launcher's node (WHAT=node) or its
# containment process (WHAT=contain) once the spin runs; sets $killed and $nodepid
kill_during() {
	"$WM" run "$T/s/kill.yaml" -r node -j 1 -o "$2" --warm-launch >"$2.log" 2>&1 &
	local wm=$! p
	killed= nodepid=
	for _ in $(seq 50); do
		sleep 0.1
		for p in $(pgrep -x node); do
			grep -q -- --serve "/proc/$p/cmdline" 2>/dev/null && descendant "$p" "$wm" || continue
			nodepid=$p
			[ "$1" = node ] && kill -KILL "$p" && killed=$p
			[ "$1" = contain ] && kill -KILL "$(awk '{print $4}' "/proc/$p/stat")" && killed=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)
		done
		[ -n "$nodepid" ] && break
	done
	wait $wm
}
for what in node contain; do
	kill_during $what "$T/kill-$what"
	R=$T/kill-$what/results.json
	[ -n "$nodepid" ] && ok "killed the warm launcher's $what during a run" || { bad "kill $what" "no launcher found"; continue; }
	o=$(rq "$R" '" ".join(x["outcome"] for x in r["results"])')
	[ "$o" = "timeout pass" ] && ok "  ...the run still gets its own verdict (timeout), the next passes" || bad "kill $what outcomes" "$o"
	rq "$R" '[(x["launch"], x["launch_note"]) for x in r["results"] if x["test"]=="kill/spin"][0]' > "$T/kill.note"
	want="killed by signal 9"; [ $what = contain ] && want="containment process was killed"
	grep -q "fresh.*$want.*fresh process" "$T/kill.note" && ok "  ...it ran again in a fresh process and says why" \
		|| bad "kill $what note" "$(cat "$T/kill.note")"
	[ "$(rq "$R" '[x["launch"] for x in r["results"] if x["test"]=="kill/after-kill"][0]')" = warm ] \
		&& ok "  ...and the next run is warm again (a new launcher)" || bad "after kill $what" "not warm"
	[ -d "/proc/$nodepid" ] && [ "$(awk '{print $3}' "/proc/$nodepid/stat")" != Z ] \
		&& { bad "kill $what" "the launcher $nodepid outlived the run"; kill -KILL "$nodepid"; } || ok "  ...and no launcher outlives the run"
done

# ---------------------------------------------------------------- the adapter key
mkdir -p "$T/r"
sed 's|command: \["{exe}", "{features...}", "{adapter_dir}/node-wasi.mjs", --serve\]|command: ["{exe}", "{module}", --serve]|' \
	"$WM_ROOT/runners/node.yaml" > "$T/r/node.yaml"
cp "$WM_ROOT/runners/node-wasi.mjs" "$T/r/"
expect_exit "launcher.command with {module} is refused" 2 "$WM" run "$T/s/suite.yaml" -r node --runners "$T/r" -o "$T/bad"
grep -q "node.yaml:[0-9]*:[0-9]*: error: placeholder '{module}' cannot be used here" "$T/check.out" 2>/dev/null \
	|| "$WM" run "$T/s/suite.yaml" -r node --runners "$T/r" -o "$T/bad" 2>&1 | grep -q "node.yaml:[0-9]*:[0-9]*: error: placeholder '{module}' cannot be used here" \
	&& ok "  ...at its file:line:col" || bad "launcher key error" "$("$WM" run "$T/s/suite.yaml" -r node --runners "$T/r" -o "$T/bad" 2>&1 | head -3)"
