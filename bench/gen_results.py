#!/usr/bin/env python3
"""gen_results.py OUT.json [TESTS] [RUNTIMES] - a generated results file for the report
benchmark (bench/reports.sh): TESTS tests in 10 suites x RUNTIMES runtime columns, one
result each, outcomes and outputs varied deterministically. It is a load generator for
the renderers, never a stand-in for a real run in the tests."""
import json, random, sys

out = sys.argv[1]
nt = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
nr = int(sys.argv[3]) if len(sys.argv) > 3 else 100
rnd = random.Random(42)
outcomes = ["pass"] * 80 + ["fail"] * 8 + ["unsupported"] * 4 + ["skip"] * 4 + ["crash", "timeout", "xfail", "error"]
suites = [{"name": f"suite{s}", "path": f"suites/suite{s}.yaml", "kind": "yaml", "description": None, "tests": nt // 10} for s in range(10)]
rts = [{"name": f"rt{r:03d}", "title": f"Runtime {r}", "version": f"1.{r}.0", "path": f"/opt/rt{r}", "adapter": f"runners/rt{r}.yaml", "available": True, "missing": None} for r in range(nr)]
tests, results = [], []
for t in range(nt):
    s = t % 10
    tid = f"suite{s}/test-{t:05d}"
    tests.append({"id": tid, "suite": f"suite{s}", "name": f"test-{t:05d}", "description": f"generated test {t}", "file": f"suites/suite{s}.yaml", "line": 3 + 4 * (t // 10), "module": "/x.wasm", "args": [], "env": {}, "stdin_bytes": 0, "dirs": [], "timeout": None, "tags": ["fd_write"], "requires": [], "links": [], "skip": None,
                  "expect": {"exit": [0], "trap": False, "refused": False, "stdout": {"kind": "exact", "text": f"hello {t}\n", "normalize_newlines": False}, "stderr": None, "files": []}})
for t in range(nt):
    for r in range(nr):
        o = rnd.choice(outcomes)
        ok = o == "pass"
        results.append({"test": tests[t]["id"], "runtime": rts[r]["name"], "outcome": o,
                        "reason": None if ok else f"{o}: generated reason for {t} on {r}",
                        "diff": None if o != "fail" else f"--- expected\n+++ actual\n@@ -1 +1 @@\n-hello {t}\n+hullo {t}\n",
                        "command": f"cd /tmp/w && env -i PATH=/usr/bin /opt/rt{r} run /x.wasm", "ran": o not in ("skip", "error"),
                        "exit_code": 0 if ok else 1, "signal": None, "trapped": o == "fail" and t % 3 == 0,
                        "stdout": f"hello {t}\n" if ok else f"hullo {t}\n", "stderr": "" if ok else "error: generated\n",
                        "stdout_bytes": 8, "stderr_bytes": 0 if ok else 17, "stdout_truncated": False, "stderr_truncated": False,
                        "files_digest": None, "duration": round(rnd.random() / 10, 4), "known": None, "kept": None})
doc = {"schema": "wasmatrix-results", "version": 1, "tool": {"name": "wasmatrix", "version": "0.1.0"},
       "run": {"id": "bench", "started": "2026-01-01T00:00:00Z", "duration": 1.0, "argv": ["wasmatrix", "run"], "jobs": 1, "timeout": 10},
       "host": {"os": "Linux", "release": "x", "arch": "x86_64", "hostname": "bench", "cpus": 1},
       "runtimes": rts, "suites": suites, "tests": tests, "results": results}
json.dump(doc, open(out, "w"))
