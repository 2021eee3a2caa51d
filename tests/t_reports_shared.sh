# Results version 2 (docs/results-format.md): what every command repeats is stored once, in
# "shared"; every report shows the commands as they ran; version 1 files still load and
# render the same; merge and `report --format json` keep the table right.
. "$(dirname "$0")/lib.sh"
D=$WM_ROOT/tests/data
if ! have_node; then skip "shared commands" "node is not installed"; exit 0; fi
RTS=node
"$WM" runtimes | grep -q '^wasmtime  *[0-9]' && RTS=node,wasmtime
"$WM" run "$D/reports.yaml" --runtime $RTS --out "$T/o" --color never >"$T/log" 2>&1
R=$T/o/results.json
[ -s "$R" ] || { bad "run" "$(tail -3 "$T/log")"; exit 0; }
# the file: version 2, PATH once in "shared", commands as parts
python3 - "$R" >"$T/v" 2>&1 <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 2, d["version"]
sh = d["shared"]
assert any(s.startswith("PATH=") for s in sh), sh
assert len(set(sh)) == len(sh) and all(len(s) >= 32 for s in sh), sh
parts = [r["command"] for r in d["results"] if isinstance(r["command"], list)]
ran = [r for r in d["results"] if r["command"] is not None]
assert parts and len(parts) == len(ran), (len(parts), len(ran))
full = ["".join(sh[p] if isinstance(p, int) else p for p in c) for c in parts]
assert all(" PATH=" in c for c in full), full[0]
print("ok", len(sh), len(parts))
PY
[ "$(head -c 2 "$T/v")" = ok ] && ok "results.json version 2: PATH stored once in \"shared\", $(cut -d' ' -f2 "$T/v") shared strings, $(cut -d' ' -f3 "$T/v") commands in parts" || bad "shared table" "$(tail -3 "$T/v")"
# every report shows each command whole, as it ran
"$WM" report "$R" --format ctrf -o "$T/c.json" && "$WM" report "$R" --format html -o "$T/r.html" && "$WM" report "$R" --format tap -o "$T/r.tap"
python3 - "$R" "$T/c.json" "$T/r.html" "$T/r.tap" >"$T/v" 2>&1 <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
sh = d.get("shared", [])
want = {(r["test"], r["runtime"]): "".join(sh[p] if isinstance(p, int) else p for p in r["command"])
        for r in d["results"] if r["command"] is not None}
ctrf = {(t["extra"]["test"], t["extra"]["runtime"]): t["extra"].get("command") for t in json.load(open(sys.argv[2]))["results"]["tests"]}
assert all(ctrf[k] == v for k, v in want.items()), "ctrf"
page = open(sys.argv[3]).read()
script = re.search(r'id="wm-data">(.*?)</script>', page, re.S).group(1)
assert "<" not in script and "\\u003c/dev/null" in script, "'<' in the page data is written \\u003c"
data = json.loads(script)
assert "shared" not in data
html = {(r["test"], r["runtime"]): r["command"] for r in data["results"]}
assert all(html[k] == v for k, v in want.items()), "html"
tap = open(sys.argv[4]).read()
shown = [r for r in d["results"] if r["command"] is not None and r["outcome"] not in ("pass", "skip")]
assert shown
for r in shown:
    v = want[(r["test"], r["runtime"])]
    assert '  command: "' + v.replace("\\", "\\\\").replace('"', '\\"') + '"\n' in tap, v
print("ok")
PY
[ "$(tail -1 "$T/v")" = ok ] && ok "ctrf, html and tap show every command whole" || bad "commands in reports" "$(tail -3 "$T/v")"
# a version 1 file (every command a string) loads and renders the same
python3 "$WM_ROOT/bench/results-v1.py" "$R" "$T/v1.json"
for f in md tap junit ctrf html; do
	"$WM" report "$R" --format $f -o "$T/v2.$f" && "$WM" report "$T/v1.json" --format $f -o "$T/v1.$f" || bad "report $f"
	[ $f = html ] && sed -i -e 's/"schema":"wasmatrix-results","version":1,/"schema":"wasmatrix-results","version":2,/' "$T/v1.$f"
	cmp -s "$T/v1.$f" "$T/v2.$f" && ok "report $f: a version 1 file renders as its version 2 form" || bad "report $f v1 vs v2" "$(diff "$T/v1.$f" "$T/v2.$f" | head -4)"
done
# --format json writes the file as it was read: version 2 with its table, version 1 without
"$WM" report "$R" --format json -o "$T/rt.json" && { cat "$R"; echo; } | cmp -s - "$T/rt.json" && ok "report --format json of a version 2 file gives the file back" || bad "json round trip" "$( { cat "$R"; echo; } | diff - "$T/rt.json" | head -4)"
"$WM" report "$T/v1.json" --format json -o "$T/rt1.json" && [ "$(rq "$T/rt1.json" 'r["version"], "shared" in r, type(r["results"][0]["command"]).__name__')" = "1 False str" ] && ok "report --format json of a version 1 file stays version 1" || bad "json v1" "$(rq "$T/rt1.json" 'r["version"]')"
# merge: halves by runtime, each with its own table, give one table and the same commands
if [ "$RTS" = node,wasmtime ]; then
	python3 - "$R" "$T/h1.json" "$T/h2.json" <<'PY'
import json, sys
for k, rt in ((2, "node"), (3, "wasmtime")):
    d = json.load(open(sys.argv[1]))
    d["runtimes"] = [x for x in d["runtimes"] if x["name"] == rt]
    d["results"] = [x for x in d["results"] if x["runtime"] == rt]
    d["summary"] = {n: v for n, v in d["summary"].items() if n == rt}
    d.pop("agreement")
    json.dump(d, open(sys.argv[k], "w"))
PY
	"$WM" merge "$T/h1.json" "$T/h2.json" -o "$T/m.json" 2>"$T/err"; rc=$?
	python3 - "$R" "$T/m.json" >"$T/v" 2>&1 <<'PY'
import json, sys
def cmds(p):
    d = json.load(open(p)); sh = d.get("shared", [])
    return d, {(r["test"], r["runtime"]): r["command"] if not isinstance(r["command"], list) else
               "".join(sh[x] if isinstance(x, int) else x for x in r["command"]) for r in d["results"]}
a, ca = cmds(sys.argv[1]); m, cm = cmds(sys.argv[2])
assert m["version"] == 2 and m["shared"], m.get("shared")
assert ca == cm, "commands differ"
assert len(set(m["shared"])) == len(m["shared"])
print("ok")
PY
	[ $rc = 0 ] && [ "$(tail -1 "$T/v")" = ok ] && ok "merge: one \"shared\" table for the merged results, every command the same" || bad "merge shared" "rc=$rc $(cat "$T/err") $(tail -3 "$T/v")"
	"$WM" merge "$T/h1.json" "$T/h2.json" -o - 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["shared"]' && ok "merge -o -: the table too" || bad "merge stdout shared"
else
	skip "merge of the shared table" "wasmtime not installed"
fi
