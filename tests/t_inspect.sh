# wasmatrix inspect: the static view of a module, and clear errors for malformed ones.
. "$(dirname "$0")/lib.sh"
F=$WM_ROOT/fixtures

expect_exit "inspect: a real module reads" 0 "$WM" inspect "$F/wasi-p1/sock.wasm"
grep -q 'wasi_snapshot_preview1 (14):.*sock_accept' "$T/out" && ok "inspect: imports grouped by module" || bad "inspect: imports grouped by module" "$(head -5 "$T/out")"

# features.wat uses many post-MVP features; each must be found, and nothing else
"$WM" inspect --format json "$F/check/features.wasm" > "$T/f.json" 2>"$T/err"
got=$(rq "$T/f.json" '",".join(sorted(r["features"]))')
want="bulk-memory,exceptions,extended-const,memory64,multi-memory,multi-value,mutable-globals,nontrapping-fptoint,reference-types,relaxed-simd,shared-memory,sign-ext,simd,tail-call,threads"
[ "$got" = "$want" ] && ok "inspect: every feature of features.wasm found" || bad "inspect: every feature of features.wasm found" "got $got"
[ "$(rq "$T/f.json" 'r["imports"]["env"][0]["mutable"], r["imports"]["wasi_unstable"][0]["name"], len(r["memories"]), r["memories"][0]["shared"], r["memories"][1]["memory64"]')" = "True fd_write 2 True True" ] \
	&& ok "inspect: json imports, memories, limits" || bad "inspect: json imports, memories, limits" "$(rq "$T/f.json" 'r["memories"]')"
"$WM" inspect "$F/check/simd.wasm" | grep -q '^  simd .*opcode 0xfd' && ok "inspect: SIMD found from its opcodes" || bad "inspect: SIMD found from its opcodes"
"$WM" inspect "$F/check/tailcall.wasm" | grep -q 'tail-call .*return_call' && ok "inspect: tail call found" || bad "inspect: tail call found"
"$WM" inspect "$F/check/hello.wasm" | grep -q 'none (MVP only)' && ok "inspect: an MVP module has no features" || bad "inspect: an MVP module has no features"

# components: header and sections
printf '\0asm\x0d\x00\x01\x00' > "$T/comp.wasm"
"$WM" inspect --format json "$T/comp.wasm" > "$T/c.json" 2>&1 && [ "$(rq "$T/c.json" 'r["kind"], r["layer"]')" = "component 1" ] \
	&& ok "inspect: a component is recognised" || bad "inspect: a component is recognised" "$(cat "$T/c.json")"

# malformed input: exit 2 with what and where
bad_module() {	# NAME BYTES-printf PATTERN
	printf "$2" > "$T/bad.wasm"
	"$WM" inspect "$T/bad.wasm" >"$T/out" 2>"$T/err"; local rc=$?
	if [ $rc = 2 ] && grep -q "$3" "$T/err"; then ok "inspect: $1"; else bad "inspect: $1" "exit $rc: $(cat "$T/err")"; fi
}
bad_module "not wasm" 'hello world' 'not a WebAssembly binary'
bad_module "truncated section" '\0asm\x01\0\0\0\x01\x10\x01' 'section 1 of 16 bytes runs past the end'
bad_module "LEB128 overflow" '\0asm\x01\0\0\0\x01\x06\xff\xff\xff\xff\xff\x01' 'integer too large'
bad_module "huge count" '\0asm\x01\0\0\0\x01\x05\xff\xff\xff\xff\x0f' 'type count 4294967295 exceeds'
# type () -> (), one function, body: 0xff (no such opcode) end
bad_module "unknown opcode" '\0asm\x01\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\xff\x0b' 'unknown opcode 0xff at offset 0x17 (function 0)'
bad_module "unknown SIMD opcode" '\0asm\x01\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x07\x01\x05\x00\xfd\x9a\x01\x0b' 'unknown opcode 0xfd 0x9a'
bad_module "body past its end" '\0asm\x01\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\x02\x40' 'unexpected end of function body'
bad_module "bad version" '\0asm\x02\0\0\0' 'unsupported binary version 2'
expect_exit "inspect: missing file is exit 2" 2 "$WM" inspect "$T/nope.wasm"
expect_exit "inspect: bad --format is exit 2" 2 "$WM" inspect --format xml "$F/check/hello.wasm"

# The formats are one table (reports/inspect_report.c, from INSPECT_FORMATS): --help lists
# each, each is accepted, and a bad --format names the same ones.
fmts=$("$WM" inspect --help | sed -n '/^formats:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
"$WM" inspect --format xml "$F/check/hello.wasm" 2>"$T/err"
named=$(sed -n "s/.*--format takes \(.*\), not 'xml'/\1/p" "$T/err" | sed 's/, / /g; s/ or / /' | tr -s ' ')
nok=0; for f in $fmts; do "$WM" inspect --format "$f" "$F/check/hello.wasm" >/dev/null 2>&1 || nok=$((nok + 1)); done
[ -n "$fmts" ] && [ $nok = 0 ] && [ "$named " = "$fmts" ] && ok "inspect: --help lists the formats ($fmts) that --format takes" \
	|| bad "inspect: formats of --help and --format" "help: '$fmts', error names: '$named', $nok refused"
# a view that cannot be written is not a success (exit 3, as for the reports)
if [ -w /dev/full ]; then
	"$WM" inspect --format json "$F/check/features.wasm" >/dev/full 2>"$T/err"; rc=$?
	[ $rc = 3 ] && grep -q "cannot write the json view" "$T/err" && ok "inspect: a view that cannot be written (/dev/full) is exit 3" \
		|| bad "inspect: write error" "exit $rc: $(cat "$T/err")"
else
	skip inspect-dev-full "no writable /dev/full to make a write fail"
fi
# names from the module and the path are made visible, never sent to the terminal raw:
# a custom section named "a ESC[2J" in a file whose name holds ESC]0;
p="$T/$(printf 'x\033]0;t').wasm"
printf '\0asm\1\0\0\0\0\6\5a\033[2J' > "$p"
"$WM" inspect "$p" > "$T/out" 2>&1
if ! grep -q "$(printf '\033')" "$T/out" && grep -qF 'a\x1b[2J' "$T/out" && grep -qF 'x\x1b]0;t.wasm' "$T/out"; then
	ok "inspect: terminal controls in names and the path are shown as \\x1b"
else bad "inspect: terminal controls" "$(cat -v "$T/out")"; fi

# every real module we have reads without error
n=0; fails=""
for f in $(find "$F" "$VENDOR/wasi-testsuite" -name '*.wasm' 2>/dev/null); do
	case $f in *not_a_module*) continue;; esac
	n=$((n + 1))
	"$WM" inspect "$f" >/dev/null 2>"$T/err" || fails="$fails $f: $(cat "$T/err")"
done
[ -z "$fails" ] && ok "inspect: all $n real modules read" || bad "inspect: real modules read" "$fails"
