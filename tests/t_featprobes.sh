# The feature probes (suites/features, docs/feature-probes.md): rebuilt byte for byte by the
# pinned wasm-tools, each passing on at least one installed runtime, a broken or cheating probe
# caught, the +flag variant run with the adapter's flag (visible in the command) or skipped,
# runtimes named by a variable carrying flags, and the results' feature/variant fields.
. "$(dirname "$0")/lib.sh"
S=$WM_ROOT/suites/features
RTDIR=${WASMATRIX_RUNTIMES_DIR:-$WM_ROOT/.runtimes/bin}
export WASMATRIX_RUNTIMES_DIR=$RTDIR

# ---- the committed .wasm are what the pinned wasm-tools makes of the .wat ----
WT=""
for c in "${WASMATRIX_TOOLS_DIR:-$WM_ROOT/.runtimes/tools}/wasm-tools" "$(command -v wasm-tools 2>/dev/null)"; do
	[ -n "$c" ] && [ -x "$c" ] && { WT=$c; break; }
done
if [ -z "$WT" ]; then
	skip "features: probes rebuild byte for byte" "wasm-tools not installed (scripts/install-tools.sh)"
	skip "features: a tampered probe .wasm is detected" "wasm-tools not installed (scripts/install-tools.sh)"
else
	check "features: probes rebuild byte for byte ($("$WT" --version))" make -s -C "$S" check WASM_TOOLS="$WT"
	cp -R "$S" "$T/tampered"
	python3 - "$T/tampered/probes/simd.wasm" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[-1] ^= 1; open(p, 'wb').write(b)
PY
	if make -s -C "$T/tampered" check WASM_TOOLS="$WT" >"$T/out" 2>&1; then
		bad "features: a tampered probe .wasm is detected" "check passed"
	elif grep -q "probes/simd.wasm differs" "$T/out"; then
		ok "features: a tampered probe .wasm is detected"
	else
		bad "features: a tampered probe .wasm is detected" "$(tail -3 "$T/out")"
	fi
fi

# ---- every probe passes on at least one installed runtime ----
# The runtimes in turn, each running only the probes no earlier one passed (fast: most pass
# on the first), until none is left.
"$WM" run --list "$S" >"$T/list" 2>&1 || bad "features: the suite loads" "$(head -3 "$T/list")"
want=$(awk '$1 == "test" && $2 !~ /\+flag$/ { sub(/^features\//, "", $2); print $2 }' "$T/list")
[ -n "$want" ] || bad "features: the suite lists its probes" "$(head -3 "$T/list")"
left=$want
ran_any=0
for rt in wasmtime deno wasmer node wasmi bun wazero iwasm wasmedge wasm3; do
	[ -z "$left" ] && break
	"$WM" runtimes 2>/dev/null | awk -v r="$rt" '$1 == r && $2 != "not" { f = 1 } END { exit !f }' || continue
	filt=$(printf '%s\n' $left | sed 's/.*/&,&+flag/' | paste -sd, -)
	"$WM" run --runtime "$rt" --filter "$filt" --out "$T/p-$rt" "$S" >/dev/null 2>&1
	[ -f "$T/p-$rt/results.json" ] || continue
	ran_any=1
	passed=$(rq "$T/p-$rt/results.json" "'\n'.join(sorted({x['test'].split('/',1)[1].removesuffix('+flag') for x in r['results'] if x['outcome'] == 'pass'}))")
	left=$(comm -23 <(printf '%s\n' $left | sort) <(printf '%s\n' $passed | sort))
	echo "    $rt: $(printf '%s\n' $passed | grep -c .) probes pass"
done
if [ "$ran_any" = 0 ]; then
	skip "features: every probe passes on an installed runtime" "no runtime installed (make runtimes)"
elif [ -z "$left" ]; then
	ok "features: every probe passes on at least one installed runtime ($(printf '%s\n' $want | grep -c .) probes)"
else
	# documented: which runtime each needs (docs/feature-probes.md)
	skip "features: every probe passes on an installed runtime" "no installed runtime passes: $(echo $left) (see docs/feature-probes.md for which runtime runs each)"
fi

# ---- a broken probe is caught ----
WASMTIME_OK=0
"$WM" runtimes 2>/dev/null | awk '$1 == "wasmtime" && $2 != "not" { f = 1 } END { exit !f }' && WASMTIME_OK=1
mkdir -p "$T/broken"
cp "$S/probes/simd.wasm" "$S/probes/multi-value.wasm" "$T/broken/"
cat > "$T/broken/suite.yaml" <<'EOF'
name: broken
tests:
  - name: simd-wrong-expectation
    module: simd.wasm
    feature: simd
    expect: {stdout: "simd: 11 22 33 44 10 40 90 160 44 33 22 11 2 3 4 5 126\n"}
EOF
if [ "$WASMTIME_OK" = 1 ]; then
	"$WM" run --runtime wasmtime --out "$T/broken-out" "$T/broken" >/dev/null 2>&1
	check "features: a probe with a wrong expected output fails" \
		test "$(outcome "$T/broken-out/results.json" broken/simd-wrong-expectation wasmtime)" = fail
else
	skip "features: a probe with a wrong expected output fails" "wasmtime not installed"
fi
# a probe that prints the right text without using its feature (SIMD edited out) is refused
# before anything runs: the module reader finds no SIMD in it
if command -v wat2wasm >/dev/null 2>&1; then
	cat > "$T/broken/cheat.wat" <<'EOF'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "simd: 11 22 33 44 10 40 90 160 44 33 22 11 2 3 4 5 127\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 56))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
EOF
	wat2wasm -o "$T/broken/cheat.wasm" "$T/broken/cheat.wat"
	cat > "$T/broken/suite.yaml" <<'EOF'
name: broken
tests:
  - name: simd-cheat
    module: cheat.wasm
    feature: simd
    expect: {stdout: "simd: 11 22 33 44 10 40 90 160 44 33 22 11 2 3 4 5 127\n"}
EOF
	"$WM" run --list --color never "$T/broken" >"$T/out" 2>"$T/err"; rc=$?
	if [ $rc = 2 ] && grep -q "suite.yaml:5:14: error: test 'simd-cheat' measures simd, but its module cheat.wasm does not use it" "$T/err"; then
		ok "features: a probe whose feature use was removed is refused (file:line:col)"
	else
		bad "features: a probe whose feature use was removed is refused (file:line:col)" "exit $rc: $(head -2 "$T/err")"
	fi
else
	skip "features: a probe whose feature use was removed is refused" "wat2wasm missing (make deps)"
fi

# ---- the flag variant: with the adapter's flag, or a skip naming the adapter ----
if [ "$WASMTIME_OK" = 1 ]; then
	"$WM" run --runtime wasmtime,wasmi --filter 'threads,threads+flag' --out "$T/flag" "$S" >/dev/null 2>&1
	cmd=$(rq "$T/flag/results.json" "[x['command'] for x in r['results'] if x['test'] == 'features/threads+flag' and x['runtime'] == 'wasmtime'][0]")
	case $cmd in
	*" run -W threads=y,shared-memory=y "*) ok "features: threads+flag runs wasmtime with its flag (-W threads=y,shared-memory=y)" ;;
	*) bad "features: threads+flag runs wasmtime with its flag" "command: $cmd" ;;
	esac
	check "features: threads+flag passes on wasmtime" test "$(outcome "$T/flag/results.json" features/threads+flag wasmtime)" = pass
	dcmd=$(rq "$T/flag/results.json" "[x['command'] for x in r['results'] if x['test'] == 'features/threads' and x['runtime'] == 'wasmtime'][0]")
	case $dcmd in
	*threads=y*) bad "features: the default variant runs without the flag" "command: $dcmd" ;;
	*) ok "features: the default variant runs without the flag" ;;
	esac
	fields=$(rq "$T/flag/results.json" "sorted((t['id'], t.get('feature'), t.get('variant')) for t in r['tests'])")
	check "features: results.json tests[] carry feature and variant" \
		test "$fields" = "[('features/threads', 'threads', 'default'), ('features/threads+flag', 'threads', 'flag')]"
	check "features: results.json with feature/variant reads back (report)" \
		"$WM" report "$T/flag/results.json" --format md --out "$T/flag-report"
	if "$WM" runtimes 2>/dev/null | awk '$1 == "wasmi" && $2 != "not" { f = 1 } END { exit !f }'; then
		why=$(rq "$T/flag/results.json" "[x['outcome'] + ': ' + (x.get('reason') or '') for x in r['results'] if x['test'] == 'features/threads+flag' and x['runtime'] == 'wasmi'][0]")
		check "features: threads+flag is a skip on wasmi, which declares no flag" \
			test "$why" = "skip: wasmi declares no flag for threads (runners/wasmi.yaml features:)"
	else
		skip "features: threads+flag is a skip where no flag is declared" "wasmi not installed"
	fi
else
	for n in "threads+flag runs wasmtime with its flag" "the default variant runs without the flag" "results.json tests[] carry feature and variant"; do
		skip "features: $n" "wasmtime not installed"
	done
fi

# ---- a runtime's variable may carry flags, split like a shell (no expansion, no globbing) ----
if [ "$WASMTIME_OK" = 1 ]; then
	W=$("$WM" runtimes 2>/dev/null | awk '$1 == "wasmtime" { print $3 }')
	WASMTIME="$W -W 'threads=y,shared-memory=y'" "$WM" run --runtime wasmtime --filter threads --out "$T/env" "$S" >/dev/null 2>&1
	check "features: WASMTIME=\"wasmtime -W 'threads=y,shared-memory=y'\" runs the threads probe" \
		test "$(outcome "$T/env/results.json" features/threads wasmtime)" = pass
	# "..." groups and takes \", \\ and \$; a bare \ takes the next character; nothing is
	# expanded or globbed (the command shows the word shell-quoted)
	WASMTIME="$W \"-W\" thr\\eads=y,\"shared-memory=y\" -W \"max-memory-size=\\\$X*\"" \
		"$WM" run --runtime wasmtime --filter threads --out "$T/env2" "$S" >/dev/null 2>&1
	cmd=$(rq "$T/env2/results.json" "r['results'][0]['command']")
	case $cmd in
	*" run -W threads=y,shared-memory=y -W 'max-memory-size=\$X*' "*) ok "features: the variable's words are split as a shell would, nothing expanded" ;;
	*) bad "features: the variable's words are split as a shell would, nothing expanded" "command: $cmd" ;;
	esac
	# a backslash-newline joins lines and makes no word of its own
	WASMTIME="$W"$' \\\n -W threads=y,shared-memory=y' "$WM" run --runtime wasmtime --filter threads --out "$T/env4" "$S" >/dev/null 2>&1
	cmd=$(rq "$T/env4/results.json" "r['results'][0]['command']")
	case $cmd in
	*" run -W threads=y,shared-memory=y -C "*) ok "features: a backslash-newline in the variable joins its lines" ;;
	*) bad "features: a backslash-newline in the variable joins its lines" "command: $cmd" ;;
	esac
	for v in "$W -W 'threads=y" "$W -W \"threads=y" "$W \\" "   "; do
		WASMTIME="$v" "$WM" runtimes >"$T/out" 2>&1
		if grep -qE "^wasmtime +not found +\\\$WASMTIME='.*' cannot be split into a command: (the (single|double) quote at character [0-9]+ is not closed|it ends in a backslash that escapes nothing|it names no executable)" "$T/out"; then
			ok "features: WASMTIME=[$v] is refused with a clear reason"
		else
			bad "features: WASMTIME=[$v] is refused with a clear reason" "$(grep wasmtime "$T/out")"
		fi
	done
	WASMTIME="$W" "$WM" run --runtime wasmtime --filter threads --out "$T/env3" "$S" >/dev/null 2>&1
	check "features: WASMTIME=<path> alone still works (no flags: threads refused by default)" \
		test "$(outcome "$T/env3/results.json" features/threads wasmtime)" = unsupported
else
	skip "features: a runtime variable carrying flags" "wasmtime not installed"
fi

# ---- the feature keys are keys of the claims table (once it is vendored) ----
CLAIMS=${WM_CLAIMS:-$VENDOR/webassembly-features/features.json}
if [ -f "$CLAIMS" ]; then
	unknown=$(python3 - "$CLAIMS" "$S/suite.yaml" "$WM_ROOT"/runners/*.yaml <<'PY'
import json, re, sys
keys = set(json.load(open(sys.argv[1]))['features'])
used = set()
for f in sys.argv[2:]:
    infeat = False
    for l in open(f):
        m = re.match(r'\s+feature: (\w+)', l)
        if m: used.add(m.group(1))
        if re.match(r'features:', l): infeat = True; continue
        if infeat:
            m = re.match(r'  (\w+):', l)
            if m: used.add(m.group(1))
            elif not l.startswith(' ') and l.strip(): infeat = False
print(' '.join(sorted(used - keys)))
PY
)
	check "features: every feature key (suite, adapters) is a key of features.json" test -z "$unknown"
else
	skip "features: feature keys are keys of features.json" "vendor/webassembly-features/features.json not vendored yet"
fi
