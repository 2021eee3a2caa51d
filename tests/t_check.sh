# wasmatrix check: verdicts and stated causes on the installed runtimes, for the fixture
# modules in fixtures/check/ whose divergences are known in advance (see their comments).
. "$(dirname "$0")/lib.sh"
F=$WM_ROOT/fixtures/check

# usage and input errors come first: they need no runtime
expect_exit "check: not a module is exit 2" 2 "$WM" check "$WM_ROOT/fixtures/calibration/data/not_a_module.wasm"
expect_exit "check: missing module is exit 2" 2 "$WM" check "$T/nope.wasm"
expect_exit "check: bad --dir is exit 2" 2 "$WM" check --dir "$T/nope:/x" "$F/hello.wasm"
expect_exit "check: bad --env is exit 2" 2 "$WM" check --env NOEQUALS "$F/hello.wasm"
expect_exit "check: unknown runtime is exit 2" 2 "$WM" check --runtime wasmtiem "$F/hello.wasm"
grep -q "did you mean 'wasmtime'" "$T/err" && ok "check: unknown runtime suggests one" || bad "check: unknown runtime suggests one" "$(cat "$T/err")"
expect_exit "check: bad --format is exit 2" 2 "$WM" check --format xml "$F/hello.wasm"
expect_exit "check: one runtime is exit 3" 3 "$WM" check --runtime node "$F/hello.wasm"
# The formats are one table (reports/check_report.c, from CHECK_FORMATS): --help lists each,
# each is accepted (the one runtime is then what stops it, exit 3), a bad one names the same.
fmts=$("$WM" check --help | sed -n '/^formats:/,/^[^ ]/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
"$WM" check --format xml "$F/hello.wasm" 2>"$T/err"
named=$(sed -n "s/.*--format takes \(.*\), not 'xml'/\1/p" "$T/err" | sed 's/, / /g; s/ or / /' | tr -s ' ')
nok=0; for f in $fmts; do "$WM" check --format "$f" --runtime node "$F/hello.wasm" >/dev/null 2>&1; [ $? = 3 ] || nok=$((nok + 1)); done
[ -n "$fmts" ] && [ $nok = 0 ] && [ "$named " = "$fmts" ] && ok "check: --help lists the formats ($fmts) that --format takes" \
	|| bad "check: formats of --help and --format" "help: '$fmts', error names: '$named', $nok refused"

# the runtimes whose behaviour on these modules is known; others are left out so that a
# newly installed runtime does not change the verdicts asserted here
avail=$("$WM" runtimes --json | python3 -c 'import json,sys; print(" ".join(r["name"] for r in json.load(sys.stdin) if r["available"]))')
has() { case " $avail " in *" $1 "*) return 0;; esac; return 1; }
R=""
for r in bun deno node wasmi wasmtime wazero; do has $r && R="$R${R:+,}$r"; done
if [ "$(echo "$R" | tr ',' '\n' | grep -c .)" -lt 2 ]; then
	skip check-runtimes "fewer than two of bun, deno, node, wasmi, wasmtime, wazero installed (make runtimes)"; exit 0
fi
check_json() {	# NAME MODULE [ARGS...] -> $T/NAME.json, exit code in $rc
	local n=$1 m=$2; shift 2
	"$WM" check --runtime "$R" --format json "$@" "$m" > "$T/$n.json" 2>"$T/$n.err"; rc=$?
}
# cause RUNTIME KIND FILE -> the detail of that runtime's first cause of that kind, or ""
cause() { python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[3]))
for g in r["groups"]:
    for d in g["divergences"]:
        if d["runtime"] == sys.argv[1]:
            for c in d["causes"]:
                if c["kind"] == sys.argv[2]:
                    print(c["detail"]); sys.exit(0)
PY
}
majority() { rq "$1" '",".join(r["groups"][0]["runtimes"])'; }

check_json hello "$F/hello.wasm"
[ $rc = 0 ] && [ "$(rq "$T/hello.json" 'r["verdict"]')" = portable ] && ok "check: hello is portable (exit 0)" \
	|| bad "check: hello is portable (exit 0)" "exit $rc: $(head -c 300 "$T/hello.err")"
"$WM" check --runtime "$R" --color never "$F/hello.wasm" | grep -q '^PORTABLE: the' && ok "check: text verdict PORTABLE" || bad "check: text verdict PORTABLE"
# a report that cannot be written is said so; the verdict (the exit code) stands
if [ -w /dev/full ]; then
	"$WM" check --runtime "$R" --format json -o /dev/full "$F/hello.wasm" >/dev/null 2>"$T/err"; rc=$?
	[ $rc = 0 ] && grep -q "cannot write.*/dev/full" "$T/err" && ok "check: a report that cannot be written is reported, the verdict stands" \
		|| bad "check: write error" "exit $rc: $(cat "$T/err")"
else
	skip check-dev-full "no writable /dev/full to make a write fail"
fi

if has wasmtime && has node; then
	check_json exit200 "$F/exit200.wasm"
	[ $rc = 1 ] && ok "check: exit 200 is not portable (exit 1)" || bad "check: exit 200 is not portable (exit 1)" "exit $rc"
	case ",$(majority "$T/exit200.json")," in *,node,*) ok "check: exit 200: node in the majority";; *) bad "check: exit 200: node in the majority" "$(majority "$T/exit200.json")";; esac
	cause wasmtime exit-code-range "$T/exit200.json" | grep -q 'exit_passthrough_max: 125' \
		&& ok "check: exit 200: wasmtime's cause is its exit code range" || bad "check: exit 200: wasmtime's cause is its exit code range" "$(cat "$T/exit200.json" | head -c 2000)"
fi
if has wazero; then
	check_json tailcall "$F/tailcall.wasm"
	[ $rc = 1 ] && cause wazero feature "$T/tailcall.json" | grep -q 'does not support tail calls.*return_call' \
		&& ok "check: tail call: wazero lacks the feature" || bad "check: tail call: wazero lacks the feature" "exit $rc"
fi
if has bun; then
	check_json sock "$F/sock_accept.wasm"
	[ $rc = 1 ] && cause bun missing-import "$T/sock.json" | grep -q 'does not provide the import wasi_snapshot_preview1.sock_accept' \
		&& ok "check: sock_accept: bun lacks the import" || bad "check: sock_accept: bun lacks the import" "exit $rc"
	[ "$(rq "$T/sock.json" '[g["behaviour"]["state"] for g in r["groups"] if "bun" in g["runtimes"]][0]')" = refused ] \
		&& ok "check: sock_accept: bun refused" || bad "check: sock_accept: bun refused"
fi
if has wasmtime && has node; then
	check_json readdir "$F/readdir.wasm" --dir "$F/tree:/sandbox"
	[ $rc = 1 ] && cause wasmtime wasi-behaviour "$T/readdir.json" | grep -q "fd_readdir" \
		&& ok "check: readdir: the dot entries differ" || bad "check: readdir: the dot entries differ" "exit $rc"
	rq "$T/readdir.json" '[d["diff"] for g in r["groups"] for d in g["divergences"] if d["runtime"]=="wasmtime"][0]' | grep -q '^+\.\.$' \
		&& ok "check: readdir: the diff shows '..'" || bad "check: readdir: the diff shows '..'"
	[ "$(rq "$T/readdir.json" '[x["skipped"] is not None for x in r["runtimes"] if x["name"]=="wasmi"] or ["none"]')" != "[False]" ] \
		&& ok "check: readdir: wasmi (same-path preopens only) is skipped" || bad "check: readdir: wasmi is skipped"
	# fixtures are never written: the tree is unchanged
	[ "$(ls -a "$F/tree" | tr '\n' ' ')" = ". .. a.txt sub " ] && ok "check: fixture tree untouched" || bad "check: fixture tree untouched"

	# --matrix: a results file recording this module's divergence on wasmtime
	# (a complete, valid results file: --matrix goes through the validating reader)
	python3 "$WM_ROOT/bench/gen_results.py" "$T/gen.json" 1 1 >/dev/null
	python3 - "$F/exit200.wasm" "$T/gen.json" > "$T/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
d["runtimes"][0].update(name="wasmtime")
d["suites"] = [dict(d["suites"][0], name="portability")]
d["tests"][0].update(id="portability/exit-200", suite="portability", name="exit-200", module=sys.argv[1], tags=[])
d["results"][0].update(test="portability/exit-200", runtime="wasmtime", outcome="unsupported",
                       reason="exit code 200 expected, but wasmtime reports guest exit codes above 125 differently")
print(json.dumps(d))
PY
	check_json matrix "$F/exit200.wasm" --matrix "$T/results.json"
	cause wasmtime matrix "$T/matrix.json" | grep -q 'test portability/exit-200 (this module) was unsupported on wasmtime' \
		&& ok "check: --matrix explains from suite results" || bad "check: --matrix explains from suite results" "exit $rc $(cat "$T/matrix.err")"
	echo '{"schema": "other"}' > "$T/bad.json"
	expect_exit "check: --matrix with a foreign file is exit 2" 2 "$WM" check --runtime "$R" --matrix "$T/bad.json" "$F/hello.wasm"
	# every malformed results file of the corpus: file:line:col error and exit 2, as `report` says
	n=0; nbad=0
	while IFS=$'\t' read -r f pos msg; do
		case "$f" in '#'*|'') continue ;; esac
		n=$((n + 1))
		"$WM" check --runtime "$R" --matrix "$WM_ROOT/tests/bad-results/$f" "$F/hello.wasm" >/dev/null 2>"$T/err"; rc=$?
		[ $rc = 2 ] && grep -qF "tests/bad-results/$f:$pos: error: " "$T/err" && grep -qF "$msg" "$T/err" || { nbad=$((nbad + 1)); echo "    $f: exit $rc $(head -1 "$T/err")"; }
	done < "$WM_ROOT/tests/bad-results/EXPECT"
	[ $n -gt 10 ] && [ $nbad = 0 ] && ok "check --matrix: all $n malformed results files rejected with file:line:col, exit 2" || bad "check --matrix on bad results" "$nbad of $n accepted or without position"

	# HTML: self-contained
	"$WM" check --runtime "$R" --format html -o "$T/r.html" "$F/exit200.wasm" 2>/dev/null
	if grep -q '<style>' "$T/r.html" && grep -q 'NOT PORTABLE' "$T/r.html" && ! grep -Eq '<link|<script src|<img' "$T/r.html"; then
		ok "check: html is self-contained"; else bad "check: html is self-contained"; fi
	command -v xmllint >/dev/null && { xmllint --html --noout "$T/r.html" 2>"$T/x" && [ ! -s "$T/x" ] && ok "check: html parses cleanly" || bad "check: html parses cleanly" "$(head -3 "$T/x")"; }
fi
# args, env and stdin reach the guest the same way on every runtime
if [ -f "$WM_ROOT/fixtures/calibration/args.wasm" ]; then
	"$WM" check --runtime "$R" --format json "$WM_ROOT/fixtures/calibration/args.wasm" -- one "two words" > "$T/args.json" 2>/dev/null
	rq "$T/args.json" 'r["groups"][0]["behaviour"]["stdout"]' | grep -q 'two words' && ok "check: guest args after --" || bad "check: guest args after --" "$(rq "$T/args.json" 'r["groups"][0]["behaviour"]')"
fi
