# The outcome table (harness/outcome.c) is the one description of the outcomes: what the
# HTML matrix's script, its stylesheet and the docs say about them must match it, and each
# report must render every outcome as the table says.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
command -v cc >/dev/null || { skip "outcome table" "no C compiler to read the table with"; exit 0; }
# The table itself, read through its own interface: one TSV line per outcome.
cat >"$T/dump.c" <<'EOF'
#include "outcome.h"
#include <stdio.h>
int main(int argc, char **argv)
{
	static const char *const j[] = { "none", "failure", "error", "skipped" }, *const tap[] = { "ok", "not ok", "skip", "todo" },
		*const ctrf[] = { "passed", "failed", "skipped", "pending", "other" }, *const ag[] = { "not-run", "passed", "failed" };
	for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++) {
		const struct outcome_info *i = outcome_info(o);
		enum outcome back;
		if (!outcome_parse(i->name, &back) || back != o)
			return 1;
		printf("%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", i->name, i->label, i->symbol, i->unexpected, i->wrong,
		       j[i->junit], tap[i->tap], ctrf[i->ctrf], ag[i->agree]);
	}
	for (int k = 1; k < argc; k++) {	/* words that must not parse */
		enum outcome o = OUT__COUNT;
		if (outcome_parse(argv[k], &o) || o != OUT__COUNT)
			return 1;
	}
	return !(outcome_parse(NULL, &(enum outcome){ OUT_PASS }) == false);
}
EOF
if cc -std=c11 -Wall -Wextra -Werror -Iharness -o "$T/dump" "$T/dump.c" harness/outcome.c 2>"$T/cc" &&
   "$T/dump" "" PASS " pass" "pass " passs pas xfail2 >"$T/table.tsv"; then
	ok "outcome table: every name parses back to its outcome; other words and NULL do not"
else
	bad "outcome table dump" "$(head -5 "$T/cc")"
	exit 0
fi
python3 - "$T/table.tsv" >"$T/py" 2>&1 <<'PY'
import re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
names = [r[0] for r in rows]
info = {r[0]: dict(label=r[1], symbol=r[2], unexpected=r[3] == "1", wrong=r[4] == "1", junit=r[5], tap=r[6],
                   ctrf=r[7], agree=r[8]) for r in rows}
def check(what, got, want):
    print(("ok" if got == want else "bad") + "\t" + what + ("" if got == want else f": {got!r}, table says {want!r}"))
def words(s):
    return re.findall(r"[a-z]+", s)

js = open("reports/matrix.js", encoding="utf-8").read()
m = re.search(r"var OUTCOMES = \[([^\]]*)\]", js)
check("matrix.js OUTCOMES lists the outcomes in order", re.findall(r"'([a-z]+)'", m.group(1)) if m else None, names)
m = re.search(r"var SYM = \{([^}]*)\}", js)
sym = {k: v.encode().decode("unicode_escape") for k, v in re.findall(r"([a-z]+): '([^']*)'", m.group(1))} if m else None
check("matrix.js SYM has each outcome's symbol", sym, {n: info[n]["symbol"] for n in names})
m = re.search(r"var UNEXPECTED = \{([^}]*)\}", js)
check("matrix.js UNEXPECTED is the unexpected outcomes", sorted(re.findall(r"([a-z]+): 1", m.group(1))) if m else None,
      sorted(n for n in names if info[n]["unexpected"]))
css = open("reports/matrix.css", encoding="utf-8").read()
check("matrix.css styles every outcome (.o-NAME)", [n for n in names if f".o-{n} " not in css], [])

readme = open("README.md", encoding="utf-8").read()
sec = readme.split("## Outcomes", 1)[1].split("\n## ", 1)[0]
check("README's Outcomes table lists the outcomes in order", re.findall(r"^\| `([a-z]+)` +\|", sec, re.M), names)
m = re.search(r"^((?:`[a-z]+`(?:,| and) )+`[a-z]+`) are unexpected", sec, re.M)
check("README's Outcomes section names the unexpected outcomes", sorted(re.findall(r"`([a-z]+)`", m.group(1))) if m else None,
      sorted(n for n in names if info[n]["unexpected"]))
m = re.search(r"1 unexpected results \(([a-z,\s]+)\)", readme)
check("README's exit codes name the unexpected outcomes", sorted(words(m.group(1))) if m else None,
      sorted(n for n in names if info[n]["unexpected"]))
rf = open("docs/results-format.md", encoding="utf-8").read()
m = re.search(r"`outcome` is one of `([a-z \n]+)`", rf)
check("docs/results-format.md lists the outcomes in order", m.group(1).split() if m else None, names)

rep = open("docs/reports.md", encoding="utf-8").read()
m = re.search(r"Cells show a symbol and the outcome word \(([^)]*)\)", rep)
cells = {w: s for s, w in re.findall(r"(\S+) ([a-z]+)", m.group(1))} if m else None
check("docs/reports.md: the HTML cell symbols", cells, {n: info[n]["symbol"] for n in names})
junit = {}
for line in rep.split("## JUnit XML", 1)[1].split("\n## ", 1)[0].splitlines():
    m = re.match(r"\| ([a-z, ]+) \| (?:`<([a-z]+)|\(none\))", line)
    if m:
        for w in words(m.group(1)):
            junit[w] = m.group(2) or "none"
check("docs/reports.md: the JUnit element of each outcome", junit, {n: info[n]["junit"] for n in names})
m = re.search(r"Status: (.*?)\. Durations", rep, re.S)
ctrf = {}
for part in (m.group(1).split(";") if m else []):
    lhs, rhs = part.split("→")
    for w in words(lhs):
        ctrf[w] = rhs.strip()
check("docs/reports.md: the CTRF status of each outcome", ctrf, {n: info[n]["ctrf"] for n in names})
tap = rep.split("## TAP 14", 1)[1].split("\n## ", 1)[0]
got = {n: "skip" for n in re.findall(r"`([a-z]+)` is\s+`ok \.\.\. # SKIP", tap)}
got.update({n: "todo" for n in re.findall(r"`([a-z]+)` is\s+`not ok \.\.\. # TODO", tap)})
check("docs/reports.md: TAP's SKIP and TODO outcomes", got, {n: info[n]["tap"] for n in names if info[n]["tap"] in ("skip", "todo")})
m = re.search(r"runtime fails \(([^)]*)\) while every other runtime\s+that ran them passes \(([^)]*)\)", rep)
check("docs/reports.md: agreement's failing and passing outcomes", (words(m.group(1)), words(m.group(2))) if m else None,
      ([n for n in names if info[n]["agree"] == "failed"], [n for n in names if info[n]["agree"] == "passed"]))
m = re.search(r"outcome neither `([a-z]+)` nor `([a-z]+)`", rep)
check("docs/reports.md: agreement leaves out the outcomes that did not run", list(m.groups()) if m else None,
      [n for n in names if info[n]["agree"] == "not-run"])
bl = open("docs/baselines.md", encoding="utf-8").read()
m = re.search(r"\| `fail` +\| ([a-z, ]+?) +\|", bl)
check("docs/baselines.md: what 'expect: fail' matches", words(m.group(1).replace(" or ", ", ")) if m else None,
      [n for n in names if info[n]["wrong"]])
PY
[ -s "$T/py" ] || bad "outcome table checks ran" "$(cat "$T/py")"
while IFS=$'\t' read -r st what; do
	case "$st" in ok) ok "$what";; bad) bad "${what%%:*}" "${what#*: }";; *) bad "outcome table check" "$st $what";; esac
done <"$T/py"

# Every report renders each outcome as the table says: one result per outcome, one
# runtime, from a results file written here (no runtime needed).
python3 - "$T/table.tsv" "$T/all.json" <<'PY'
import json, sys
names = [l.split("\t")[0] for l in open(sys.argv[1], encoding="utf-8")]
d = {"schema": "wasmatrix-results", "version": 1, "tool": {"name": "wasmatrix", "version": "0.1.0"},
     "run": {"id": "x", "started": "2026-11-24T20:00:00Z", "duration": 1.0},
     "runtimes": [{"name": "rt", "version": "1", "available": True}], "suites": [{"name": "s"}],
     "tests": [{"id": f"s/{n}", "suite": "s", "name": n, "file": "s.yaml", "line": 3} for n in names],
     "results": [{"test": f"s/{n}", "runtime": "rt", "outcome": n, "ran": n not in ("skip", "error"), "duration": 0.1,
                  "reason": None if n == "pass" else f"why {n}"} for n in names]}
json.dump(d, open(sys.argv[2], "w"))
PY
for f in junit tap ctrf md; do "$WM" report "$T/all.json" --format $f -o "$T/all.$f" 2>"$T/err" || bad "report $f of every outcome" "$(head -3 "$T/err")"; done
python3 - "$T/table.tsv" "$T" >"$T/py2" 2>&1 <<'PY'
import json, re, sys
t = sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
def check(what, got, want):
    print(("ok" if got == want else "bad") + "\t" + what + ("" if got == want else f": {got!r}, table says {want!r}"))
junit = open(f"{t}/all.junit", encoding="utf-8").read()
got = {}
for m in re.finditer(r'<testcase name="([a-z]+)"[^>]*?(/>|>\s*<([a-z]+))', junit):
    got[m.group(1)] = "none" if m.group(2) == "/>" else m.group(3)
check("junit: each outcome's element", got, {r[0]: r[5] for r in rows})
tap = open(f"{t}/all.tap", encoding="utf-8").read()
got = {}
for m in re.finditer(r"^(ok|not ok) \d+ - rt s/([a-z]+)( # (SKIP|TODO))?", tap, re.M):
    got[m.group(2)] = m.group(4).lower() if m.group(4) else m.group(1)
check("tap: each outcome's test point", got, {r[0]: r[6] for r in rows})
ctrf = json.load(open(f"{t}/all.ctrf", encoding="utf-8"))
check("ctrf: each outcome's status", {x["rawStatus"]: x["status"] for x in ctrf["results"]["tests"]}, {r[0]: r[7] for r in rows})
md = open(f"{t}/all.md", encoding="utf-8").read()
got = {m.group(2): m.group(1) for m in re.finditer(r"^\| s/[a-z]+ \| rt \| (\S+) ([a-z]+) \|", md, re.M)}
check("md: the unexpected outcomes, each with its symbol", got, {r[0]: r[2] for r in rows if r[3] == "1"})
PY
while IFS=$'\t' read -r st what; do
	case "$st" in ok) ok "$what";; bad) bad "${what%%:*}" "${what#*: }";; *) bad "outcome rendering check" "$st $what";; esac
done <"$T/py2"
