# Verdicts that are true (issue 10, section 3), on every installed runtime:
# - guests that impersonate their runtime (tests/data/verdict.yaml) pass, traps stay traps,
#   and the result names the rule that fired;
# - guest bytes never reach the terminal raw (run's progress and summary, check's text, md);
# - the recorded command replays the run: same stdin (kind and bytes), env, cwd, exit, stdout;
# - the reason's excerpt comes from the stream the adapter says the runtime speaks on.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
D=$WM_ROOT/tests/data
cp "$WM_ROOT/fixtures/selftest/say.wasm" "$WM_ROOT/fixtures/selftest/echo.wasm" "$T/"	# suites name files in their own tree
SAY=$T/say.wasm
"$WM" runtimes --json > "$T/rt.json"
# the runtimes that run core modules (jco runs components only: tests/t_p2.sh)
avail=$(python3 -c "import json,sys; print(','.join(r['name'] for r in json.load(open(sys.argv[1])) if r['available'] and 'wasm32-wasip1' in r['wasi']))" "$T/rt.json")
if [ -z "$avail" ]; then skip verdict "no runtime is installed"; exit 0; fi

# ---- 1. what a guest prints never decides the runtime's fate ----
"$WM" run "$D/verdict.yaml" --runtime "$avail" --out "$T/v" --color never >"$T/vlog" 2>&1; rc=$?
[ $rc = 0 ] && ok "impersonating guests: every result as the guest meant it on $avail (exit 0)" || bad "impersonating guests (exit $rc)" "$(grep -A40 '^Unexpected' "$T/vlog" | grep -v '^      ' | head -40)"
python3 - "$T/v/results.json" <<'PY' >"$T/py" 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
bad = []
for x in r["results"]:
    t, rt, o, rule = x["test"], x["runtime"], x["outcome"], x["rule"]
    if o == "skip":
        if "lacks '" not in x["reason"]:
            bad.append("%s %s skipped: %s" % (rt, t, x["reason"]))
        continue
    if o != "pass":
        bad.append("%s %s: %s (rule %s): %s" % (rt, t, o, rule, x["reason"]))
    elif "/trap-" in t:
        if not (rule or "").startswith("classify.trap.") or not x["trapped"]:
            bad.append("%s %s: a trap without a classify.trap rule: %s" % (rt, t, rule))
    elif rule is not None:
        bad.append("%s %s: guest exited normally but rule %s fired" % (rt, t, rule))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "traps are classify.trap.* and trapped; guests that exited carry no rule" || bad "rules" "$(cat "$T/py")"

# ---- 2. guest bytes never reach the terminal raw ----
cat > "$T/esc.yaml" <<EOF
name: esc
defaults: {module: say.wasm, timeout: 20}
tests:
  - name: esc-guest
    args: [-e, '\e[31mRED\e]0;title\x07\r\xc2\x9b\xe2\x80\xaeevil\x7f', -o, '\e[2J\x1b[H', exit, "3"]
    expect: {stdout: "\e[1mx", stderr: "nope"}
  - name: esc-trap
    args: [-e, '\e[31mRED\e]0;title\x07\r', trap]
EOF
rawcheck() {	# NAME FILE MARKER: no ESC, BEL, CR, DEL, C1 control or bidi override in FILE,
	# and MARKER (an escaped form) is there
	python3 - "$2" "$3" <<'PY' && ok "$1" || bad "$1" "$(head -c 600 "$2" | cat -v)"
import sys
d = open(sys.argv[1], "rb").read()
bad = [b for b in (b"\x1b", b"\x07", b"\r", b"\x7f", b"\xc2\x9b", b"\xe2\x80\xae") if b in d]
sys.exit(1 if bad or sys.argv[2].encode() not in d else 0)
PY
}
"$WM" run "$T/esc.yaml" --runtime "$avail" --out "$T/e" --color never >"$T/elog" 2>&1
rawcheck "run: progress lines, reasons, diffs and commands show guest control bytes escaped" "$T/elog" '\x1b[31mRED\x1b]0;title\x07\r\u009b\u202eevil\x7f'
# a results file is input too: reasons with control bytes, rendered as Markdown and TAP
python3 - "$T/e/results.json" "$T/e2.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for x in r["results"]:
    x["reason"] = "\x1b[31mRED\x1b]0;title\x07\r\u009b\u202eevil"
json.dump(r, open(sys.argv[2], "w"))
PY
"$WM" report "$T/e2.json" --format md -o - >"$T/md" 2>&1
rawcheck "report --format md: reasons from a results file show control bytes escaped" "$T/md" '\x1b\[31mRED'
"$WM" report "$T/e2.json" --format tap -o - >"$T/tap" 2>&1
rawcheck "report --format tap: descriptions show control bytes escaped" "$T/tap" 'x1b[31mRED'
# a test id with control characters: a wasi-testsuite directory takes ids from file names.
# Whether such an id is refused (exit 2) or run, it is shown escaped.
mkdir -p "$T/wts"
echo '{"name": "escid"}' > "$T/wts/manifest.json"
cp "$SAY" "$T/wts/$(printf 'id\033[31mred')".wasm
printf '{"exit_code": 3}' > "$T/wts/$(printf 'id\033[31mred')".json
"$WM" run "$T/wts" --runtime "$avail" --out "$T/w" --color never >"$T/wlog" 2>&1
rawcheck "a test id with an ESC (from a wasi-testsuite file name) is shown escaped" "$T/wlog" 'id\x1b[31mred'
n=$(echo "$avail" | tr ',' '\n' | grep -c .)
if [ "$n" -ge 2 ]; then
	"$WM" check "$SAY" --color never -- -e '\e[31mRED\e]0;title\x07\r\xc2\x9b\xe2\x80\xae' -o '\e[2J\xc2\x9b\xe2\x80\xae' trap >"$T/ck" 2>&1
	rawcheck "check: stdout, causes and diffs show guest control bytes escaped" "$T/ck" '\x1b[2J'
	grep -q '^PORTABLE' "$T/ck" && ok "check: a trap after an unterminated escape-laden line is a trap everywhere" || bad "check trap" "$(grep -A3 'differs' "$T/ck" | head -12)"
else
	skip "check escapes" "needs two runtimes"
fi

# ---- 3. the recorded command is the command that ran ----
printf 'line 1\n-x %%s \\ '"'"' "\001\033[31m\r\nend \303\251' > "$T/stdin.bin"
cat > "$T/replay.yaml" <<EOF
name: replay
defaults: {module: say.wasm, timeout: 20}
tests:
  - name: no-stdin
    args: [-s, -e, 'to stderr\n', exit, "5"]
    expect: {stdout: "kept for the replay"}
  - name: stdin-bytes
    args: [-s]
    stdin: {file: stdin.bin}
    expect: {stdout: "kept for the replay"}
  - name: stdin-echo
    module: echo.wasm
    args: [a b, "c'd"]
    env: {K: "v w"}
    stdin: {file: stdin.bin}
    expect: {stdout: "kept for the replay"}
EOF
# --keep keeps the run directories the replays need; inside $T, so they go with it
mkdir -p "$T/tmp"
TMPDIR=$T/tmp "$WM" run "$T/replay.yaml" --runtime "$avail" --out "$T/r" --keep --color never >"$T/rlog" 2>&1
python3 - "$T/r/results.json" <<'PY' >"$T/py" 2>&1
import json, subprocess, sys
r = json.load(open(sys.argv[1]))
# results version 2: commands in parts (docs/results-format.md), joined back
for x in r["results"]:
    if isinstance(x.get("command"), list):
        x["command"] = "".join(r["shared"][p] if isinstance(p, int) else p for p in x["command"])
bad, n = [], 0
for x in r["results"]:
    if x["outcome"] == "skip":
        continue
    n += 1
    p = subprocess.run(["sh", "-c", x["command"]], capture_output=True)
    out = p.stdout.decode("utf-8", "replace")
    if (out, p.returncode) != (x["stdout"], x["exit_code"]):
        bad.append("%s %s: run gave exit %s %r, replay exit %s %r\n  %s" % (
            x["runtime"], x["test"], x["exit_code"], x["stdout"][-80:], p.returncode, out[-80:], x["command"][:300]))
    if x["test"].endswith("no-stdin") and not x["command"].endswith(" </dev/null"):
        bad.append("%s: no stdin, but the command does not say </dev/null" % x["runtime"])
print("%d replays" % n)
print("\n".join(bad))
sys.exit(1 if bad or not n else 0)
PY
[ $? = 0 ] && ok "replay: the recorded command reproduces stdin (kind and bytes), env, args, exit and stdout ($(head -1 "$T/py"))" || bad "replay" "$(cat "$T/py")"
python3 - "$T/r/results.json" <<'PY' >"$T/py" 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
kinds = {x["runtime"]: x["stdout"].strip() for x in r["results"] if x["test"].endswith("no-stdin") and x["outcome"] != "skip"}
bad = {k: v for k, v in kinds.items() if v in ("stdin=fifo", "stdin=closed")}
print(kinds)
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "no stdin is /dev/null, never a pipe: $(cat "$T/py")" || bad "stdin kind" "$(cat "$T/py")"

# ---- 4. the reason quotes the stream the runtime speaks on ----
# An adapter for a real runtime whose rules read stdout (speaks_on: stdout, as iwasm's and
# WasmEdge's): the refusal's excerpt must come from stdout, not the (empty) stderr.
rt1=$(echo "$avail" | tr ',' '\n' | grep -m1 -E '^(wasmtime|wazero|wasmi)$')
if [ -n "$rt1" ]; then
	mkdir -p "$T/runners"
	sed -e '/^speaks_on:/d' -e '/^classify:/,/^exit_passthrough_max:/{/^exit_passthrough_max:/!d}' \
		-e 's/^name: .*/name: stdoutrt/' "runners/$rt1.yaml" > "$T/runners/stdoutrt.yaml"
	cat >> "$T/runners/stdoutrt.yaml" <<'EOF'
speaks_on: stdout
classify:
  unsupported: {exit: [4], stdout: ['\ARefused: [^\n]*\n\z']}
EOF
	cp "$T/runners/stdoutrt.yaml" "$T/sr.yaml.txt"
	cat > "$T/speaks.yaml" <<EOF
name: speaks
defaults: {module: say.wasm, timeout: 20}
tests:
  - name: stdout-refusal
    args: [-o, 'Refused: by the runtime on stdout\n', exit, "4"]
EOF
	WASMATRIX_RUNTIMES_DIR=${WASMATRIX_RUNTIMES_DIR:-$WM_ROOT/.runtimes/bin} "$WM" run "$T/speaks.yaml" --runners "$T/runners" --out "$T/s" --color never >"$T/slog" 2>&1
	got=$(rq "$T/s/results.json" '[(x["outcome"], x["rule"], x["reason"]) for x in r["results"]][0]' 2>&1)
	[[ "$got" == "('unsupported', 'classify.unsupported.stdout[0]', 'the runtime refused the module (exit 4): Refused: by the runtime on stdout')" ]] \
		&& ok "speaks_on: stdout: the reason quotes the runtime's stdout line ($rt1 engine)" || bad "speaks_on excerpt" "$got $(tail -3 "$T/slog")"
else
	skip "speaks_on excerpt" "needs wasmtime, wazero or wasmi"
fi
