#!/usr/bin/env bash
# Does a refactoring change what wasmatrix writes? Renders the same inputs with two
# binaries and diffs every byte: each report format (html, junit, md with its GitHub
# step summary and annotations, tap, ctrf, json, with the agreement recomputed), compare
# (md, html), update-baseline and merge, from a generated results file that holds every
# outcome and from a real run of the bundled suites (with their baselines, so xfail too);
# then the terminal output of one run with colour (durations masked). When NEW writes
# results version 2 and OLD reads only version 1, the real run (written by NEW) is given to
# both as version 1 (bench/results-v1.py), and NEW's reports of the version 2 file itself
# are compared with OLD's of the version 1 one (html with its embedded version masked).
# usage: bench/same-output.sh OLD_BINARY [NEW_BINARY]   (NEW defaults to ./wasmatrix;
# each binary needs its wasmatrix-contain beside it, as the build leaves it)
# Build the old one from a commit with e.g.
#   git worktree add /tmp/old COMMIT && make -C /tmp/old BUILD=build
# Exit 0 when every output is identical; otherwise the diffs, and exit 1.
set -u
# the host's runtimes only: with aarch64 builds installed, --arch would default to both
export WASMATRIX_ARCH="${WASMATRIX_ARCH:-$(uname -m)}"
cd "$(dirname "$0")/.."
OLD=$(realpath "${1:?usage: bench/same-output.sh OLD_BINARY [NEW_BINARY]}")
NEW=$(realpath "${2:-./wasmatrix}")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export WASMATRIX_RUNTIMES_DIR=${WASMATRIX_RUNTIMES_DIR:-$PWD/.runtimes/bin}
differ=0
same() {	# same NAME: $tmp/old/NAME and $tmp/new/NAME (files or directories) are identical
	if diff -r "$tmp/old/$1" "$tmp/new/$1" >"$tmp/d" 2>&1; then
		echo "same       $1"
	else
		echo "DIFFERENT  $1"; head -20 "$tmp/d"; differ=1
	fi
}
tree_of() {	# tree_of BINARY: RUNNERS and BASELINES of the source tree the binary was built in
	local root; root=$(realpath "$(dirname "$1")/..")
	[ -d "$root/runners" ] || root=$PWD
	RUNNERS=$root/runners
	BASELINES=$root/baselines; [ -d "$BASELINES" ] || BASELINES=$root/expectations
}
both() {	# both NAME CMD...: runs CMD with $WM set to each binary, stdout+stderr+exit to NAME
	local name=$1; shift
	for side in old new; do
		local bin=$OLD; [ $side = new ] && bin=$NEW
		mkdir -p "$tmp/$side"
		( WM=$bin OUTDIR=$tmp/$side SIDE=$side; tree_of "$bin"; export WM OUTDIR SIDE RUNNERS BASELINES; eval "$@" ) >"$tmp/$side/$name" 2>&1
		echo "exit $?" >>"$tmp/$side/$name"
	done
	same "$name"
}

# 1. Generated: every outcome (xpass included), a few runtimes, no agreement stored.
python3 bench/gen_results.py "$tmp/g.json" 90 5
python3 - "$tmp/g.json" "$tmp/g2.json" "$tmp/ga.json" "$tmp/gb.json" <<'PY'
import json, sys
outcomes = ["pass", "fail", "unsupported", "crash", "timeout", "skip", "xfail", "xpass", "error"]
d = json.load(open(sys.argv[1]))
for i, x in enumerate(d["results"]):
    if i % 3 == 0:
        x["outcome"] = outcomes[(i // 3) % len(outcomes)]
        x["ran"] = x["outcome"] not in ("skip", "error")
d.pop("agreement", None)
json.dump(d, open(sys.argv[1], "w"))
# a later run: some outcomes moved, so compare has regressions, fixes and changes
for i, x in enumerate(d["results"]):
    if i % 5 == 0:
        x["outcome"] = outcomes[(i // 5 + 3) % len(outcomes)]
json.dump(d, open(sys.argv[2], "w"))
# two halves by runtime, for merge
for half, path in ((0, sys.argv[3]), (1, sys.argv[4])):
    e = json.load(open(sys.argv[1]))
    keep = {r["name"] for k, r in enumerate(e["runtimes"]) if k % 2 == half}
    e["runtimes"] = [r for r in e["runtimes"] if r["name"] in keep]
    e["results"] = [x for x in e["results"] if x["runtime"] in keep]
    e["summary"] = {n: v for n, v in e.get("summary", {}).items() if n in keep}
    json.dump(e, open(path, "w"))
PY

# 2. Real: the bundled suites on the runtimes found, with their baselines.
"$NEW" run --baseline baselines --out "$tmp/real" --color never >/dev/null 2>&1
[ -s "$tmp/real/results.json" ] || { echo "the real run wrote no results"; exit 2; }
python3 bench/results-v1.py "$tmp/real/results.json" "$tmp/r.json"

for in in g g2 r; do
	for f in html junit md tap ctrf json; do
		both "$in.$f" '"$WM" report '"$tmp/$in.json"' --format '$f
	done
	both "$in.md-github" 'GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$OUTDIR/'$in'.summary "$WM" report '"$tmp/$in.json"' --format md -o /dev/null; cat $OUTDIR/'$in'.summary'
	both "$in.baseline" 'cd $OUTDIR && "$WM" update-baseline '"$tmp/$in.json"' --baseline '$in'.bl && cat '$in'.bl/*.yaml'
done
# the version 2 file (NEW) against its version 1 form (OLD)
for f in html junit md tap ctrf; do
	both "r2.$f" 'in='"$tmp/r.json"'; [ $SIDE = new ] && in='"$tmp/real/results.json"'; "$WM" report "$in" --format '$f' | sed -e "s/\"schema\":\"wasmatrix-results\",\"version\":[12],/VERSION/"'
done
for f in md html; do
	both "compare-g.$f" '"$WM" compare '"$tmp/g.json $tmp/g2.json"' --format '$f
	both "compare-r.$f" '"$WM" compare '"$tmp/r.json $tmp/g2.json"' --format '$f
done
both merge '"$WM" merge '"$tmp/ga.json $tmp/gb.json"' -o - | python3 -c "import json,sys; d=json.load(sys.stdin); d[\"run\"].pop(\"started\", None); d[\"run\"].pop(\"duration\", None); d.pop(\"version\"); sh=d.pop(\"shared\", []); [r.update(command=\"\".join(sh[p] if isinstance(p, int) else p for p in r[\"command\"])) for r in d[\"results\"] if isinstance(r[\"command\"], list)]; print(json.dumps(d, indent=1, sort_keys=True))"'

# 3. The terminal: one run per binary with colour, durations and temp names masked; cold
# (WASMATRIX_COLD=1, which binaries before the compile caches ignore), so both print the
# same command lines.
both term 'cd $OUTDIR && WASMATRIX_COLD=1 "$WM" run '"$PWD/tests/data/reports.yaml"' --runners "$RUNNERS" --baseline "$BASELINES" -j 1 --color always --out run 2>&1 | sed -E -e "s#$BASELINES#BASELINES#g" -e "s#$RUNNERS#RUNNERS#g" -e "s/[0-9]+\.[0-9]+s/N.Ns/g" -e "s/wasmatrix-[A-Za-z0-9]{6}/wasmatrix-XXXXXX/g"'

# 4. The bundled suites run by each binary with its own tree's adapters and baselines: the
# same tests, outcomes and reasons (temporary paths masked). The poll tests are left out:
# their outcome on the JS hosts depends on timing (a loaded machine flips them either way,
# see baselines/bun.yaml and tests/t_baseline.sh), so they would compare the machine's load.
both real-run 'cd $OUTDIR && "$WM" run --runners "$RUNNERS" --baseline "$BASELINES" --out real --color never >/dev/null 2>&1; python3 -c "
import json, re, sys
d = json.load(open(\"real/results.json\"))
m = lambda s: re.sub(r\"/tmp/[^ :\x27\\\"]*\", \"TMP\", s) if isinstance(s, str) else s
for r in sorted(d[\"results\"], key=lambda r: (r[\"test\"], r[\"runtime\"])):
    if \"poll\" not in r[\"test\"]: print(r[\"test\"], r[\"runtime\"], r[\"outcome\"], m(r[\"reason\"]))
"'

[ $differ = 0 ] && echo "every output is identical" || echo "outputs differ"
exit $differ
