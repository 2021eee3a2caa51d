#!/usr/bin/env python3
"""results-v1.py IN.json OUT.json - a results file as version 1 wrote it: every command
joined back from its parts (text, and indexes into "shared"), "shared" dropped, version 1.
For comparing with a wasmatrix that reads only version 1 (bench/same-output.sh) and for
the test that old files still load (tests/t_reports_shared.sh). Key order is kept."""
import json, sys

d = json.load(open(sys.argv[1]))
shared = d.pop("shared", [])
for r in d["results"]:
    c = r.get("command")
    if isinstance(c, list):
        r["command"] = "".join(shared[p] if isinstance(p, int) else p for p in c)
d["version"] = 1
json.dump(d, open(sys.argv[2], "w"), indent=1, ensure_ascii=False)
