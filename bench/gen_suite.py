#!/usr/bin/env python3
"""gen_suite.py DIR KIND N - generated inputs for the loading benchmark (bench/load.sh)
and the scale tests (tests/t_scale.sh). Writes into DIR (created) and prints the path
of the input to give wasmatrix:

  tests N     a YAML suite of N tests (DIR/suite.yaml, all running DIR/m.wasm)
  dup-tests N the same with the last test's name repeating the first (one error)
  keys N      a YAML suite of one test whose env map has N keys (DIR/keys.yaml)
  dup-keys N  the same with the last key repeating the first (one error)
  errors N    a suite of N tests, each with a misspelt key (N errors, each shown
              with its source line)
  defaults-junk N  a suite of N tests whose defaults hold N unknown keys (N errors)
  env-merge N a suite whose defaults and test env both set the same N keys
  suites N    N one-test YAML suites (DIR/s*.yaml, each with its own name); the path
              printed is DIR, the list of files is in DIR/list
  wts N       a wasi-testsuite directory of N tests whose specs set env (DIR/wts)
  baseline N  a results file (DIR/results.json) of N failing tests on runtime 'node'
              and a baseline (DIR/bl/node.yaml) of N exact entries for them, in
              reverse order, plus 10 glob entries matching none
  dup-results N  a results file (DIR/dup.json) of one test and N results for it on
              the same runtime: N-1 duplicates (one error each, capped in the output)

Everything is deterministic. It is a load generator, never a stand-in for a real run."""
import json, os, sys

out, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
# the smallest valid module: loading only checks that the file exists
with open(os.path.join(out, "m.wasm"), "wb") as f:
    f.write(b"\0asm\1\0\0\0")


def suite(path, tests, name="gen", defaults=""):
    with open(path, "w") as f:
        f.write(f"name: {name}\n")
        f.write("defaults:\n  module: m.wasm\n" + defaults)
        f.write("tests:\n")
        for t in tests:
            f.write(t)
    return path


if kind in ("tests", "dup-tests"):
    names = [f"t{i:07d}" for i in range(n)]
    if kind == "dup-tests":
        names[-1] = names[0]
    tests = [f"  - name: {nm}\n    args: [\"{i}\"]\n    expect: {{exit: 0, stdout: \"{i}\\n\"}}\n"
             for i, nm in enumerate(names)]
    print(suite(os.path.join(out, "suite.yaml"), tests))
elif kind in ("keys", "dup-keys"):
    keys = [f"K{i:07d}" for i in range(n)]
    if kind == "dup-keys":
        keys[-1] = keys[0]
    env = "".join(f"      {k}: \"{i}\"\n" for i, k in enumerate(keys))
    print(suite(os.path.join(out, "keys.yaml"), [f"  - name: big-env\n    env:\n{env}"]))
elif kind == "errors":
    tests = [f"  - name: t{i:07d}\n    timout: {i}\n" for i in range(n)]
    print(suite(os.path.join(out, "errors.yaml"), tests))
elif kind == "defaults-junk":
    junk = "".join(f"  junk{i:07d}: {i}\n" for i in range(n))
    print(suite(os.path.join(out, "junk.yaml"), [f"  - name: t{i:07d}\n" for i in range(n)],
                defaults=junk))
elif kind == "env-merge":
    keys = [f"K{i:07d}" for i in range(n)]
    denv = "  env:\n" + "".join(f"    {k}: d\n" for k in keys)
    tenv = "".join(f"      {k}: t\n" for k in keys)
    print(suite(os.path.join(out, "merge.yaml"), [f"  - name: merged-env\n    env:\n{tenv}"],
                defaults=denv))
elif kind == "suites":
    files = []
    for i in range(n):
        files.append(suite(os.path.join(out, f"s{i:06d}.yaml"), ["  - name: a\n"], name=f"s{i:06d}"))
    with open(os.path.join(out, "list"), "w") as f:
        f.write("\n".join(files) + "\n")
    print(out)
elif kind == "wts":
    d = os.path.join(out, "wts")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump({"name": "generated"}, f)
    for i in range(n):
        with open(os.path.join(d, f"t{i:07d}.wasm"), "wb") as f:
            f.write(b"\0asm\1\0\0\0")
        with open(os.path.join(d, f"t{i:07d}.json"), "w") as f:
            json.dump({"args": [str(i)], "env": {"A": str(i)}, "exit_code": 0}, f)
    print(d)
elif kind == "baseline":
    # a results file of N failing tests on runtime 'node' and a baseline directory
    # (DIR/bl/node.yaml) with an exact entry for each (in reverse order) and 10 globs
    # matching none; for `wasmatrix update-baseline DIR/results.json --baseline DIR/bl`
    tests = [{"id": f"gen/t{i:07d}", "suite": "gen", "name": f"t{i:07d}"} for i in range(n)]
    results = [{"test": t["id"], "runtime": "node", "outcome": "fail", "reason": f"generated {i}",
                "ran": True, "duration": 0.1} for i, t in enumerate(tests)]
    doc = {"schema": "wasmatrix-results", "version": 1,
           "tool": {"name": "wasmatrix", "version": "0.1.0"}, "run": {"id": "gen"},
           "runtimes": [{"name": "node", "version": "20.0.0", "available": True}],
           "suites": [{"name": "gen", "kind": "yaml"}], "tests": tests, "results": results}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(doc, f)
    os.makedirs(os.path.join(out, "bl"), exist_ok=True)
    with open(os.path.join(out, "bl", "node.yaml"), "w") as f:
        f.write("runtime: node\nentries:\n")
        for i in range(10):
            f.write(f"  - test: \"gen/nomatch{i}-*\"\n    expect: fail\n    reason: generated glob\n")
        for i in reversed(range(n)):
            f.write(f"  - test: gen/t{i:07d}\n    expect: fail\n    reason: kept {i}\n")
    print(os.path.join(out, "results.json"))
elif kind == "dup-results":
    res = {"test": "s/a", "runtime": "node", "outcome": "pass", "ran": True, "duration": 0.1}
    doc = {"schema": "wasmatrix-results", "version": 1,
           "tool": {"name": "wasmatrix", "version": "0.1.0"}, "run": {"id": "gen"},
           "runtimes": [{"name": "node", "version": "1", "available": True}],
           "suites": [{"name": "s", "kind": "yaml"}],
           "tests": [{"id": "s/a", "suite": "s", "name": "a"}],
           "results": [res] * n}
    p = os.path.join(out, "dup.json")
    with open(p, "w") as f:
        json.dump(doc, f)
    print(p)
else:
    sys.exit(f"gen_suite.py: unknown kind {kind}")
