# The bad-input corpus: every file is rejected with exit 2, nothing runs, and the
# first error is reported at the right file:line:col with the right message.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
RUNNERS=$WM_ROOT/runners
n=0
while IFS=$'\t' read -r file pos msg; do
	case "$file" in '#'*|'') continue;; esac
	n=$((n+1))
	"$WM" run --list --color never --runners "$RUNNERS" "tests/bad/$file" >"$T/out" 2>"$T/err"; rc=$?
	first=$(grep -m1 ': error: ' "$T/err")
	if [ $rc = 2 ] && [[ "$first" == "tests/bad/$file:$pos: error: "*"$msg"* ]] && ! grep -q '^test ' "$T/out"; then
		ok "bad suite $file"
	else
		bad "bad suite $file" "exit $rc, want 2 and tests/bad/$file:$pos: error: ...$msg; got: $first"
	fi
done < tests/bad/EXPECT
while IFS=$'\t' read -r dir file pos msg; do
	case "$dir" in '#'*|'') continue;; esac
	n=$((n+1))
	"$WM" run --list --color never --runners "$RUNNERS" "tests/bad-wts/$dir" >"$T/out" 2>"$T/err"; rc=$?
	first=$(grep -m1 ': error: ' "$T/err")
	if [ $rc = 2 ] && [[ "$first" == "tests/bad-wts/$dir/$file:$pos"*": error: "*"$msg"* ]]; then
		ok "bad wasi-testsuite spec $dir"
	else
		bad "bad wasi-testsuite spec $dir" "exit $rc; got: $first"
	fi
done < tests/bad-wts/EXPECT
while IFS=$'\t' read -r dir pos msg; do
	case "$dir" in '#'*|'') continue;; esac
	n=$((n+1))
	"$WM" runtimes --runners "tests/bad-runners/$dir" >"$T/out" 2>"$T/err"; rc=$?
	first=$(grep -m1 ': error: ' "$T/err")
	if [ $rc = 2 ] && [[ "$first" == "tests/bad-runners/$dir/x.yaml:$pos: error: "*"$msg"* ]]; then
		ok "bad adapter $dir"
	else
		bad "bad adapter $dir" "exit $rc; got: $first"
	fi
done < tests/bad-runners/EXPECT
[ $n -ge 30 ] && ok "bad-input corpus has $n files (>= 30)" || bad "corpus size" "$n"
# every error is reported, not only the first; the source line and a caret are shown
cat > "$T/multi.yaml" <<'Y'
tests:
  - name: a
    modul: x
    expect: {exit: 999, stdout: {regex: '('}}
Y
"$WM" run --list --color never --runners "$RUNNERS" "$T/multi.yaml" >/dev/null 2>"$T/err"; rc=$?
c=$(grep -c ': error: ' "$T/err")
[ $rc = 2 ] && [ "$c" -ge 4 ] && grep -q '| *\^' "$T/err" && ok "all errors collected, with caret" || bad "all errors collected" "rc=$rc count=$c: $(cat "$T/err")"
# usage errors exit 2 too
expect_exit "unknown option" 2 "$WM" run --bogus
expect_exit "unknown command" 2 "$WM" rnu
expect_exit "bad --jobs" 2 "$WM" run --jobs 0
expect_exit "unknown runtime" 2 "$WM" run --runtime nodee --list "$WM_ROOT/tests/data/engine.yaml"
grep -q "did you mean 'node'" "$T/err" && ok "unknown runtime suggests the closest" || bad "runtime suggestion" "$(cat "$T/err")"
expect_exit "missing suite path" 2 "$WM" run --list /no/such/suite.yaml
expect_exit "several missing suites: each reported, exit 2" 2 "$WM" run --list /no/such/a /no/such/b
[ "$(grep -c 'no such suite' "$T/err")" = 2 ] && ok "  ...both named" || bad "missing suites" "$(cat "$T/err")"
# a suite name used twice is one error, naming the first suite with it
expect_exit "a suite name used twice" 2 "$WM" run --list --runners "$RUNNERS" "$WM_ROOT/tests/data/engine.yaml" "$WM_ROOT/tests/data/engine.yaml" "$WM_ROOT/tests/data/engine.yaml"
[ "$(grep -c "suite name 'engine' is also used by" "$T/err")" = 2 ] && ok "  ...reported once per extra suite" || bad "suite name clash" "$(cat "$T/err")"
# NUL is refused where a string is a C string (the corpus above) but is an ordinary byte in
# stdin and in output expectations: kept, compared past it, and read back from results.json
if have_node; then
	cp "$WM_ROOT/fixtures/selftest/echo.wasm" "$T/echo.wasm"	# suites name files in their own tree
	cat > "$T/nul.yaml" <<Y
name: nulbytes
defaults: {module: echo.wasm, stdin: "a\\0b"}
tests:
  - name: through
    expect: {stdout: "arg[0]=echo.wasm\\nstdin:a\\0b"}
  - name: compared-past-the-nul
    expect: {stdout: {exact: "arg[0]=echo.wasm\\nstdin:a\\0c"}}
  - name: contains
    expect: {stdout: {contains: "\\0b"}}
Y
	"$WM" run "$T/nul.yaml" --runtime node --out "$T/nul" >/dev/null 2>"$T/err"
	[ "$(outcome "$T/nul/results.json" nulbytes/through node) $(outcome "$T/nul/results.json" nulbytes/compared-past-the-nul node) $(outcome "$T/nul/results.json" nulbytes/contains node)" = "pass fail pass" ] \
		&& ok "NUL bytes in stdin and output expectations are kept and compared" || bad "NUL bytes" "$(cat "$T/err") $(rq "$T/nul/results.json" '[x["outcome"] for x in r["results"]]' 2>&1)"
	expect_exit "a results file with NUL bytes in captured output reads back" 0 "$WM" report "$T/nul/results.json" --format md -o "$T/nul.md"
else
	skip "NUL bytes in stdin and expectations" "node is not installed"
fi
# wasi-testsuite: the legacy keys and the operations form cannot be mixed (upstream: "Cannot
# mix configuration styles"): an error at the legacy key; a run step's env reaches the guest
if have_node; then
	mkdir -p "$T/wtsenv"
	cp "$WM_ROOT/fixtures/selftest/echo.wasm" "$T/wtsenv/t.wasm"
	echo '{"name": "env"}' >"$T/wtsenv/manifest.json"
	cat >"$T/wtsenv/t.json" <<'J'
{"env": {"A": "1", "B": "b"},
 "operations": [{"type": "run", "env": {"A": "2"}}, {"type": "wait", "exit_code": 0}]}
J
	"$WM" run "$T/wtsenv" --runtime node --out "$T/wtsenv-o" >/dev/null 2>"$T/err"; rc=$?
	[ $rc = 2 ] && grep -q "t.json:1:9: error: 'env' is a key of the legacy form" "$T/err" \
		&& ok "wasi-testsuite: legacy env mixed with operations is a file:line:col error" || bad "wts mix" "rc=$rc $(cat "$T/err")"
	cat >"$T/wtsenv/t.json" <<'J'
{"operations": [{"type": "run", "env": {"A": "2", "B": "b"}},
                {"type": "read", "payload": "arg[0]=t.wasm\nenv=A=2\nenv=B=b\nstdin:"},
                {"type": "wait", "exit_code": 0}]}
J
	"$WM" run "$T/wtsenv" --runtime node --out "$T/wtsenv-o" >/dev/null 2>"$T/err"
	[ "$(outcome "$T/wtsenv-o/results.json" wtsenv/t node)" = pass ] \
		&& [ "$(rq "$T/wtsenv-o/results.json" 'r["results"][0]["command"].count("--env=A=")')" = 1 ] && ok "wasi-testsuite: a run step's env reaches the guest, each variable once" \
		|| bad "wts env" "$(cat "$T/err") $(rq "$T/wtsenv-o/results.json" '[(x["outcome"], x["reason"], x["stdout"]) for x in r["results"]]' 2>&1)"
else
	skip "wasi-testsuite env" "node is not installed"
fi
