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
for c in run runtimes report merge compare check inspect fetch publish update-baseline; do
	"$WM" help $c > "$T/h" 2>&1 && grep -q "^usage: wasmatrix $c" "$T/h" && ok "wasmatrix help $c" || bad "help $c" "$(head -2 "$T/h")"
	"$WM" $c --help > "$T/h" 2>&1 && grep -q "^usage: wasmatrix $c" "$T/h" && ok "wasmatrix $c --help" || bad "$c --help" "$(head -2 "$T/h")"
done
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
