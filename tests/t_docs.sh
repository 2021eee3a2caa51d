# The CI examples in docs/ci are valid YAML and use only commands wasmatrix has; the docs
# the README links to exist.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
for f in docs/ci/*.y*ml; do
	check "docs example $f is valid YAML" python3 -c "import yaml,sys; list(yaml.safe_load_all(open(sys.argv[1])))" "$f"
done
cmds=$(grep -oh 'wasmatrix [a-z]\+' docs/ci/* | awk '{print $2}' | sort -u)
for c in $cmds; do
	check "docs example command 'wasmatrix $c' exists" "$WM" "$c" --help
done
for l in $(grep -o '(docs/[^)]*)' README.md | tr -d '()'); do
	check "README link $l exists" test -e "$l"
done
# The commands are one table (harness/main.c) that the main usage, dispatch, `help` and
# "did you mean" all read: every command the usage lists has its own help, the same text
# through `help C` and `C --help`, and a misspelling of it is pointed at it.
cmds=$("$WM" --help | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\).*/\1/p' | grep -vx help)
[ "$(echo $cmds)" = "run runtimes report merge compare features inspect check fetch publish update-baseline" ] &&
	ok "the main usage lists every command" || bad "the main usage lists every command" "$(echo $cmds)"
for c in $cmds; do
	grep -qE "(^|[ /])wasmatrix $c( |$)" README.md && ok "README shows 'wasmatrix $c'" || bad "README lacks 'wasmatrix $c'"
	"$WM" help $c > "$T/h" 2>&1 && grep -q "^usage: wasmatrix $c" "$T/h" && ok "wasmatrix help $c" || bad "help $c" "$(head -2 "$T/h")"
	"$WM" $c --help > "$T/h2" 2>&1 && grep -q "^usage: wasmatrix $c" "$T/h2" && ok "wasmatrix $c --help" || bad "$c --help" "$(head -2 "$T/h2")"
	cmp -s "$T/h" "$T/h2" && ok "help $c and $c --help print the same text" || bad "help $c and $c --help differ"
	typo=${c}x
	"$WM" "$typo" > /dev/null 2> "$T/e"; rc=$?
	[ $rc = 2 ] && grep -q "unknown command '$typo'; did you mean '$c'?" "$T/e" &&
		ok "'$typo' is exit 2 and suggests '$c'" || bad "'$typo' suggests '$c'" "exit $rc: $(head -1 "$T/e")"
done
# The exit codes of the README are the values of the one enum every command returns.
for kv in OK=0 UNEXPECTED=1 USAGE=2 FAULT=3 NOTHING=4; do
	grep -q "EXIT_${kv%=*} = ${kv#*=}," harness/cmd.h && ok "enum exit_code: EXIT_$kv" || bad "enum exit_code lacks EXIT_$kv"
done
grep -q '^Exit codes: 0 all results as expected, 1 unexpected results' README.md && grep -q '2 bad usage or input' README.md &&
	grep -q '3 harness or infrastructure fault' README.md && grep -q '4 nothing selected' README.md &&
	grep -q '128+N stopped by signal N' README.md && ok "README names the exit codes of enum exit_code" || bad "README exit codes"
if grep -nE '\b(RC|CK)_[A-Z]+\b|return [1-4];' harness/main.c harness/cmd_*.c > "$T/codes"; then
	bad "commands return enum exit_code, not RC_*, CK_* or bare numbers" "$(head -3 "$T/codes")"
else
	ok "commands return enum exit_code, not RC_*, CK_* or bare numbers"
fi
# Self-contained: a clone has nothing beside it, so no test, script or build file may reach
# the sibling folder the developers' machines happen to have (the third-party data the tests
# need is in vendor/, with its licences and upstream commits in vendor/README.md).
sib='\.\./'shared
if git -C "$WM_ROOT" grep -nE "$sib" -- tests scripts Makefile suites .ci bench fuzz harness reports >"$T/sib" 2>&1; then
	bad "nothing reads the sibling shared folder" "$(head -3 "$T/sib")"
else
	ok "nothing reads the sibling shared folder (third-party data is in vendor/)"
fi
for f in vendor/wasi-testsuite/LICENSE vendor/schemas/LICENSE-ctrf vendor/README.md; do
	check "vendored licence/provenance $f present" test -s "$f"
done
# Names (issue 11): the recorded baselines live in baselines/, the word the CLI uses; the
# word for a test's expected values is never that directory's name.
old=expectation's'	# spelt apart so that this file does not match itself
if git -C "$WM_ROOT" grep -nE "(^|[^a-z])$old/|--baseline \"?[^ ]*$old\b" -- . ':!vendor' >"$T/exp" 2>&1; then
	bad "nothing names the old $old/ directory (it is baselines/)" "$(head -3 "$T/exp")"
else
	ok "nothing names the old $old/ directory (it is baselines/)"
fi
# fixtures/selftest/ holds the modules the harness's own tests run (it was named after
# the source folder harness/): no path or link leads to the old name.
old=fixtures/harn'ess'
{ git -C "$WM_ROOT" grep -nE "$old\b" -- . ':!vendor'
  git -C "$WM_ROOT" ls-files -s | awk '$1 == "120000" {print $4}' | while read -r l; do
	case $(readlink "$WM_ROOT/$l") in *"$old"*) echo "$l -> $(readlink "$WM_ROOT/$l")";; esac
  done; } >"$T/fh" 2>&1
[ -s "$T/fh" ] && bad "nothing names the old $old/ folder (it is fixtures/selftest/)" "$(head -3 "$T/fh")" ||
	ok "nothing names the old $old/ folder (it is fixtures/selftest/)"
# Our functions stay out of jansson's json_ namespace (results_bytes was in it): no definition
# in harness/, reports/ or fuzz/ is named json_*.
if git -C "$WM_ROOT" grep -nE '^[a-z][a-z_ ]*[ *]json_[a-z_]+\(' -- harness reports fuzz >"$T/js" 2>&1; then
	bad "no function we define is named json_*" "$(head -3 "$T/js")"
else
	ok "no function we define is named json_*"
fi
