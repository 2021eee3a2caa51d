# The sandbox around a run: nothing outside the run's own copies is ever touched. Guest
# paths, fixture trees, file expectations and suites that try to reach host files, built
# here as a hostile user would, on real runtimes. A host file $T/secret/key.txt holds a
# token that must never show up in any output. See docs/suite-format.md, "Paths and the
# sandbox".
. "$(dirname "$0")/lib.sh"
avail=$("$WM" runtimes --json | python3 -c 'import json,sys; print(" ".join(r["name"] for r in json.load(sys.stdin) if r["available"]))')
has() { case " $avail " in *" $1 "*) return 0;; esac; return 1; }
TOKEN="TOPSECRET-$$-$RANDOM"
mkdir -p "$T/secret" "$T/s"
printf '%s\n' "$TOKEN" > "$T/secret/key.txt"
cp "$WM_ROOT/fixtures/selftest/fsop.wasm" "$WM_ROOT/fixtures/selftest/listdir.wasm" "$WM_ROOT/fixtures/selftest/spin.wasm" "$T/s/"
UP=$(printf '../%.0s' $(seq 1 30))	# from any copy to the host's root
UPSECRET="${UP%/}$T/secret"		# a relative link from any copy to the secret
# leaked FILES...: the token appears in one of them
leaked() { grep -rqs -- "$TOKEN" "$@"; }
# err_at NAME FILE LINE:COL TEXT: the last command's stderr ($T/err) has FILE:LINE:COL: error: ...TEXT
err_at() {
	if grep -q -- "^$2:$3: error: .*$4" "$T/err"; then ok "$1"; else bad "$1" "$(grep -m3 'error' "$T/err")"; fi
}

# ---------------------------------------------------------------- guest paths
# wasmi preopens the guest path itself (same-path): '..' in it was a host directory
cat > "$T/s/up.yaml" <<Y
name: up
tests:
  - name: up
    module: fsop.wasm
    args: [cat, ${UPSECRET#../}/key.txt]
    dirs: [{guest: ${UPSECRET#../}}]
Y
expect_exit "guest path with '..' is an input error" 2 "$WM" run "$T/s/up.yaml" --out "$T/o-up"
err_at "  ...at its file:line:col" "$T/s/up.yaml" 6:20 "guest path '.*' has a '..' component"
! leaked "$T/out" "$T/err" "$T/o-up" && ok "  ...and no runtime read the host file" || bad "guest path escape" "token leaked"
expect_exit "check --dir with '..' in the guest path is exit 2" 2 "$WM" check --dir "$T/s:../../../.." "$T/s/listdir.wasm" -- ../../../..
grep -q "guest path has a '..' component" "$T/err" && ok "  ...and says why" || bad "check --dir message" "$(cat "$T/err")"
expect_exit "check --dir with '..' inside the guest path is exit 2" 2 "$WM" check --dir "$T/s:/a/../.." "$T/s/listdir.wasm"
expect_exit "check --dir with an empty guest path is exit 2" 2 "$WM" check --dir "$T/s:" "$T/s/listdir.wasm"

# legitimate same-path preopens still work: nested, and through an in-tree link
mkdir -p "$T/s/fix/sub"
echo top > "$T/s/fix/top.txt"
echo inner > "$T/s/fix/sub/f.txt"
ln -s sub/f.txt "$T/s/fix/l"
ln -s ../top.txt "$T/s/fix/sub/up"
ln -s sub "$T/s/fix/lsub"
cat > "$T/s/same.yaml" <<'Y'
name: same
tests:
  - name: nested
    module: fsop.wasm
    args: [cat, data/l, cat, data/sub/up, write, data/lsub/new/x.txt, hi, ls, data/sub]
    dirs: [{host: fix, guest: data}, {guest: data/lsub/new}]
    expect:
      stdout: "cat data/l: inner\n\ncat data/sub/up: top\n\nwrite data/lsub/new/x.txt: ok\nls data/sub: f.txt,new,up\n"
      files:
        - {path: data/sub/new/x.txt, content: hi}
        - {path: data/lsub/new/x.txt, content: hi}
        - {path: data/l, content: "inner\n"}
Y
if has wasmi; then
	"$WM" run "$T/s/same.yaml" --runtime wasmi --out "$T/o-same" >/dev/null 2>&1
	r=$(outcome "$T/o-same/results.json" same/nested wasmi)
	[ "$r" = pass ] && ok "same-path (wasmi): nested preopens, in-tree links and '..' inside still work" || bad "same-path legit" "$r: $(rq "$T/o-same/results.json" 'r["results"][0]["reason"]')"
	# check: a legitimate relative guest path on a same-path and a map runtime
	if has wasmtime; then
		expect_exit "check --dir HOST:data on wasmi and wasmtime is portable" 0 "$WM" check --runtime wasmi,wasmtime --dir "$T/s/fix:data" "$T/s/fsop.wasm" -- cat data/l ls data
	else
		skip "check --dir legit" "wasmtime is not installed"
	fi
else
	skip "same-path preopens" "wasmi is not installed (make runtimes)"
fi

# ---------------------------------------------------------------- the judge
# the guest makes a link out of its copy; file expectations through it must not read the host
cat > "$T/s/judge.yaml" <<Y
name: judge
tests:
  - name: content
    module: fsop.wasm
    args: [symlink, "$UPSECRET", /s/d]
    dirs: [{guest: /s}]
    expect:
      files:
        - {path: /s/d/key.txt, content: "x"}
  - name: exists
    module: fsop.wasm
    args: [symlink, "$UPSECRET", /s/d]
    dirs: [{guest: /s}]
    expect:
      files:
        - {path: /s/d/key.txt, exists: false}
  - name: link-itself
    module: fsop.wasm
    args: [symlink, "$UPSECRET/key.txt", /s/k, write, /s/f.txt, v, symlink, f.txt, /s/in]
    dirs: [{guest: /s}]
    expect:
      files:
        - {path: /s/k, exists: true}
        - {path: /s/in, content: "v"}
        - {path: /s/k, content: "x"}
Y
cat > "$T/s/names.yaml" <<Y
name: names
tests:
  - name: dotdot-name
    description: "'..cfg' is a name, not '..'; '..' that stays inside is a path"
    module: fsop.wasm
    args: [write, /s/..cfg, v, write, /s/f.txt, w]
    dirs: [{guest: /s}]
    expect:
      files:
        - {path: /s/..cfg, content: "v"}
        - {path: /s/sub/../f.txt, exists: false}
        - {path: /s/./f.txt, content: "w"}
Y
mkdir -p "$T/victim" && echo keep > "$T/victim/keep.txt"
if has wasmtime; then
	"$WM" run "$T/s/judge.yaml" --runtime wasmtime --out "$T/o-judge" --keep >"$T/judge.out" 2>&1
	o() { outcome "$T/o-judge/results.json" "judge/$1" wasmtime; }
	why() { rq "$T/o-judge/results.json" "[x['reason'] for x in r['results'] if x['test'] == 'judge/$1'][0]"; }
	[ "$(o content)" = fail ] && [[ "$(why content)" == *"behind a link that leaves the preopened directory"* ]] && ok "judge: content through a guest's link out of the copy is a failure, not a read" || bad "judge content" "$(o content): $(why content)"
	[ "$(o exists)" = fail ] && [[ "$(why exists)" == *"leaves the preopened directory"* ]] && ok "judge: 'exists: false' through that link is not decided by the host" || bad "judge exists" "$(o exists): $(why exists)"
	[[ "$(why link-itself)" == "file /s/k is a link that leaves the preopened directory (not followed)" ]] && ok "judge: a link out is seen as a link (exists), never read; an in-tree link is read" || bad "judge link itself" "$(why link-itself)"
	"$WM" run "$T/s/names.yaml" --runtime wasmtime --out "$T/o-names" >/dev/null 2>&1
	r=$(outcome "$T/o-names/results.json" names/dotdot-name wasmtime)
	[ "$r" = pass ] && ok "judge: '..cfg' is a name; '..' that stays inside is a path" || bad "judge dotdot-name" "$r"
	! leaked "$T/o-judge" "$T/judge.out" && ok "judge: the host file is in no result, report or diff" || bad "judge leak" "$(grep -rl -- "$TOKEN" "$T/o-judge" "$T/judge.out")"
	[ -f "$T/secret/key.txt" ] && ok "judge: --keep and cleanup leave the host file alone" || bad "judge cleanup" "secret removed"
	for k in $(rq "$T/o-judge/results.json" '" ".join(x["kept"] or "" for x in r["results"])'); do rm -rf "$k"; done
else
	skip "judge through links" "wasmtime is not installed (make runtimes)"
fi
# '/sandbox/..cfg' was refused at load ("/..\0" matched any "/.."): a name, not a climb
"$WM" run --list "$T/s/names.yaml" >/dev/null 2>"$T/err" && ok "load: '/s/..cfg' is inside /s" || bad "load ..cfg" "$(cat "$T/err")"

# ---------------------------------------------------------------- fixture trees
mk() { rm -rf "$T/s/$1"; mkdir -p "$T/s/$1"; echo data > "$T/s/$1/f.txt"; }
mk loop; ln -s b "$T/s/loop/a"; ln -s a "$T/s/loop/b"
mk self; ln -s . "$T/s/self/b"; ln -s "$(printf 'b/%.0s' $(seq 1 30))$UPSECRET" "$T/s/self/d"
mk abs; ln -s "$T/secret" "$T/s/abs/d"
mk dangling; ln -s missing "$T/s/dangling/x"
mk deepdangle; mkdir "$T/s/deepdangle/sub"; ln -s "sub/missing/../../$UPSECRET" "$T/s/deepdangle/x"
mk fifo; mkfifo "$T/s/fifo/p"
mk sock; python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/s/sock/s"
mk textok; mkdir "$T/s/textok/sub"; ln -s "sub/../$UPSECRET" "$T/s/textok/x"
cat > "$T/s/fix.yaml" <<'Y'
name: fix
tests:
  - {name: loop, module: listdir.wasm, dirs: [{host: loop, guest: /s}]}
  - {name: self, module: listdir.wasm, dirs: [{host: self, guest: /s}]}
  - {name: abs, module: listdir.wasm, dirs: [{host: abs, guest: /s}]}
  - {name: dangling, module: listdir.wasm, dirs: [{host: dangling, guest: /s}]}
  - {name: deepdangle, module: listdir.wasm, dirs: [{host: deepdangle, guest: /s}]}
  - {name: fifo, module: listdir.wasm, dirs: [{host: fifo, guest: /s}]}
  - {name: sock, module: listdir.wasm, dirs: [{host: sock, guest: /s}]}
  - {name: textok, module: listdir.wasm, dirs: [{host: textok, guest: /s}]}
Y
expect_exit "hostile fixture trees are input errors" 2 "$WM" run --list "$T/s/fix.yaml"
F=$T/s/fix.yaml
err_at "  link loop" "$F" 3:[0-9]* "fixture tree 'loop' refused: [ab]: symlink to '[ab]' loops"
err_at "  b -> . and d -> b/b/.../../../host: resolved, it leaves" "$F" 4:[0-9]* "fixture tree 'self' refused: d: symlink to .* leaves the fixture tree"
err_at "  absolute link" "$F" 5:[0-9]* "fixture tree 'abs' refused: d: symlink to '$T/secret' leaves the fixture tree"
err_at "  dangling link" "$F" 6:[0-9]* "x: symlink to 'missing' does not resolve"
err_at "  dangling link whose text climbs out" "$F" 7:[0-9]* "x: symlink to .* does not resolve"
err_at "  FIFO" "$F" 8:[0-9]* "p: not a regular file, directory or symlink (a FIFO)"
err_at "  socket" "$F" 9:[0-9]* "s: not a regular file, directory or symlink (a socket)"
err_at "  'sub/../<up>' resolved through the tree leaves it" "$F" 10:[0-9]* "x: symlink to .* leaves the fixture tree"
# legitimate links: to a file, to a parent inside the tree, to the root itself
mk good; mkdir "$T/s/good/sub"; ln -s f.txt "$T/s/good/l"; ln -s ../f.txt "$T/s/good/sub/up"; ln -s .. "$T/s/good/sub/root"; ln -s . "$T/s/good/self"
cat > "$T/s/good.yaml" <<'Y'
name: good
tests:
  - name: links
    module: fsop.wasm
    args: [cat, /s/l, cat, /s/sub/up, cat, /s/sub/root/self/f.txt]
    dirs: [{host: good, guest: /s}]
    expect:
      stdout: "cat /s/l: data\n\ncat /s/sub/up: data\n\ncat /s/sub/root/self/f.txt: data\n\n"
      files:
        - {path: /s/sub/root/l, content: "data\n"}
Y
if has wasmtime; then
	"$WM" run "$T/s/good.yaml" --runtime wasmtime --out "$T/o-good" >/dev/null 2>&1
	r=$(outcome "$T/o-good/results.json" good/links wasmtime)
	[ "$r" = pass ] && ok "fixture links that resolve inside the tree are copied and work" || bad "good links" "$r: $(rq "$T/o-good/results.json" 'r["results"][0]["reason"]')"
else
	"$WM" run --list "$T/s/good.yaml" >/dev/null 2>"$T/err" && ok "fixture links that resolve inside the tree are accepted" || bad "good links" "$(cat "$T/err")"
fi
# checked again at copy: a fixture changed after loading (while a first test runs), with
# a link whose text stays inside but whose resolution does not
mk late; ln -s . "$T/s/late/b"
cat > "$T/s/late.yaml" <<'Y'
name: late
tests:
  - {name: a-spin, module: spin.wasm, timeout: 2, expect: {exit: 0}}
  - {name: b-copy, module: listdir.wasm, args: [/s], dirs: [{host: late, guest: /s}]}
Y
LRT=node; has wasmtime && LRT=wasmtime
"$WM" run "$T/s/late.yaml" --runtime $LRT --jobs 1 --out "$T/o-late" >/dev/null 2>&1 &
pid=$!
sleep 0.8
ln -s "$(printf 'b/%.0s' $(seq 1 30))$UPSECRET" "$T/s/late/evil"
wait $pid
r=$(rq "$T/o-late/results.json" '[x["outcome"] + ": " + (x["reason"] or "") for x in r["results"] if x["test"] == "late/b-copy"][0]')
[[ "$r" == "error: fixture copy failed: evil: symlink to '"*"' leaves the fixture tree" ]] && ok "a fixture made hostile after loading is refused when copied" || bad "copy-time check" "$r"
! leaked "$T/o-late" && ok "  ...and nothing of the host was listed" || bad "copy-time leak" "token leaked"

# ---------------------------------------------------------------- the suite's tree
mkdir -p "$T/st/a" "$T/st/mods"
cp "$WM_ROOT/fixtures/selftest/hello.wasm" "$T/st/mods/"
mkdir -p "$T/st/a/clean" && echo c > "$T/st/a/clean/c.txt"
printf 'tests:\n  - name: t\n    module: ../mods/hello.wasm\n' > "$T/st/a/up.yaml"
expect_exit "a module outside the suite's directory is refused" 2 "$WM" run --list "$T/st/a/up.yaml"
err_at "  ...at its file:line:col" "$T/st/a/up.yaml" 3:13 "module '../mods/hello.wasm' resolves to '$T/st/mods/hello.wasm', outside the suite's tree ($T/st/a)"
: > "$T/st/.wasmatrix-suite-root"
expect_exit "a $(basename "$T")/st/.wasmatrix-suite-root marker widens the tree" 0 "$WM" run --list "$T/st/a/up.yaml"
ln -s "$T/s/fsop.wasm" "$T/st/a/ln.wasm"
printf 'tests:\n  - name: t\n    module: ln.wasm\n' > "$T/st/a/ln.yaml"
expect_exit "a module linked from outside the tree is refused" 2 "$WM" run --list "$T/st/a/ln.yaml"
err_at "  ...resolved, not read" "$T/st/a/ln.yaml" 3:13 "resolves to '$T/s/fsop.wasm', outside the suite's tree"
printf 'tests:\n  - name: t\n    module: ../mods/hello.wasm\n    dirs: [{host: %s, guest: /s}]\n    stdin: {file: %s}\n' "$T/st/a/clean" "$T/st/a/clean/c.txt" > "$T/st/a/abs.yaml"
expect_exit "absolute fixture and stdin paths are refused, even inside the tree" 2 "$WM" run --list "$T/st/a/abs.yaml"
err_at "  fixture" "$T/st/a/abs.yaml" 4:19 "fixture directory '$T/st/a/clean' is an absolute path"
err_at "  stdin" "$T/st/a/abs.yaml" 5:19 "stdin file '$T/st/a/clean/c.txt' is an absolute path"
cp "$WM_ROOT/fixtures/selftest/echo.wasm" "$T/st/mods/"
printf 'tests:\n  - name: t\n    module: ../mods/echo.wasm\n    stdin: {file: ../../secret/key.txt}\n' > "$T/st/a/stdin.yaml"
expect_exit "a stdin file outside the tree is refused" 2 "$WM" run "$T/st/a/stdin.yaml" --runtime node --out "$T/o-stdin"
! leaked "$T/out" "$T/err" "$T/o-stdin" && ok "  ...and not given to a guest" || bad "stdin leak" "token leaked"

# ---------------------------------------------------------------- wasi-testsuite directories
mkdir -p "$T/w"
echo '{"name": "w"}' > "$T/w/manifest.json"
cp "$WM_ROOT/fixtures/selftest/hello.wasm" "$T/w/a.wasm"
ln -s "$T/secret/key.txt" "$T/w/b.wasm"
ln -s "$T/secret/key.txt" "$T/w/a.json"
expect_exit "wasi-testsuite: a module or spec linked to a host file is refused" 2 "$WM" run --list "$T/w"
grep -q "^$T/w/b.wasm: error: 'b.wasm' resolves to '$T/secret/key.txt', outside the suite's tree" "$T/err" && grep -q "^$T/w/a.json: error: 'a.json' resolves to" "$T/err" && ok "  ...both named" || bad "wts links" "$(cat "$T/err")"
! leaked "$T/out" "$T/err" && ok "  ...and the host file is not quoted in the messages" || bad "wts spec leak" "token leaked into messages"
