# Compile caches (docs/adapters.md "Compile caches"): one cache per runtime@version under
# $XDG_CACHE_HOME/wasmatrix/compile, on by default, shared by every run and job, never seen
# by a guest; --cold runs without it; a cold timeout is retried warm; a cache path that is a
# symbolic link, not ours, writable by others or inside a preopened fixture is refused. Real
# runtimes on real modules; the caches live in $T (XDG_CACHE_HOME), never the user's.
. "$(dirname "$0")/lib.sh"
avail=$("$WM" runtimes --json | python3 -c 'import json,sys; print(" ".join(r["name"] for r in json.load(sys.stdin) if r["available"]))')
has() { case " $avail " in *" $1 "*) return 0;; esac; return 1; }
if ! has wasmtime; then
	skip cache "wasmtime is not installed (make runtimes): every test here needs it"; exit 0
fi
version() { "$WM" runtimes --json | python3 -c 'import json,sys; print([r["version"] for r in json.load(sys.stdin) if r["name"]==sys.argv[1]][0])' "$1"; }
F=$WM_ROOT/fixtures
mkdir -p "$T/s/box"
cp "$F/selftest/listdir.wasm" "$F/selftest/hello.wasm" "$F/calibration/env.wasm" "$T/s/"
printf 'x\n' > "$T/s/box/a.txt"
cat > "$T/s/suite.yaml" <<'Y'
name: cache
tests:
  - name: hello
    module: hello.wasm
    expect: {stdout: {contains: "hello"}}
  # the guest lists its only preopen and its environment: nothing of the cache is there
  - name: preopen
    module: listdir.wasm
    args: [/box]
    dirs: [{host: box, guest: /box}]
    expect: {stdout: "a.txt\n"}
  - name: env
    module: env.wasm
    expect: {stdout: "envc=0\n"}
Y
RTS=wasmtime
for r in wazero wasmer; do has $r && RTS="$RTS,$r"; done
has wasmer || skip "cache: wasmer" "wasmer is not installed (scripts/install-runtimes.sh wasmer, a long cargo build): its cache is not tested"
has wazero || skip "cache: wazero" "wazero is not installed (make runtimes)"
X=$T/xdg
run() { XDG_CACHE_HOME=$X "$WM" run "$@"; }
# caches FILE -> "runtime:compile_cache" pairs of the results that ran, sorted, unique
caches() { rq "$1" '" ".join(sorted({x["runtime"]+":"+x.get("compile_cache","?") for x in r["results"] if x["ran"]}))'; }

# ---------------------------------------------------------------- cold, then warm
expect_exit "first run with the caches passes" 0 run "$T/s/suite.yaml" -r "$RTS" -o "$T/o1" -j 2
want=$(echo "$RTS" | tr ',' '\n' | sed 's/$/:cold/' | sort | tr '\n' ' '); want=${want% }
[ "$(caches "$T/o1/results.json")" = "$want" ] && ok "  ...every run was cold (filling the cache)" || bad "first run cold" "$(caches "$T/o1/results.json")"
expect_exit "second run passes" 0 run "$T/s/suite.yaml" -r "$RTS" -o "$T/o2" -j 2
want=$(echo "$RTS" | tr ',' '\n' | sed 's/$/:warm/' | sort | tr '\n' ' '); want=${want% }
[ "$(caches "$T/o2/results.json")" = "$want" ] && ok "  ...and every run was warm" || bad "second run warm" "$(caches "$T/o2/results.json")"
C=$X/wasmatrix/compile
for r in ${RTS//,/ }; do
	d=$C/$r@$(version $r)
	n=$(find "$d" -type f ! -path '*/.wasmatrix-seen/*' ! -name '*.toml' 2>/dev/null | wc -l)
	[ "$n" -ge 3 ] && ok "  ...$r's cache $d holds its compiled modules ($n files)" || bad "$r cache entries" "$n files in $d"
done
[ "$(stat -c %a "$C" "$C/wasmtime@$(version wasmtime)" | sort -u)" = 700 ] && ok "  ...cache directories are 0700" || bad "cache modes" "$(stat -c '%a %n' "$C"/*)"
rq "$T/o2/results.json" '[x["stdout"] for x in r["results"] if x["test"]=="cache/preopen"]' | grep -q "store\|wasmatrix\|compile" \
	&& bad "guest sees the cache" "listing of its preopen" || ok "  ...the guest's preopen shows only its fixture"
rq "$T/o2/results.json" '"\n".join((x["stdout"] or "") + (x["stderr"] or "") for x in r["results"])' | grep -q -- "$X" \
	&& bad "guest output names the cache" "" || ok "  ...no guest output names the cache directory"
rq "$T/o2/results.json" '[x["command"] for x in r["results"] if x["runtime"]=="wasmtime"][0]' | grep -q "HOME=/[^ ]*wasmatrix-[^ /]*/home" \
	&& ok "  ...each run keeps a fresh HOME of its own" || bad "fresh HOME" ""

# ---------------------------------------------------------------- --cold
expect_exit "--cold passes" 0 env XDG_CACHE_HOME="$T/xdg-cold" "$WM" run "$T/s/suite.yaml" -r wasmtime -o "$T/o3" --cold
[ ! -e "$T/xdg-cold/wasmatrix" ] && ok "  ...and leaves no cache" || bad "--cold cache" "$(find "$T/xdg-cold" | head)"
[ "$(caches "$T/o3/results.json")" = "wasmtime:off" ] && ok "  ...its results say off" || bad "--cold results" "$(caches "$T/o3/results.json")"
expect_exit "WASMATRIX_COLD=1 passes" 0 env WASMATRIX_COLD=1 XDG_CACHE_HOME="$T/xdg-cold" "$WM" run "$T/s/suite.yaml" -r wasmtime -o "$T/o4"
[ ! -e "$T/xdg-cold/wasmatrix" ] && ok "  ...and leaves no cache either" || bad "WASMATRIX_COLD cache" ""
expect_exit "check --cold leaves no cache" 0 env XDG_CACHE_HOME="$T/xdg-cold" "$WM" check --cold -r wasmtime,wasmi "$T/s/hello.wasm"
[ ! -e "$T/xdg-cold/wasmatrix" ] && ok "  ...indeed" || bad "check --cold cache" ""

# ---------------------------------------------------------------- old results still load
python3 - "$T/o2/results.json" "$T/old.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for x in d["results"]:
    x.pop("compile_cache", None); x.pop("cold_timeout", None)
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit "a results file from before the caches still loads" 0 "$WM" report "$T/old.json" --format md -o "$T/old.md"
python3 - "$T/o2/results.json" "$T/badcc.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["results"][0]["compile_cache"] = "tepid"
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit "an unknown compile_cache is refused" 2 "$WM" report "$T/badcc.json" --format md -o "$T/bad.md"
grep -q "compile_cache is none, off, cold or warm, not 'tepid'" "$T/err" && ok "  ...saying what it may be" || bad "compile_cache message" "$(head -3 "$T/err")"

# shards of one run, one cold and one warm, merge: cold/warm is how a run went, not what
# the test is, so the definitions agree and each result keeps its own
run "$T/s/suite.yaml" -r wasmtime -o "$T/m1" --shard 1/2 --run-id m --cold >/dev/null 2>&1
run "$T/s/suite.yaml" -r wasmtime -o "$T/m2" --shard 2/2 --run-id m >/dev/null 2>&1
expect_exit "a cold shard and a warm shard merge" 0 "$WM" merge "$T/m1/results.json" "$T/m2/results.json" -o "$T/m.json"
[ "$(caches "$T/m.json")" = "wasmtime:off wasmtime:warm" ] && ok "  ...each result keeping its compile_cache" || bad "merged compile_cache" "$(caches "$T/m.json")"

# ---------------------------------------------------------------- attacks on the path
V=$(version wasmtime)
# a symbolic link where the runtime's cache goes: never followed, nothing written through it
mkdir -p "$T/x1/wasmatrix/compile" "$T/attacker"
ln -s "$T/attacker" "$T/x1/wasmatrix/compile/wasmtime@$V"
expect_exit "a symlinked runtime cache is refused" 2 env XDG_CACHE_HOME="$T/x1" "$WM" run "$T/s/suite.yaml" -r wasmtime -o "$T/o5"
grep -q "is a symbolic link: refusing to follow it" "$T/err" && ok "  ...saying so" || bad "symlink message" "$(cat "$T/err")"
[ -z "$(ls -A "$T/attacker")" ] && ok "  ...and nothing was written where it points" || bad "symlink followed" "$(ls -A "$T/attacker")"
mkdir -p "$T/x2/wasmatrix"
ln -s "$T/attacker" "$T/x2/wasmatrix/compile"
expect_exit "a symlinked compile directory is refused" 2 env XDG_CACHE_HOME="$T/x2" "$WM" run "$T/s/suite.yaml" -r wasmtime -o "$T/o6"
[ -z "$(ls -A "$T/attacker")" ] && ok "  ...and nothing was written where it points" || bad "symlink followed" "$(ls -A "$T/attacker")"
expect_exit "check refuses it too" 2 env XDG_CACHE_HOME="$T/x2" "$WM" check -r wasmtime,wasmi "$T/s/hello.wasm"
mkdir -p "$T/x3/wasmatrix/compile/wasmtime@$V"
chmod 777 "$T/x3/wasmatrix/compile/wasmtime@$V"
expect_exit "a cache writable by others is refused" 2 env XDG_CACHE_HOME="$T/x3" "$WM" run "$T/s/suite.yaml" -r wasmtime -o "$T/o7"
grep -q "writable by others" "$T/err" && ok "  ...saying so" || bad "mode message" "$(cat "$T/err")"
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$T/x4/wasmatrix/compile/wasmtime@$V"
	chown 65534 "$T/x4/wasmatrix/compile/wasmtime@$V"
	expect_exit "a cache owned by another user is refused" 2 env XDG_CACHE_HOME="$T/x4" "$WM" run "$T/s/suite.yaml" -r wasmtime -o "$T/o8"
	grep -q "belongs to another user" "$T/err" && ok "  ...saying so" || bad "owner message" "$(cat "$T/err")"
else
	skip "cache owned by another user" "needs root to chown a directory to another user"
fi
# a cache inside a directory a test preopens would be copied into the guest's view
expect_exit "a cache inside a preopened fixture is refused" 2 env XDG_CACHE_HOME="$T/s/box/.cache" "$WM" run "$T/s/suite.yaml" -r wasmtime -o "$T/o9"
grep -q "which test cache/preopen preopens" "$T/err" && ok "  ...naming the test" || bad "fixture message" "$(cat "$T/err")"

# ---------------------------------------------------------------- parallel jobs
# the calibration suite cold on a fresh cache with 2 jobs, and with 1 job: same verdicts
sig() { rq "$1" '"\n".join(sorted("%s %s %s %s %r" % (x["test"], x["runtime"], x["outcome"], x["exit_code"], x["stdout"]) for x in r["results"]))'; }
XDG_CACHE_HOME="$T/xp" "$WM" run "$WM_ROOT/suites/calibration" -r "$RTS" -o "$T/p2" -j 2 >/dev/null 2>&1
XDG_CACHE_HOME="$T/xq" "$WM" run "$WM_ROOT/suites/calibration" -r "$RTS" -o "$T/p1" -j 1 >/dev/null 2>&1
[ -n "$(sig "$T/p2/results.json")" ] && [ "$(sig "$T/p2/results.json")" = "$(sig "$T/p1/results.json")" ] \
	&& ok "calibration cold with --jobs 2 gives the results of --jobs 1" || bad "jobs 2 vs 1" "$(diff <(sig "$T/p2/results.json") <(sig "$T/p1/results.json") | head -5)"
XDG_CACHE_HOME="$T/xp" "$WM" run "$WM_ROOT/suites/calibration" -r "$RTS" -o "$T/p3" -j 2 >/dev/null 2>&1
[ "$(sig "$T/p3/results.json")" = "$(sig "$T/p1/results.json")" ] && ok "  ...and so does a warm run with --jobs 2" || bad "warm jobs 2" ""

# ---------------------------------------------------------------- a cold timeout
# A module of many functions: wasmtime compiles it in seconds, then loads it from its cache
# in milliseconds. With a limit between the two, the cold run times out; it must be compiled
# into the cache and run again, warm, and pass, saying so.
python3 - "$T/s/big.wasm" <<'PY'
import sys
def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        out.append(b | 0x80 if n else b)
        if not n: return bytes(out)
def sec(i, p): return bytes([i]) + leb(len(p)) + p
def vec(xs): return leb(len(xs)) + b"".join(xs)
N, K = 6000, 60
types = vec([b"\x60" + vec([b"\x7f"]) + vec([b"\x7f"]), b"\x60" + vec([]) + vec([])])
funcs = vec([leb(0)] * N + [leb(1)])
exports = vec([b"\x06_start\x00" + leb(N)])
bodies = []
for i in range(N):
    code = bytearray(b"\x20\x00")
    for j in range(K):
        code += b"\x41" + leb((i * 7 + j) & 0x3f) + b"\x6a\x41\x03\x6c\x20\x00\x73"
    body = vec([]) + bytes(code) + b"\x0b"
    bodies.append(leb(len(body)) + body)
bodies.append(leb(2) + b"\x00\x0b")
open(sys.argv[1], "wb").write(b"\x00asm\x01\x00\x00\x00" + sec(1, types) + sec(3, funcs) + sec(7, exports) + sec(10, vec(bodies)))
PY
cat > "$T/s/slow.yaml" <<'Y'
name: slow
tests:
  - name: big
    module: big.wasm
    timeout: 0.5
    expect: {exit: 0}
Y
expect_exit "a module that times out compiling cold passes once compiled" 0 env XDG_CACHE_HOME="$T/xs" "$WM" run "$T/s/slow.yaml" -r wasmtime -o "$T/s1"
rq "$T/s1/results.json" '" ".join(str(x) for x in (r["results"][0]["compile_cache"], r["results"][0]["cold_timeout"] is not None, r["results"][0]["outcome"]))' >"$T/s1.txt"
[ "$(cat "$T/s1.txt")" = "warm True pass" ] && ok "  ...as a warm retry after the cold timeout" || bad "cold retry" "$(cat "$T/s1.txt")"
rq "$T/s1/results.json" 'r["results"][0]["reason"]' | grep -q "the cold run timed out after" && ok "  ...and its reason says so" || bad "cold retry reason" ""
expect_exit "with --cold it is a timeout" 1 env XDG_CACHE_HOME="$T/xs" "$WM" run "$T/s/slow.yaml" -r wasmtime -o "$T/s2" --cold
[ "$(outcome "$T/s2/results.json" slow/big wasmtime)" = timeout ] && ok "  ...as the limit says" || bad "--cold timeout" "$(outcome "$T/s2/results.json" slow/big wasmtime)"
if has wasmi; then
	expect_exit "check: a runtime that only compiles slowly cold is not a divergence" 0 env XDG_CACHE_HOME="$T/xc" "$WM" check -r wasmtime,wasmi -t 0.5 "$T/s/big.wasm"
else
	skip "check: cold timeout" "wasmi is not installed (make runtimes)"
fi
