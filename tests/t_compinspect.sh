# Components seen from outside: `inspect` on a component (its imports and exports by
# interface and version, world, WASI version, nested core modules; hostile binaries), `check`
# and `run` on runtimes that cannot load components (their own message as the reason), and
# the WASI version as a dimension of the reports (results.json, summary.md, JUnit, HTML).
. "$(dirname "$0")/lib.sh"
F=$WM_ROOT/fixtures
D=$WM_ROOT/tests/data/components
P3=$VENDOR/wasi-testsuite/rust/testsuite/wasm32-wasip3
have_rt() { "$WM" runtimes 2>/dev/null | grep -q "^$1 .*/"; }

# 1. hand-made components (tests/data/components/gen.py): the committed copies are its output
python3 "$D/gen.py" "$T/gen" && n=0 && for f in "$T"/gen/*.wasm; do cmp -s "$f" "$D/$(basename "$f")" || n=$((n + 1)); done
[ "$n" = 0 ] && ok "compinspect: tests/data/components holds gen.py's output" || bad "compinspect: gen.py output" "$n files differ: run python3 tests/data/components/gen.py tests/data/components"

"$WM" inspect "$D/p2-command.wasm" >"$T/p2" 2>&1
grep -q '^wasi: 0.2 (wasi: interfaces at 0.2.3)$' "$T/p2" && grep -q '^world: wasi:cli/command (it exports wasi:cli/run@0.2.3)$' "$T/p2" \
	&& ok "inspect: a 0.2 command: its WASI version and world" || bad "inspect: p2 version/world" "$(head -4 "$T/p2")"
# the imported instance's members come from its instance type; the exported instance's from
# the nested component it instantiates (an instance index space followed through 3 sections)
grep -q '^  wasi:cli/environment@0.2.3 (instance): get-arguments, thing (type)$' "$T/p2" &&
	grep -q '^  wasi:cli/run@0.2.3 (instance 1): run$' "$T/p2" && grep -q '^packages (1): wasi:cli@0.2.3 (2 interfaces)$' "$T/p2" \
	&& ok "inspect: imports and exports show what they hold, by package and version" || bad "inspect: members" "$(cat "$T/p2")"
grep -q '^  core module #1: 8 bytes; imports (0); exports (0); 0 memories; features: none (MVP only)$' "$T/p2" \
	&& ok "inspect: a nested core module is summarised" || bad "inspect: nested core" "$(cat "$T/p2")"
"$WM" inspect "$D/p3-command.wasm" | grep -q '^wasi: 0.3 (wasi: interfaces at 0.3.0-rc-2025-09-16, 0.2.0)$' \
	&& ok "inspect: one wasi: interface at @0.3 (a pre-release too) makes a 0.3 component" || bad "inspect: p3 version"
"$WM" inspect "$D/p3-service.wasm" >"$T/svc" 2>&1
grep -q '^world: wasi:http/service (it exports wasi:http/handler@0.3.0)$' "$T/svc" && grep -q '^  wasi:http/handler@0.3.0 (instance 1): handle$' "$T/svc" \
	&& ok "inspect: a 0.3 service: its world, its export's members from the ascribed type" || bad "inspect: p3 service" "$(cat "$T/svc")"
"$WM" inspect --format json "$D/p3-service.wasm" >"$T/svc.json"
[ "$(rq "$T/svc.json" 'r["wasi"], r["world"]["name"], r["imports"]["component"][0]["interface"], [m["name"] for m in r["exports"][0]["members"]], r["core_modules"]')" \
	= "0.3 wasi:http/service {'package': 'wasi:http', 'name': 'types', 'version': '0.3.0'} ['handle'] []" ] \
	&& ok "inspect: json: wasi, world, interface parts, members, core_modules" || bad "inspect: json" "$(head -c 600 "$T/svc.json")"
"$WM" inspect "$D/type-index-out-of-range.wasm" >"$T/oor" 2>&1 && grep -q '^  wasi:io/poll@0.2.0 (instance)$' "$T/oor" &&
	grep -q '^world: unknown (it exports neither' "$T/oor" \
	&& ok "inspect: an import naming a type that does not exist has no members, and no world is told" || bad "inspect: type index" "$(cat "$T/oor")"
expect_exit "inspect: 31 nested instance types read (the limit is 32)" 0 "$WM" inspect "$D/types-31-deep.wasm"
# one instance type of 20 members imported 3 times: listed once in the JSON, the others
# name the import that lists them (a list shared by many imports would make it quadratic)
"$WM" inspect --format json "$D/shared-type.wasm" >"$T/sh.json"
[ "$(rq "$T/sh.json" '[(len(x["members"] or []), x.get("members_as")) for x in r["imports"]["component"]]')" = "[(20, None), (0, 'wasi:x/y0@0.2.0'), (0, 'wasi:x/y0@0.2.0')]" ] \
	&& ok "inspect: json: a member list shared by imports is listed once" || bad "inspect: shared members" "$(rq "$T/sh.json" 'r["imports"]')"
# hostile components: exit 2 with what and where
bad_comp() {	# FILE PATTERN
	"$WM" inspect "$D/$1" >"$T/out" 2>"$T/err"; local rc=$?
	if [ $rc = 2 ] && grep -q "$2" "$T/err"; then ok "inspect: $1 refused"; else bad "inspect: $1" "exit $rc: $(cat "$T/err")"; fi
}
bad_comp types-40-deep.wasm 'types nested more than 32 deep at offset 0x'
bad_comp components-9-deep.wasm 'error: in nested component #1: nested component #1: .* components nested more than 8 deep at offset 0x50$'
bad_comp core-in-component-section.wasm 'a component section holds a core module at offset 0xa'
bad_comp component-in-core-section.wasm 'a core module section holds a component at offset 0xa'
bad_comp unknown-section.wasm 'unknown component section id 12'
bad_comp bad-valuebound.wasm 'expected 0x00 or 0x01 before an optional value type, got 0x07'
bad_comp huge-member-count.wasm 'type declaration count 4294967295 exceeds'
# a core module cut short in an import's name: its partial view (check shows it) names the
# import "" instead of passing NULL to the renderers (found by the wasm fuzzer)
"$WM" check --format json --runtime wasmtime,wazero "$WM_ROOT/fuzz/regress/wasm/import-name-cut-short.wasm" >"$T/cut.json" 2>"$T/cut.err"; rc=$?
[ $rc -lt 128 ] && [ "$(rq "$T/cut.json" '[x["name"] for v in r["module"]["imports"]["other"].values() for x in v]')" = "['']" ] \
	&& ok "check: a module cut short in an import name has a partial view, not a crash" || bad "check: cut-short import" "exit $rc: $(head -3 "$T/cut.err")"

# 2. real components: a bundled 0.2 command, and the vendored 0.3 ones, whose world must be
# the one their upstream spec declares (wasi:cli/command when it declares none)
"$WM" inspect "$F/components/wasi-p1/fd.wasm" >"$T/fd" 2>&1
grep -q '^  wasi:cli/run@0.2.12 (instance 15): run$' "$T/fd" && grep -q '^  wasi:cli/environment@0.2.12 (instance): get-arguments$' "$T/fd" &&
	grep -q '^core modules (4):$' "$T/fd" && grep -q '^  core module #1: [0-9]* bytes; imports (25): wasi_snapshot_preview1 (25); exports (2): memory, _start;' "$T/fd" \
	&& ok "inspect: jco's 0.2 command: run from the adapter's shim component, the wrapped core module's preview1 imports" || bad "inspect: fd.wasm" "$(cat "$T/fd")"
if [ -d "$P3" ]; then
	nbad=0; n=0
	for w in "$P3"/*.wasm; do
		n=$((n + 1)); j=${w%.wasm}.json
		want=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('world') or 'wasi:cli/command')" "$j")
		"$WM" inspect --format json "$w" >"$T/p3.json" 2>/dev/null
		got=$(rq "$T/p3.json" 'r["wasi"], r["world"]["name"], r["error"]')
		[ "$got" = "0.3 $want None" ] || { nbad=$((nbad + 1)); echo "    $(basename "$w"): $got, spec: $want"; }
	done
	[ $nbad = 0 ] && ok "inspect: all $n vendored p3 components are 0.3, in the world their spec declares" || bad "inspect: p3 worlds" "$nbad of $n"
else
	skip "inspect: p3 components" "no $P3"
fi

# 3. check and run: a runtime that cannot load components says why, in its own words
if have_rt wazero && have_rt wasmtime; then
	"$WM" check --runtime wasmtime,wazero "$F/components/portability/argsenv.wasm" >"$T/ck" 2>&1
	grep -q "^module   .*: component, [0-9]* bytes; WASI 0.2, world wasi:cli/command, 4 core modules; " "$T/ck" &&
		grep -q "cannot run it: wazero: wazero says: error compiling wasm binary: invalid version header (exit 1, tried on check/argsenv.wasm); wazero does not run wasm32-wasip2" "$T/ck" \
		&& ok "check: a component on wazero: the module's version and world, wazero cannot run it (its own message)" || bad "check: component on wazero" "$(head -6 "$T/ck")"
	"$WM" check --format json --runtime wasmtime,wazero "$F/components/portability/argsenv.wasm" >"$T/ck.json" 2>/dev/null
	[ "$(rq "$T/ck.json" '[(x["name"], x["state"], x["unsupported"]) for x in r["runtimes"]], r["module"]["wasi"]')" = "[('wasmtime', 'exited', False), ('wazero', 'skipped', True)] 0.2" ] \
		&& ok "check: json: the runtime is unsupported" || bad "check: json unsupported" "$(rq "$T/ck.json" 'r["runtimes"]')"
else
	skip "check: component on wazero" "needs wasmtime and wazero"
fi
rts=""; for rt in wasmtime wazero wasmi; do have_rt $rt && rts="$rts,$rt"; done; rts=${rts#,}
if have_rt wasmtime && [ "$rts" != wasmtime ]; then
	# a suite of two versions: a core module and the same as a component
	mkdir -p "$T/mix"
	cp "$F/selftest/echo.wasm" "$T/mix/core.wasm"; cp "$F/components/portability/argsenv.wasm" "$T/mix/comp.wasm"
	cat >"$T/mix/suite.yaml" <<'Y'
name: mix
tests:
  - {name: core, module: core.wasm, args: [hi], expect: {stdout: {contains: "arg[1]=hi"}}}
  - {name: comp, module: comp.wasm, args: [args, a], expect: {stdout: {contains: "a"}}}
Y
	"$WM" run "$T/mix" --runtime "$rts" --out "$T/m" --format md,junit,html --color never >"$T/m.log" 2>&1
	[ "$(rq "$T/m/results.json" '[(x["name"], x["wasi"]) for x in r["tests"]]')" = "[('core', 'wasm32-wasip1'), ('comp', 'wasm32-wasip2')]" ] \
		&& ok "results: each test has its WASI version" || bad "results: wasi" "$(rq "$T/m/results.json" 'r["tests"]' | head -c 400)"
	for rt in wazero wasmi; do
		case ",$rts," in *",$rt,"*) ;; *) continue;; esac
		r=$(rq "$T/m/results.json" "[x['outcome'] + ': ' + x['reason'] for x in r['results'] if x['runtime'] == '$rt' and x['test'] == 'mix/comp'][0]")
		case $r in "unsupported: $rt says: "*"version"*"(exit 1, tried on mix/comp); $rt does not run wasm32-wasip2 (a component); it runs wasm32-wasip1 only (adapter: versions)")
			ok "run: a component on $rt is unsupported with $rt's own message" ;;
		*) bad "run: component on $rt" "$r" ;; esac
	done
	sed -n '/^### By WASI version/,/^###/p' "$T/m/summary.md" >"$T/m.md"
	grep -q '^| runtime | p1 (core module) | p2 (component) |$' "$T/m.md" && grep -q '^| wasmtime | 1/1 | 1/1 |$' "$T/m.md" &&
		grep -Eq '^\| (wazero|wasmi) \| 1/1 \| ⊘ unsupported \|$' "$T/m.md" \
		&& ok "summary.md: runtimes x WASI versions, unsupported where a runtime runs none" || bad "summary.md by version" "$(cat "$T/m.md")"
	grep -q '<testsuite name="wasmtime.mix.wasip2" ' "$T/m/junit.xml" && grep -q '<testsuite name="wasmtime.mix.wasip1" ' "$T/m/junit.xml" &&
		grep -q '<property name="wasi" value="wasm32-wasip2"/>' "$T/m/junit.xml" \
		&& ok "junit: a suite of two versions is one testsuite per version, each with its wasi property" || bad "junit by version" "$(grep testsuite "$T/m/junit.xml")"
	xmllint --noout --schema "$VENDOR/schemas/junit-10.xsd" "$T/m/junit.xml" 2>"$T/x" && ok "junit: by version, still valid against junit-10.xsd" || bad "junit xsd" "$(tail -3 "$T/x")"
	# a file written before tests had "wasi" (the core test alone, its wasi removed): preview1,
	# no version table, the testsuite keeps its name
	python3 - "$T/m/results.json" "$T/old.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["tests"] = [t for t in r["tests"] if t["name"] == "core"]
for t in r["tests"]:
    del t["wasi"]
r["results"] = [x for x in r["results"] if x["test"] == "mix/core"]
r.pop("agreement", None)
json.dump(r, open(sys.argv[2], "w"))
PY
	"$WM" report "$T/old.json" --format md -o "$T/old.md" >/dev/null 2>&1
	"$WM" report "$T/old.json" --format junit -o "$T/old.xml" >/dev/null 2>&1
	grep -q '^| wasmtime |' "$T/old.md" && ! grep -q 'By WASI version' "$T/old.md" && grep -q '<testsuite name="wasmtime.mix" ' "$T/old.xml" &&
		grep -q '<property name="wasi" value="wasm32-wasip1"/>' "$T/old.xml" \
		&& ok "reports: a file without tests' wasi reads as preview1: no version table, testsuite names unchanged" || bad "reports: old file" "$(cat "$T/old.md" | head -5)"
	if [ -x /usr/bin/chromium ] && bash "$WM_ROOT/tests/js/setup.sh" 2>/dev/null; then
		node "$WM_ROOT/tests/js/check-wasi-rows.mjs" "$T/m/report.html" >"$T/rows" 2>&1
		grep -q '^WASI p1 (core module)1 tests|1/1|' "$T/rows" && grep -q '^WASI p2 (component)1 tests|1/1|' "$T/rows" &&
			grep -Eq '^WASI p2 \(component\)1 tests\|.*⊘ unsupported' "$T/rows" \
			&& ok "html: the matrix has a row per WASI version, unsupported where a runtime runs none" || bad "html wasi rows" "$(cat "$T/rows")"
	else
		skip "html: wasi rows" "no chromium or playwright-core"
	fi
else
	skip "reports by version" "needs wasmtime and one of wazero, wasmi"
fi
