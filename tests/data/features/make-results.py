#!/usr/bin/env python3
# Writes results.json beside this file: a hand-made run of feature probes (the shape
# suites/features writes: tests[].feature and .variant, a "+flag" twin per probe) built so
# that, against the vendored claims, every kind of cell and of disagreement appears once or
# more (tests/t_featmatrix.sh asserts each cell). Edit the table and rerun to change it.
import json, os

RTS = [("node", "20.20.2", True), ("wasmtime", "49.0.3", True), ("wazero", "1.12.0", True),
       ("wasmi", "v0.40.0", True), ("bun", "1.4.5", True), ("wasm3", "", False)]
P, U, F, C, T, S = "pass", "unsupported", "fail", "crash", "timeout", "skip"
# feature: (default probes, {runtime: (default outcome per probe, flag outcome)})
FEATS = {
    "simd": (["simd-lanes", "simd-shuffle"], {"node": ([P, P], S), "wasmtime": ([P, P], S), "wazero": ([P, P], S),
                                              "wasmi": ([P, P], S), "bun": ([P, F], S)}),
    "gc": (["gc-struct"], {"node": ([U], S), "wasmtime": ([U], P), "wazero": ([U], S), "wasmi": ([P], S), "bun": ([U], S)}),
    "tailCall": (["tail-call"], {"node": ([F], S), "wasmtime": ([P], S), "wazero": ([P], P), "wasmi": ([C], S),
                                 "bun": ([T], S)}),
    "threads": (["threads-atomics"], {"node": ([S], S), "wasmtime": ([T], S), "wazero": ([U], P), "wasmi": ([P], S),
                                      "bun": ([P], S)}),
    "wideArithmetic": (["wide-arith"], {"node": ([U], S), "wasmtime": ([U], U), "wazero": ([P], S), "wasmi": ([U], S),
                                        "bun": ([U], S)}),
    "fancyThing": (["fancy"], {"node": ([P], S), "wasmtime": ([U], S), "wazero": ([U], S), "wasmi": ([U], S),
                               "bun": ([U], S)}),
    "signExtensions": (["sign-ext"], {"node": ([P], S), "wasmtime": ([P], S), "wazero": ([P], S), "wasmi": ([P], S),
                                      "bun": ([P], S)}),
}
REASON = {U: "the runtime refused the module", F: "stdout differs", C: "killed by SIGSEGV", T: "no exit within 10 s"}


def result(tid, rt, o, feat, flag):
    r = {"test": tid, "runtime": rt, "outcome": o, "reason": REASON.get(o), "ran": o != S, "duration": 0.01,
         "stderr": ""}
    if o == U:
        r["stderr"] = "\n%s: error: %s is not enabled\nmore detail\n" % (rt, feat)
    if o == S:
        r["reason"] = ("%s declares no flag for %s (runners/%s.yaml features:)" % (rt, feat, rt)) if flag \
            else "requires wasi-threads"
    return r


tests, results, line = [], [], 3
for feat, (probes, outs) in FEATS.items():
    for i, p in enumerate(probes):
        for flag in (False, True):
            tid = "features/" + p + ("+flag" if flag else "")
            tests.append({"id": tid, "suite": "features", "name": tid.split("/")[1], "file": "suites/features/suite.yaml",
                          "line": line, "feature": feat, "variant": "flag" if flag else "default"})
            for rt, _, there in RTS:
                if not there:
                    results.append({"test": tid, "runtime": rt, "outcome": S, "reason": "runtime not found",
                                    "ran": False, "duration": 0})
                    continue
                d, fl = outs[rt]
                results.append(result(tid, rt, fl if flag else d[i], feat, flag))
        line += 4
head = {"run": {"id": "feat-1", "started": "2026-11-30T20:00:00Z", "duration": 3.0},
        "runtimes": [{"name": n, "version": v if a else None, "available": a} for n, v, a in RTS],
        "suites": [{"name": "features", "path": "suites/features/suite.yaml", "kind": "yaml", "tests": len(tests)}]}
lines = lambda xs: ",\n  ".join(json.dumps(x) for x in xs)
out = ('{"schema": "wasmatrix-results", "version": 1,\n "tool": {"name": "wasmatrix", "version": "0.1.0"},\n'
       ' "run": %s,\n "runtimes": [\n  %s],\n "suites": %s,\n "tests": [\n  %s],\n "results": [\n  %s]}\n'
       % (json.dumps(head["run"]), lines(head["runtimes"]), json.dumps(head["suites"]), lines(tests), lines(results)))
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json"), "w").write(out)
