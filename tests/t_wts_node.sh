# The official wasi-testsuite (C + AssemblyScript, 26 tests) on real Node.js, every
# outcome asserted. Expected non-passes were checked by hand against upstream:
#   sock_shutdown-invalid_fd / -not_sock: the C test asserts errno EBADF / ENOTSOCK;
#   Node's uvwasi answers sock_shutdown with ENOSYS-like errors, the assert() fails and
#   wasi-libc's abort() traps, so the result is a fail whose reason is the trap.
. "$(dirname "$0")/lib.sh"
if ! have_node; then skip wts-node "node is not installed"; exit 0; fi
C=$VENDOR/wasi-testsuite/c/testsuite/wasm32-wasip1
AS=$VENDOR/wasi-testsuite/assemblyscript/testsuite/wasm32-wasip1
"$WM" run "$C" "$AS" --runtime node --out "$T/o" --color never >"$T/log" 2>&1
rc=$?
[ $rc = 1 ] && ok "wts-node: exit 1 (unexpected results present)" || bad "wts-node: exit" "got $rc; $(tail -5 "$T/log")"
python3 - "$T/o/results.json" <<'PY' >"$T/py" 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
# results version 2: commands in parts (docs/results-format.md), joined back
for x in r["results"]:
    if isinstance(x.get("command"), list):
        x["command"] = "".join(r["shared"][p] if isinstance(p, int) else p for p in x["command"])
res = {x["test"]: x for x in r["results"]}
fails = {
    "c/wasm32-wasip1/sock_shutdown-invalid_fd": "Assertion failed: errno == EBADF",
    "c/wasm32-wasip1/sock_shutdown-not_sock": "Assertion failed: errno == ENOTSOCK",
}
bad = []
if len(res) != 26: bad.append("expected 26 results, got %d" % len(res))
for tid, x in sorted(res.items()):
    if tid in fails:
        if x["outcome"] != "fail" or fails[tid] not in (x["reason"] or "") or "trapped" not in x["reason"]:
            bad.append("%s: %s %s" % (tid, x["outcome"], x["reason"]))
    elif x["outcome"] != "pass":
        bad.append("%s: %s %s" % (tid, x["outcome"], x["reason"]))
    if not x["command"] or "node" not in x["command"]: bad.append(tid + ": no command")
print("\n".join(bad) or "all 26 as expected")
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "wts-node: 24 pass, 2 sock_shutdown fail with the assertion as reason" || bad "wts-node outcomes" "$(cat "$T/py")"
# prefix semantics: stdout of fd_write-to-stdout is compared as a prefix, like upstream
o=$(outcome "$T/o/results.json" assemblyscript/wasm32-wasip1/fd_write-to-stdout node)
[ "$o" = pass ] && ok "wts-node: stdout prefix match" || bad "wts-node: stdout prefix" "$o"
