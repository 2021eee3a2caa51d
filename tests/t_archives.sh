# Remote suite archives and the download cache, against tests/netserver.py on 127.0.0.1:
# every hostile archive of tests/bad-archives (links leaving the tree however they are
# built, special files, hard links, size and member caps, formats other than tar and zip)
# is refused and leaves nothing behind; the unpacked tree is checked against its archive
# before each use; partial downloads are swept; the cache is private to its user.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
mkdir -p "$T/root" "$T/cache"
export XDG_CACHE_HOME=$T/cache
C=$T/cache/wasmatrix
python3 tests/bad-archives/make.py "$T/root"
cp fixtures/selftest/hello.wasm "$T/root/hello.wasm"
HELLO=$(sha256sum "$T/root/hello.wasm" | cut -d' ' -f1)
python3 tests/netserver.py --root "$T/root" --log "$T/publish.log" > "$T/port" 2>"$T/server.err" &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
B=http://127.0.0.1:$(cat "$T/port")
F="$WM fetch --allow-http"
sha() { sha256sum "$T/root/$1" | cut -d' ' -f1; }
while IFS=$'\t' read -r a want msg extra; do
	case "$a" in '#'*|'') continue;; esac
	h=$(sha "$a")
	# shellcheck disable=SC2086
	$F "$B/files/$a" --sha256 "$h" --unpack ${extra:-} >"$T/out" 2>"$T/err"; rc=$?
	if [ "$want" = 0 ]; then
		[ $rc = 0 ] && [ -d "$(cat "$T/out")" ] && ok "archive $a unpacks" || bad "archive $a" "rc=$rc $(cat "$T/err")"
	else
		left=$(ls -A "$C/unpacked")
		[ $rc = "$want" ] && grep -qF -- "$msg" "$T/err" && [ -z "$left" ] && ok "archive $a refused (exit $want), nothing left in the cache" ||
			bad "archive $a" "rc=$rc left=[$left] $(head -c 400 "$T/err")"
	fi
done < tests/bad-archives/EXPECT
[ ! -e /tmp/wasmatrix-abs-escape ] && [ ! -e "$T/escaped" ] && [ ! -e "$T/cache/escaped" ] && ok "no archive wrote outside its directory" || bad "escape" "$(ls /tmp/wasmatrix-abs-escape "$T" 2>&1)"
# the good archive: links that stay inside work, a hard link is the same file
G=$($F "$B/files/good.tar.gz" --sha256 "$(sha good.tar.gz)" --unpack 2>/dev/null)
[ "$(cat "$G/t/loopy")" = g ] && [ "$(stat -c %i "$G/t/h")" = "$(stat -c %i "$G/t/a/f")" ] && ok "links inside the tree (through '.', '..', dangling) and hard links are kept" || bad "good archive" "$(ls -laR "$G" | head -20)"
# a cached tree that changed is noticed and unpacked again from the verified archive
tamper() {
	local what=$1; shift
	"$@"
	$F "$B/files/good.tar.gz" --sha256 "$(sha good.tar.gz)" --unpack >"$T/out" 2>"$T/err"; local rc=$?
	[ $rc = 0 ] && grep -q "does not match its archive" "$T/err" && [ "$(cat "$G/t/a/f")" = data ] && [ -L "$G/t/a/up" ] &&
		[ "$(readlink "$G/t/a/up")" = ../b/g ] && [ ! -e "$G/t/extra" ] && [ -f "$G/t/b/g" ] && [ ! -L "$G/t/b/g" ] &&
		ok "cached tree with $what: noticed, unpacked again" || bad "tamper $what" "rc=$rc $(cat "$T/err")"
}
tamper "a file changed" sh -c "echo evil > '$G/t/a/f'"
tamper "an extra file" sh -c "echo x > '$G/t/extra'"
tamper "a file replaced by a link out" sh -c "rm '$G/t/b/g'; ln -s /etc/hostname '$G/t/b/g'"
tamper "a link retargeted" sh -c "rm '$G/t/a/up'; ln -s ../../../../../etc '$G/t/a/up'"
tamper "an extra link out" sh -c "ln -s / '$G/t/root'"
$F "$B/files/good.tar.gz" --sha256 "$(sha good.tar.gz)" --unpack >/dev/null 2>"$T/err"
[ ! -s "$T/err" ] && ok "an intact cached tree is used as it is (no message)" || bad "intact tree" "$(cat "$T/err")"
# the cache is private: 0700 directories, refused when others can write to it or own it
m=$(stat -c %a "$C" "$C/sha256" "$C/unpacked" | sort -u)
[ "$m" = 700 ] && ok "cache directories are created 0700" || bad "cache modes" "$m"
mkdir -p "$T/c2/wasmatrix" && chmod 777 "$T/c2/wasmatrix"
XDG_CACHE_HOME=$T/c2 expect_exit "a cache directory writable by others is refused (exit 3)" 3 $F "$B/files/hello.wasm" --sha256 "$HELLO"
grep -q "is writable by others (mode 777): refusing to use it" "$T/err" && [ -z "$(ls -A "$T/c2/wasmatrix")" ] && ok "  ...saying why, and nothing is written in it" || bad "777 cache" "$(cat "$T/err")"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir -p "$T/c3/wasmatrix" && chown 12345 "$T/c3/wasmatrix" && chmod 755 "$T/c3/wasmatrix"
	XDG_CACHE_HOME=$T/c3 expect_exit "a cache directory of another user is refused (exit 3)" 3 $F "$B/files/hello.wasm" --sha256 "$HELLO"
	grep -q "belongs to another user (uid 12345)" "$T/err" && ok "  ...saying whose it is" || bad "foreign cache" "$(cat "$T/err")"
	# no HOME, no XDG_CACHE_HOME, no passwd entry: no cache, and no /tmp fallback
	mkdir -p "$T/nobody" && chmod 777 "$T/nobody" && chmod 711 "$T"
	(cd "$T/nobody" && env -u HOME -u XDG_CACHE_HOME setpriv --reuid=54321 --regid=54321 --clear-groups \
		$F "$B/files/hello.wasm" --sha256 "$HELLO") >"$T/out" 2>"$T/err"; rc=$?
	chmod 700 "$T"
	[ $rc = 3 ] && grep -q "no cache directory: set XDG_CACHE_HOME or HOME" "$T/err" && [ ! -e /tmp/.cache/wasmatrix/sha256/$HELLO ] &&
		ok "no HOME and no passwd entry: exit 3, no fallback to /tmp" || bad "no HOME" "rc=$rc $(cat "$T/err")"
else
	skip "foreign cache owner and no-HOME cases" "needs root and setpriv to act as another user"
fi
# a relative XDG_CACHE_HOME is ignored (XDG spec): $HOME/.cache is used
mkdir -p "$T/home"
(cd "$T" && HOME=$T/home XDG_CACHE_HOME=relative $F "$B/files/hello.wasm" --sha256 "$HELLO") >"$T/out" 2>"$T/err"
[ "$(cat "$T/out")" = "$T/home/.cache/wasmatrix/sha256/$HELLO" ] && [ ! -e "$T/relative" ] && ok "a relative XDG_CACHE_HOME is ignored for \$HOME/.cache" || bad "relative XDG" "$(cat "$T/out" "$T/err")"
# partial downloads: a killed fetch leaves one; the next fetch sweeps it, but not one a
# live process holds
$F "$B/stall" --sha256 "$(printf '0%.0s' $(seq 64))" --stall-timeout 60 --retries 0 >/dev/null 2>&1 &
P=$!
for _ in $(seq 50); do [ -n "$(ls -A "$C/sha256" | grep '^\.part-')" ] && break; sleep 0.1; done
kill -9 $P; wait $P 2>/dev/null
n1=$(ls -A "$C/sha256" | grep -c '^\.part-')
mkdir -p "$C/unpacked/.part-stale/sub" && echo x > "$C/unpacked/.part-stale/sub/f"
held=
if command -v flock >/dev/null; then
	: > "$C/sha256/.part-held"
	flock "$C/sha256/.part-held" sleep 3 & held=$!
	sleep 0.3
fi
$F "$B/files/hello.wasm" --sha256 "$HELLO" >/dev/null 2>&1
left=$(ls -A "$C/sha256" "$C/unpacked" | grep '^\.part-')
if [ -n "$held" ]; then
	[ "$n1" = 1 ] && [ "$left" = .part-held ] && ok "a killed download's partial is swept by the next fetch; a held one is kept" || bad "sweep" "killed=$n1 left=[$left]"
	kill $held 2>/dev/null; wait $held 2>/dev/null
else
	[ "$n1" = 1 ] && [ -z "$left" ] && ok "a killed download's partial is swept by the next fetch" || bad "sweep" "killed=$n1 left=[$left]"
	skip "held partial kept" "flock(1) is not installed"
fi
# a suite run straight from an archive URL: the bundled calibration suite...
mkdir -p "$T/pack/suites" "$T/pack/fixtures"
cp -r suites/calibration "$T/pack/suites/" && cp -r fixtures/calibration "$T/pack/fixtures/"
tar -C "$T/pack" -czf "$T/root/cal.tar.gz" suites fixtures
"$WM" run "$B/files/cal.tar.gz#sha256=$(sha cal.tar.gz)" --allow-http --list >"$T/out" 2>"$T/err"; rc=$?
n=$("$WM" run suites/calibration --list 2>/dev/null | grep -c '^test calibration/')
m=$(grep -c '^test calibration/' "$T/out")
[ $rc = 0 ] && [ "$n" -gt 0 ] && [ "$n" = "$m" ] && ok "a suite archive by URL lists the same $n tests as from disk" || bad "archive suite" "rc=$rc $n vs $m $(head -3 "$T/err")"
# ...its suites name files anywhere in the archive but never above it, even with a
# suite-root marker and a module waiting above the cache (the archive's root is the tree)
mkdir -p "$T/esc/s"
printf 'name: esc\ntests:\n  - name: up\n    module: ../../../../../../planted.wasm\n' > "$T/esc/s/suite.yaml"
tar -C "$T/esc" -czf "$T/root/esc.tar.gz" s
cp fixtures/selftest/hello.wasm "$T/planted.wasm"; : > "$T/.wasmatrix-suite-root"
"$WM" run "$B/files/esc.tar.gz#sha256=$(sha esc.tar.gz)" --allow-http --list >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "outside the suite's tree" "$T/err" && ok "an archive's suite cannot name a file above the archive (exit 2)" || bad "archive tree bound" "rc=$rc $(head -3 "$T/err")"
rm -f "$T/.wasmatrix-suite-root"
# ...and one with a link out of its tree is refused before anything runs
"$WM" run "$B/files/up-link.tar.gz#sha256=$(sha up-link.tar.gz)" --allow-http --list >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q "refusing symlink 'up'" "$T/err" && ok "run refuses a suite archive with a link out of its tree (exit 3)" || bad "run up-link" "rc=$rc $(head -3 "$T/err")"
