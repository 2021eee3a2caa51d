#!/usr/bin/env python3
"""WASI preview1 coverage of the wasi-p1 suite, computed from the suite's tags.

    python3 scripts/coverage.py            # write docs/wasi-p1-coverage.md
    python3 scripts/coverage.py --check    # fail if that file is stale (for CI / make test)

Exit status: 0 when every one of the 46 wasi_snapshot_preview1 functions has a success case and
an error case (or a documented reason why no error case can exist), 1 when one is missing or
the committed table is stale, 2 when the suite breaks the conventions below.

Conventions (also stated in the generated document and in the suite's header):
  - a test is named <function>.<case>, <function> being the preview1 function under test;
  - `tags` name the preview1 functions whose behaviour the test's checks depend on;
  - an error case carries the tag `error`; it is an error case for its <function> only (the
    other functions it tags are set-up steps that must succeed);
  - a success case (no `error` tag) is a success case for every function it tags: all of them
    must return success for the test to pass.
Needs PyYAML (Debian: python3-yaml, installed by scripts/deps.sh).
"""
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = os.path.join(ROOT, "suites", "wasi-p1", "suite.yaml")
DOC = os.path.join(ROOT, "docs", "wasi-p1-coverage.md")

# The 46 functions of wasi_snapshot_preview1, in witx order
# (WebAssembly/WASI legacy/preview1/witx/wasi_snapshot_preview1.witx).
FUNCTIONS = """
args_get args_sizes_get environ_get environ_sizes_get clock_res_get clock_time_get
fd_advise fd_allocate fd_close fd_datasync fd_fdstat_get fd_fdstat_set_flags
fd_fdstat_set_rights fd_filestat_get fd_filestat_set_size fd_filestat_set_times fd_pread
fd_prestat_get fd_prestat_dir_name fd_pwrite fd_read fd_readdir fd_renumber fd_seek fd_sync
fd_tell fd_write path_create_directory path_filestat_get path_filestat_set_times path_link
path_open path_readlink path_remove_directory path_rename path_symlink path_unlink_file
poll_oneoff proc_exit proc_raise sched_yield random_get sock_accept sock_recv sock_send
sock_shutdown
""".split()
assert len(FUNCTIONS) == 46 and len(set(FUNCTIONS)) == 46

# Functions for which the specification leaves nothing to fail.
NO_ERROR_CASE = {
    "proc_exit": "`noreturn` with no error result; every exit code is valid "
                 "('The meanings of other values is dependent on the environment')",
    "sched_yield": "takes no argument and the witx defines no failure",
}

LABELS = {"error"}  # tags that are not function names
QUIET_REQUIRES = {"dirs", "dir-remap"}  # needed by every /sandbox test; stated once in the doc


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    tests = doc.get("tests") if isinstance(doc, dict) else None
    if not isinstance(tests, list):
        raise SystemExit("%s: no `tests` list" % path)
    return tests


def analyse(tests):
    problems = []
    success = {f: [] for f in FUNCTIONS}
    errors = {f: [] for f in FUNCTIONS}
    setup = {f: [] for f in FUNCTIONS}
    for t in tests:
        name = str(t.get("name", ""))
        tags = t.get("tags") or []
        func = name.split(".", 1)[0]
        if func not in FUNCTIONS:
            problems.append("%s: name does not start with a preview1 function" % name)
            continue
        if func not in tags:
            problems.append("%s: its function %s is not in its tags" % (name, func))
        for tag in tags:
            if tag not in FUNCTIONS and tag not in LABELS:
                problems.append("%s: tag %r is neither a preview1 function nor one of %s"
                                % (name, tag, sorted(LABELS)))
        notes = []
        req = [r for r in t.get("requires") or [] if r not in QUIET_REQUIRES]
        if req:
            notes.append("requires " + ", ".join(req))
        if t.get("skip"):
            notes.append("skipped")
        if (t.get("expect") or {}).get("trap"):
            notes.append("must trap")
        entry = (name, notes)
        if "error" in tags:
            errors[func].append(entry)
            for tag in tags:
                if tag in FUNCTIONS and tag != func:
                    setup[tag].append(entry)
        else:
            for tag in tags:
                if tag in FUNCTIONS:
                    success[tag].append(entry)
    for f in FUNCTIONS:  # the function's own tests first, then those using it
        success[f].sort(key=lambda e: not e[0].startswith(f + "."))
    return problems, success, errors, setup


def cell(entries, limit=None):
    if not entries:
        return "—"
    shown = entries if limit is None else entries[:limit]
    out = []
    for name, notes in shown:
        out.append("`%s`%s" % (name, " (%s)" % "; ".join(notes) if notes else ""))
    if limit is not None and len(entries) > limit:
        out.append("+%d more" % (len(entries) - limit))
    return "<br>".join(out)


def render(tests, success, errors, setup):
    n_succ = sum(1 for f in FUNCTIONS if success[f])
    n_err = sum(1 for f in FUNCTIONS if errors[f])
    n_exempt = sum(1 for f in FUNCTIONS if not errors[f] and f in NO_ERROR_CASE)
    L = []
    L.append("# WASI preview1 coverage of `suites/wasi-p1`")
    L.append("")
    L.append("Generated by `python3 scripts/coverage.py` from the tags of `suites/wasi-p1/suite.yaml`; "
             "do not edit by hand (`--check` fails when this file is stale).")
    L.append("")
    L.append("- Functions: the 46 of `wasi_snapshot_preview1` "
             "(WebAssembly/WASI `legacy/preview1/witx/wasi_snapshot_preview1.witx`).")
    L.append("- **Success case**: a test without the `error` tag. It counts for every function it tags, "
             "since each of them must return success for the test to print `ok`.")
    L.append("- **Error case**: a test tagged `error`, named `<function>.<case>`. It counts for "
             "`<function>` only; any other function it tags is a set-up step that must succeed "
             "(listed in the last column). `<case>` is the errno the spec requires (`badf`, `noent`, ...) "
             "or `oob` for an out-of-bounds pointer, which must trap (witx-docs.md, Pointers).")
    L.append("- Requirements shown are those beyond `dirs` and `dir-remap`, which every test using "
             "the `/sandbox` preopen (guest path `/sandbox`, host copy of `fixtures/wasi-p1/tree`) has.")
    L.append("- Not tagged: every test with the `/sandbox` preopen finds it with `fd_prestat_get` and "
             "`fd_prestat_dir_name`, and every test prints its result line with `fd_write`.")
    L.append("")
    L.append("**%d/46** functions have a success case; **%d/46** have an error case%s. %d tests in all."
             % (n_succ, n_err,
                " and %d cannot have one (see the table)" % n_exempt if n_exempt else "",
                len(tests)))
    L.append("")
    L.append("| function | success cases | error cases | also a set-up step in |")
    L.append("|---|---|---|---|")
    for f in FUNCTIONS:
        err = cell(errors[f])
        if not errors[f] and f in NO_ERROR_CASE:
            err = "none possible: " + NO_ERROR_CASE[f]
        L.append("| `%s` | %s | %s | %s |" % (f, cell(success[f], 6), err, cell(setup[f], 4)))
    L.append("")
    return "\n".join(L)


def main(argv):
    check = "--check" in argv[1:]
    tests = load(SUITE)
    problems, success, errors, setup = analyse(tests)
    for p in problems:
        print("coverage: %s: %s" % (os.path.relpath(SUITE, ROOT), p), file=sys.stderr)
    if problems:
        return 2
    text = render(tests, success, errors, setup)
    status = 0
    for f in FUNCTIONS:
        if not success[f]:
            print("coverage: %s has no success case" % f, file=sys.stderr)
            status = 1
        if not errors[f] and f not in NO_ERROR_CASE:
            print("coverage: %s has no error case" % f, file=sys.stderr)
            status = 1
    rel = os.path.relpath(DOC, ROOT)
    if check:
        try:
            with open(DOC, encoding="utf-8") as fh:
                current = fh.read()
        except OSError:
            current = None
        if current != text:
            print("coverage: %s is stale; run python3 scripts/coverage.py" % rel, file=sys.stderr)
            status = 1
    else:
        with open(DOC, "w", encoding="utf-8") as fh:
            fh.write(text)
    if status == 0:
        print("coverage: 46/46 preview1 functions have success and error cases (%s%s)"
              % (rel, " up to date" if check else " written"))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
