# fetch, remote suites and publish (libcurl) against a real HTTP server on 127.0.0.1:
# success, cache reuse, --offline, 404, timeouts, truncated bodies, sha256 mismatch,
# redirect loops, size caps, http refused without --allow-http, unsafe archives, a suite
# run straight from an archive URL, and publishing with retries.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
mkdir -p "$T/root" "$T/cache"
export XDG_CACHE_HOME=$T/cache
cp fixtures/selftest/hello.wasm "$T/root/hello.wasm"
HELLO=$(sha256sum "$T/root/hello.wasm" | cut -d' ' -f1)
python3 tests/netserver.py --root "$T/root" --log "$T/publish.log" > "$T/port" 2>"$T/server.err" &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
B=http://127.0.0.1:$(cat "$T/port")
F="$WM fetch --allow-http"
expect_exit "fetch: success" 0 $F "$B/files/hello.wasm" --sha256 "$HELLO"
p=$(cat "$T/out")
[ "$p" = "$T/cache/wasmatrix/sha256/$HELLO" ] && cmp -s "$p" "$T/root/hello.wasm" && ok "fetch: cached under \$XDG_CACHE_HOME/wasmatrix/sha256/<hex>" || bad "fetch path" "$p"
rm "$T/root/hello.wasm"
expect_exit "fetch: served from the cache once there" 0 $F "$B/files/hello.wasm" --sha256 "$HELLO"
expect_exit "fetch: --offline uses the cache" 0 $F "$B/nothing" --sha256 "$HELLO" --offline
expect_exit "fetch: --offline without a cache entry is exit 3" 3 $F "$B/nothing" --sha256 "$(printf 'a%.0s' $(seq 64))" --offline
grep -q "not in the cache" "$T/err" && ok "  ...saying it is not in the cache" || bad "offline message" "$(cat "$T/err")"
Z=$(printf '0%.0s' $(seq 64))
expect_exit "fetch: 404 is exit 3" 3 $F "$B/files/nope" --sha256 "$Z"
grep -q "HTTP status 404" "$T/err" && ok "  ...with the status" || bad "404 message" "$(cat "$T/err")"
expect_exit "fetch: sha256 mismatch is exit 3" 3 $F "$B/redirect/../files/x" --sha256 "$Z"
cp fixtures/selftest/hello.wasm "$T/root/other.wasm"
expect_exit "fetch: sha256 mismatch is exit 3" 3 $F "$B/files/other.wasm" --sha256 "$Z"
grep -q "sha256 mismatch: expected $Z, got $HELLO" "$T/err" && ok "  ...naming both hashes" || bad "mismatch message" "$(cat "$T/err")"
[ ! -e "$T/cache/wasmatrix/sha256/$Z" ] && [ -z "$(ls -A "$T/cache/wasmatrix/sha256" | grep -v "^$HELLO$")" ] && ok "  ...and leaves no cache entry or partial file" || bad "cache after mismatch" "$(ls -a "$T/cache/wasmatrix/sha256")"
s=$(date +%s%N)
expect_exit "fetch: slow server times out (exit 3)" 3 $F "$B/slow" --sha256 "$Z" --net-timeout 0.5 --retries 2
e=$(( ($(date +%s%N) - s) / 1000000 ))
grep -q "retrying (2 of 2)" "$T/err" && [ $e -lt 4000 ] && ok "  ...after bounded retries with backoff (${e} ms)" || bad "timeout retries" "$e ms: $(cat "$T/err")"
# a server that stalls (no bytes) or trickles (1 byte/s): each attempt ends after
# --stall-timeout, not after --net-timeout (300 s by default, 20 minutes with retries)
for ep in stall trickle; do
	s=$(date +%s%N)
	expect_exit "fetch: a $ep server is given up (exit 3)" 3 $F "$B/$ep" --sha256 "$Z" --stall-timeout 1 --retries 1
	e=$(( ($(date +%s%N) - s) / 1000000 ))
	grep -q "stalled: less than 1024 bytes/s for 1 s (--stall-timeout)" "$T/err" && grep -q "retrying (1 of 1)" "$T/err" && [ $e -lt 6000 ] &&
		ok "  ...after the stall timeout, retried once (${e} ms)" || bad "$ep timeout" "$e ms: $(cat "$T/err")"
done
$F --help | grep -q -- "--stall-timeout S.*1 KiB/s" && $F --help | grep -q "(default 30)" && ok "fetch --help documents the stall timeout and its default" || bad "stall help" "$($F --help)"
expect_exit "fetch: --stall-timeout 0 is a usage error" 2 $F "$B/files/x" --sha256 "$Z" --stall-timeout 0
expect_exit "fetch: truncated body is exit 3" 3 $F "$B/truncated" --sha256 "$Z" --retries 0
expect_exit "fetch: redirect loop is exit 3" 3 $F "$B/loop" --sha256 "$Z"
grep -q "too many redirects" "$T/err" && ok "  ...named as a redirect loop" || bad "loop message" "$(cat "$T/err")"
expect_exit "fetch: oversize body is exit 3" 3 $F "$B/big" --sha256 "$Z" --max-size 1048576
grep -q "larger than the 1048576-byte limit" "$T/err" && ok "  ...named as over the size cap" || bad "size message" "$(cat "$T/err")"
expect_exit "fetch: plain http refused without --allow-http" 3 "$WM" fetch "$B/files/other.wasm" --sha256 "$HELLO"
grep -q "allow-http" "$T/err" && ok "  ...saying how to allow it" || bad "http message" "$(cat "$T/err")"
expect_exit "fetch: redirect followed" 0 $F "$B/redirect/other.wasm" --sha256 "$HELLO"
expect_exit "fetch: bad sha256 is a usage error" 2 $F "$B/files/other.wasm" --sha256 XYZ
[ -z "$(find "$T/cache" -name '.part-*')" ] && ok "no partial downloads left in the cache" || bad "partials" "$(find "$T/cache" -name '.part-*')"
# a module given by URL in a suite
cat > "$T/remote.yaml" <<Y
name: remote
tests:
  - name: hello
    module: {url: "$B/files/other.wasm", sha256: "$HELLO"}
    expect: {stdout: "hello\n"}
  - name: bad
    module: {url: "$B/files/other.wasm", sha256: "$Z"}
Y
expect_exit "suite with a mismatching module URL: exit 3, nothing run" 3 "$WM" run "$T/remote.yaml" --allow-http --out "$T/o"
grep -q "remote.yaml:7:.*cannot fetch the module: .*sha256 mismatch" "$T/err" && ok "  ...reported at the module's line" || bad "remote module message" "$(cat "$T/err")"
sed -i '/name: bad/,$d' "$T/remote.yaml"
if have_node; then
	expect_exit "suite with a module by URL runs" 0 "$WM" run "$T/remote.yaml" --allow-http --runtime node --out "$T/o"
fi
# the official wasi-testsuite straight from an archive URL
tar -C "$VENDOR" -czf "$T/root/wts.tar.gz" wasi-testsuite/c/testsuite/wasm32-wasip1 wasi-testsuite/assemblyscript/testsuite/wasm32-wasip1
W=$(sha256sum "$T/root/wts.tar.gz" | cut -d' ' -f1)
if have_node; then
	"$WM" run "$B/files/wts.tar.gz#sha256=$W" --allow-http --runtime node --out "$T/w" >"$T/log" 2>&1
	n=$(rq "$T/w/results.json" 'len(r["results"])'); np=$(rq "$T/w/results.json" 'sum(x["outcome"]=="pass" for x in r["results"])')
	[ "$n" = 26 ] && [ "$np" = 24 ] && ok "wasi-testsuite run from its archive URL: 26 tests, 24 pass (as from disk)" || bad "archive run" "n=$n pass=$np $(tail -3 "$T/log")"
fi
expect_exit "suite URL without a checksum is refused" 2 "$WM" run "$B/files/wts.tar.gz" --allow-http --list
# unsafe archives are refused and leave nothing behind
python3 - "$T/root" <<'PY'
import io, sys, tarfile
root = sys.argv[1]
def mk(name, entries):
    with tarfile.open(root + "/" + name, "w:gz") as t:
        for n, kind, target in entries:
            i = tarfile.TarInfo(n)
            if kind == "file":
                data = b"x"; i.size = 1; t.addfile(i, io.BytesIO(data))
            elif kind == "sym":
                i.type = tarfile.SYMTYPE; i.linkname = target; t.addfile(i)
mk("dotdot.tar.gz", [("ok/manifest.json", "file", None), ("../../escaped", "file", None)])
mk("abs.tar.gz", [("/tmp/wasmatrix-abs-escape", "file", None)])
mk("symlink.tar.gz", [("s/link", "sym", "../../../../etc"), ("s/link/passwd2", "file", None)])
PY
for a in dotdot abs symlink; do
	h=$(sha256sum "$T/root/$a.tar.gz" | cut -d' ' -f1)
	expect_exit "unsafe archive ($a) refused with exit 3" 3 $F "$B/files/$a.tar.gz" --sha256 "$h" --unpack
done
[ ! -e "$T/cache/escaped" ] && [ ! -e /tmp/wasmatrix-abs-escape ] && [ ! -e "$T/cache/wasmatrix/unpacked/$h" ] && ok "nothing written outside, no unpacked entry kept" || bad "archive escape" "$(ls "$T/cache" "$T/cache/wasmatrix/unpacked" 2>&1)"
# publish: retries on 503, then succeeds; sends the token; 401 is a clear error
"$WM" run tests/data/templ.yaml --runners tests/data/runners-templ --out "$T/pr" >/dev/null 2>&1
WASMATRIX_TOKEN=s3cret expect_exit "publish succeeds after two 503s" 0 "$WM" publish "$T/pr/results.json" --url "$B/publish" --allow-http
python3 - "$T/publish.log" "$("$WM" --version | sed 's/^wasmatrix /wasmatrix\//')" <<'PY' >"$T/py" 2>&1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["attempt"] for r in rows] == [1, 2, 3], rows
assert all(r["auth"] == "Bearer s3cret" and r["type"] == "application/json" and r["schema"] == "wasmatrix-results" for r in rows), rows
assert all(r["agent"] == sys.argv[2] for r in rows), (sys.argv[2], rows)
PY
[ $? = 0 ] && ok "  ...the server got 3 attempts with the bearer token, the results JSON and the user agent of --version" || bad "publish log" "$(cat "$T/py" "$T/publish.log")"
expect_exit "publish: 401 is exit 3, not retried" 3 "$WM" publish "$T/pr/results.json" --url "$B/publish-401" --allow-http
grep -q "rejected with HTTP 401 (not retried" "$T/err" && ok "  ...with a clear message" || bad "401 message" "$(cat "$T/err")"
expect_exit "publish: not a results file is exit 2" 2 "$WM" publish "$WM_ROOT/README.md" --url "$B/publish" --allow-http
# publish reads the file like every other command: broken JSON or a broken results
# file with the right schema string is not sent
n0=$(wc -l < "$T/publish.log")
head -c 300 "$T/pr/results.json" > "$T/cut.json"
expect_exit "publish: a truncated results file is exit 2" 2 "$WM" publish "$T/cut.json" --url "$B/publish" --allow-http
grep -q "^$T/cut.json:[0-9]*:[0-9]*: error: invalid JSON" "$T/err" && ok "  ...with file:line:col" || bad "publish truncated" "$(cat "$T/err")"
python3 - "$T/pr/results.json" "$T/broken.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["results"][0]["outcome"] = "great"
del r["runtimes"]
json.dump(r, open(sys.argv[2], "w"), indent=1)
PY
expect_exit "publish: a results file that does not validate is exit 2" 2 "$WM" publish "$T/broken.json" --url "$B/publish" --allow-http
grep -q "^$T/broken.json:[0-9]*:[0-9]*: error: " "$T/err" && ok "  ...with the reader's errors" || bad "publish invalid" "$(cat "$T/err")"
[ "$(wc -l < "$T/publish.log")" = "$n0" ] && ok "  ...and nothing reached the server" || bad "publish sent" "$(tail -2 "$T/publish.log")"
