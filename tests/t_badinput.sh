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
