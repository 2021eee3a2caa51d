#!/usr/bin/env bash
# Does a refactoring change what `check`, `inspect` and the end of `run` write? Runs the
# same commands with two binaries and diffs every byte of stdout, stderr, the exit code
# and any file written: `inspect` (text, text in colour, json) on every module of the
# fixtures and tests plus unreadable and truncated ones; `check` (text, text in colour,
# json, html, on stdout and with -o) on the fixture modules, with arguments, environment,
# a preopened tree, stdin and --matrix; its usage errors; and the terminal summary of a
# run (colour and not). The --help texts are left out: they list the formats from the
# renderers' tables now. Durations and temporary names are masked; both binaries get the
# same --runners so the commands recorded in the JSON are the same: the OLD binary's tree's
# adapters when it has them (a newer adapter key would be refused by an older binary; the
# newer binary reads older adapters), else this tree's; both run cold (WASMATRIX_COLD=1).
# usage: bench/same-check-output.sh OLD_BINARY [NEW_BINARY]   (NEW defaults to ./wasmatrix;
# each binary needs its wasmatrix-contain beside it, as the build leaves it)
# Build the old one from a commit with e.g.
#   git worktree add /tmp/old COMMIT && make -C /tmp/old BUILD=build
# Exit 0 when every output is identical; otherwise the diffs, and exit 1.
set -u
# the host's runtimes only: with aarch64 builds installed, --arch would default to both
export WASMATRIX_ARCH="${WASMATRIX_ARCH:-$(uname -m)}"
cd "$(dirname "$0")/.."
OLD=$(realpath "${1:?usage: bench/same-check-output.sh OLD_BINARY [NEW_BINARY]}")
NEW=$(realpath "${2:-./wasmatrix}")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export WASMATRIX_RUNTIMES_DIR=${WASMATRIX_RUNTIMES_DIR:-$PWD/.runtimes/bin}
RUNNERS=$(realpath "$(dirname "$OLD")/..")/runners
[ -d "$RUNNERS" ] || RUNNERS=$PWD/runners
export WASMATRIX_COLD=1
differ=0 n=0
mask() {	# durations, temporary names and the run's timing
	sed -E -e 's/"duration": [0-9.e+-]+/"duration": N/g' -e 's/[0-9]+\.[0-9]+s\b/N.Ns/g' \
		-e 's/wasmatrix-[A-Za-z0-9]{6}\b/wasmatrix-XXXXXX/g'
}
both() {	# both NAME CMD...: runs CMD (eval'd, $WM = the binary, $OUT = a directory
		# of its own) for each binary; stdout, stderr, exit code and $OUT compared
	local name=$1; shift
	for side in old new; do
		local bin=$OLD; [ $side = new ] && bin=$NEW
		local d=$tmp/$side/$name; mkdir -p "$d/out"
		( WM=$bin OUT=$d/out; export WM OUT; cd "$tmp" && eval "$@" ) >"$d/stdout" 2>"$d/stderr"
		echo "exit $?" >>"$d/stdout"
		for f in "$d/stdout" "$d/stderr" "$d"/out/*; do
			[ -f "$f" ] && { mask <"$f" >"$f.m"; mv "$f.m" "$f"; }
		done
		sed -i "s|$bin|WM|g; s|$d|D|g" "$d/stdout" "$d/stderr"
	done
	n=$((n + 1))
	if diff -r "$tmp/old/$name" "$tmp/new/$name" >"$tmp/d" 2>&1; then
		echo "same       $name"
	else
		echo "DIFFERENT  $name"; head -20 "$tmp/d"; differ=1
	fi
}
R=$PWD

# 1. inspect: every module we have, each format; broken ones
head -c 40 fixtures/check/features.wasm >"$tmp/cut.wasm"
printf '\0asm\1\0\0\0\1\377\377\377\377\17' >"$tmp/badsec.wasm"
mods=$(find fixtures tests -name '*.wasm' | sort)
for m in $mods "$tmp/cut.wasm" "$tmp/badsec.wasm" "$tmp/nope.wasm" README.md; do
	k=$(echo "$m" | tr '/' '_')
	both "inspect.text.$k" '"$WM" inspect '"$R/$m"
	both "inspect.color.$k" '"$WM" inspect --color always '"$R/$m"
	both "inspect.json.$k" '"$WM" inspect --format json '"$R/$m"
done >"$tmp/inspect.log" 2>&1
grep -v '^same' "$tmp/inspect.log"
echo "inspect: $n commands on $(echo "$mods" | wc -l) modules, $(grep -c '^same' "$tmp/inspect.log") the same"
both inspect.badformat '"$WM" inspect --format xml '"$R/fixtures/check/hello.wasm"
both inspect.color-bad '"$WM" inspect --color sometimes '"$R/fixtures/check/hello.wasm"

# 2. check: the fixture modules in every format, on stdout and into files
C="--runners $RUNNERS"
for m in fixtures/check/*.wasm fixtures/calibration/exit.wasm fixtures/calibration/trap_oob.wasm \
	fixtures/calibration/missing_import.wasm fixtures/portability/clocks.wasm; do
	k=$(basename "$m" .wasm)
	both "check.text.$k" '"$WM" check '"$C $R/$m"
	both "check.color.$k" '"$WM" check --color always '"$C $R/$m"
	both "check.json.$k" '"$WM" check --format json '"$C $R/$m"
	both "check.html.$k" '"$WM" check --format html '"$C $R/$m"
	both "check.out.$k" '"$WM" check --format html -o $OUT/r.html '"$C $R/$m"
done
both check.readdir-tree '"$WM" check --format json '"$C"' --dir '"$R/fixtures/check/tree"':/ '"$R/fixtures/check/readdir.wasm"
both check.readdir-text '"$WM" check '"$C"' --dir '"$R/fixtures/check/tree"':/ '"$R/fixtures/check/readdir.wasm"
both check.args '"$WM" check --format json '"$C"' --env A=1 --env B="two words" '"$R/fixtures/calibration/args.wasm"' -- one "two words"'
both check.stdin '"$WM" check '"$C"' --stdin '"$R/README.md $R/fixtures/calibration/stdin.wasm"
both check.text-out '"$WM" check -o $OUT/r.txt '"$C $R/fixtures/check/exit200.wasm"
both check.json-out '"$WM" check --format json -o $OUT/r.json '"$C $R/fixtures/check/exit200.wasm"
both check.partial '"$WM" check --format json '"$C $tmp/badsec.wasm"
both check.partial-text '"$WM" check '"$C $tmp/badsec.wasm"
both check.two '"$WM" check --runtime wasmtime,wazero '"$C $R/fixtures/check/simd.wasm"
both check.one '"$WM" check --runtime wasmtime '"$C $R/fixtures/check/hello.wasm"
both check.badformat '"$WM" check --format xml '"$R/fixtures/check/hello.wasm"
both check.badruntime '"$WM" check --runtime wasmtiem '"$R/fixtures/check/hello.wasm"
both check.notmodule '"$WM" check '"$R/README.md"
both check.badout '"$WM" check -o /nonexistent/dir/r.txt '"$R/fixtures/check/hello.wasm"

# 3. check --matrix: a run of the fixtures' suite gives known outcomes to cite
"$NEW" run "$R/tests/data/reports.yaml" --runners "$RUNNERS" --out "$tmp/m" >/dev/null 2>&1
both check.matrix '"$WM" check --format json --matrix '"$tmp/m/results.json $C $R/fixtures/check/exit200.wasm"
both check.matrix-bad '"$WM" check --matrix '"$R/README.md $C $R/fixtures/check/exit200.wasm"

# 4. run's terminal summary (one job, so the order of the lines is fixed)
for col in always never; do
	both "run.summary.$col" '"$WM" run '"$R/tests/data/reports.yaml"' --runners '"$RUNNERS"' --baseline '"$R/baselines"' -j 1 --color '$col' --out run 2>&1; rm -rf run'
done

# the portability suite: known divergences in the summary (its lines only: the progress
# lines come in the order the jobs finish); the tests whose outcome does not depend on
# timing, so that both runs get the same outcomes
P='portability/env.*,portability/exit.*,portability/preopen.*,portability/trailing-slash.*,portability/rights.*'
both run.portability '"$WM" run '"$R/suites/portability"' --filter "'"$P"'" --runners '"$RUNNERS"' --baseline '"$R/baselines"' -j 2 --color always --out run 2>&1 | sed -n "/Unexpected results/,\$p"; rm -rf run'

echo "$n commands"
[ $differ = 0 ] && echo "every output is identical" || echo "outputs differ"
exit $differ
