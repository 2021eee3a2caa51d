#!/usr/bin/env bash
# suites/apps: real registry applications (docs/apps.md). The modules come from
# scripts/fetch-apps.sh (make apps) into wasmatrix's content-addressed cache, where the suite
# names them by sha256 (module: {sha256, missing}). Checks:
#   - the module form: loads, refuses malformed uses (file:line:col, exit 2), and a module not
#     in the cache, or a cached copy that does not match, is a visible skip, never a failure;
#   - the fetch script refuses a cached package whose sha256 is not the pinned one;
#   - with the apps downloaded: the whole suite on wasmtime, wazero and wasmi, every outcome
#     as recorded in baselines/ (wazero and wasmi refuse yosys: exception handling).
# Uses the user's caches (the downloads and the compile caches), so a second run is warm.
. "$(dirname "$0")/lib.sh"
export WASMATRIX_RUNTIMES_DIR=${WASMATRIX_RUNTIMES_DIR:-$WM_ROOT/.runtimes/bin}
S=$WM_ROOT/suites/apps/suite.yaml
GOJQ=0c30af0fbb15465e09056d1c77239e8760f762b28ae8b347df63f2859edeaba1
FLITE_VER=0.1.1
case ${XDG_CACHE_HOME:-} in /*) MODC=$XDG_CACHE_HOME/wasmatrix/sha256 ;; *) MODC=$HOME/.cache/wasmatrix/sha256 ;; esac
PKGS=${WASMATRIX_APPS_CACHE:-${WASMATRIX_CACHE_DIR:-$(dirname "$WASMATRIX_RUNTIMES_DIR")/cache}/apps}

# ---- the module form ------------------------------------------------------------------
check "suites/apps loads" "$WM" run --list "$S"
mkdir -p "$T/s"
printf 'x\n' >"$T/s/.wasmatrix-suite-root"
bad_suite() {	# NAME LINE:COL MESSAGE MODULE-YAML
	printf 'tests:\n  - name: t\n    module: %s\n' "$4" >"$T/s/suite.yaml"
	"$WM" run --list "$T/s/suite.yaml" >/dev/null 2>"$T/err"; local rc=$?
	[ $rc = 2 ] && grep -q "^$T/s/suite.yaml:$2[0-9]*: error: .*$3" "$T/err" && ok "$1" || bad "$1" "rc=$rc $(head -3 "$T/err")"
}
bad_suite "{sha256} without missing is refused" "3:" "missing" "{sha256: $GOJQ}"
bad_suite "an empty missing is refused" "3:" "missing needs a reason" "{sha256: $GOJQ, missing: \"\"}"
bad_suite "a malformed sha256 is refused" "3:" "sha256 must be 64" "{sha256: ABC, missing: get it}"
bad_suite "missing beside a url is refused" "3:" "'missing' is for a module taken from the cache only" \
	"{url: \"https://example.org/x.wasm\", sha256: $GOJQ, missing: get it}"
bad_suite "an unknown key in the module map is refused" "3:" "unknown key" "{sha256: $GOJQ, missing: x, path: /etc/passwd}"

# Nothing downloaded (an empty cache): every test is a skip that says how to get its module.
XDG_CACHE_HOME=$T/empty "$WM" run "$S" --runtime node --out "$T/o-empty" >"$T/log" 2>&1; rc=$?
n=$(rq "$T/o-empty/results.json" 'sum(1 for x in r["results"] if x["outcome"] == "skip" and "run make apps (scripts/fetch-apps.sh" in x["reason"] and "is not there" in x["reason"])')
total=$(rq "$T/o-empty/results.json" 'len(r["results"])')
[ $rc = 0 ] && [ "$n" = 13 ] && [ "$total" = 13 ] && ok "apps not downloaded: 13 visible skips naming make apps, exit 0" ||
	bad "apps not downloaded" "rc=$rc skips=$n/$total $(tail -3 "$T/log")"

# A cached copy that does not match its sha256 is removed and the test skips; a good copy runs.
if [ -f "$MODC/$GOJQ" ]; then
	mkdir -p "$T/x/wasmatrix/sha256" && chmod 700 "$T/x" "$T/x/wasmatrix" "$T/x/wasmatrix/sha256"
	{ cat "$MODC/$GOJQ"; printf 'x'; } >"$T/x/wasmatrix/sha256/$GOJQ"
	XDG_CACHE_HOME=$T/x "$WM" run "$S" --runtime node --filter 'gojq-file' --out "$T/o-bad" >"$T/log" 2>&1; rc=$?
	o=$(outcome "$T/o-bad/results.json" apps/gojq-file node)
	[ $rc = 0 ] && [ "$o" = skip ] && [ ! -e "$T/x/wasmatrix/sha256/$GOJQ" ] &&
		rq "$T/o-bad/results.json" 'r["results"][0]["reason"]' | grep -q "did not match its sha256 and was removed" &&
		ok "a corrupt cached module is removed and its test skips" || bad "corrupt cached module" "rc=$rc outcome=$o $(tail -3 "$T/log")"
	cp "$MODC/$GOJQ" "$T/x/wasmatrix/sha256/$GOJQ"
	XDG_CACHE_HOME=$T/x "$WM" run "$S" --runtime node --filter 'gojq-*' --out "$T/o-good" >"$T/log" 2>&1; rc=$?
	n=$(rq "$T/o-good/results.json" 'sum(1 for x in r["results"] if x["outcome"] == "pass")')
	[ $rc = 0 ] && [ "$n" = 3 ] && ok "a verified cached module runs (gojq on node: 3 pass)" || bad "cached gojq on node" "rc=$rc pass=$n $(tail -3 "$T/log")"
else
	skip "cached module checks" "gojq is not downloaded (make apps)"
fi

# ---- the fetch script -------------------------------------------------------------------
expect_exit "fetch-apps.sh: an unknown app is a usage error" 2 "$WM_ROOT/scripts/fetch-apps.sh" nosuchapp
flite_pkg=$(ls "$PKGS/flite-$FLITE_VER"/*.tgz 2>/dev/null | head -n 1)
if [ -n "$flite_pkg" ]; then
	mkdir -p "$T/apps/flite-$FLITE_VER"
	{ cat "$flite_pkg"; printf 'x'; } >"$T/apps/flite-$FLITE_VER/pkg.tgz"
	WASMATRIX_APPS_CACHE=$T/apps XDG_CACHE_HOME=$T/y "$WM_ROOT/scripts/fetch-apps.sh" flite >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 3 ] && grep -q "not the pinned .*refused and removed" "$T/err" && [ ! -e "$T/apps/flite-$FLITE_VER/pkg.tgz" ] &&
		[ -z "$(ls -A "$T/y/wasmatrix/sha256" 2>/dev/null)" ] &&
		ok "fetch-apps.sh: a corrupt cached package is refused (exit 3), removed, nothing installed" ||
		bad "fetch-apps.sh corrupt package" "rc=$rc $(cat "$T/err")"
	cp "$flite_pkg" "$T/apps/flite-$FLITE_VER/pkg.tgz"
	WASMATRIX_APPS_CACHE=$T/apps XDG_CACHE_HOME=$T/y "$WM_ROOT/scripts/fetch-apps.sh" flite >"$T/out" 2>"$T/err"; rc=$?
	f=$(ls "$T/y/wasmatrix/sha256/" 2>/dev/null)
	[ $rc = 0 ] && [ "$f" = f975276f4f2a6de78613f197533aac2167d181b77020866d142d594bcc2a0e80 ] &&
		[ "$(sha256sum "$T/y/wasmatrix/sha256/$f" | cut -d' ' -f1)" = "$f" ] &&
		[ "$(stat -c %a "$T/y/wasmatrix/sha256")" = 700 ] &&
		ok "fetch-apps.sh: the verified package installs its module under its sha256 (private cache)" ||
		bad "fetch-apps.sh good package" "rc=$rc files=$f $(cat "$T/err")"
else
	skip "fetch-apps.sh package checks" "flite's package is not in $PKGS (make apps)"
fi

# ---- the suite on real runtimes ----------------------------------------------------------
have() { [ -x "$WASMATRIX_RUNTIMES_DIR/$1" ]; }
missing=$(XDG_CACHE_HOME=${XDG_CACHE_HOME:-} "$WM" run --list "$S" 2>/dev/null | grep -c '(skip: module not downloaded')
if [ "$missing" != 0 ]; then
	skip "suites/apps on wasmtime and wazero" "$missing of 13 tests have no module: run make apps"
elif ! have wasmtime || ! have wazero; then
	skip "suites/apps on wasmtime and wazero" "wasmtime or wazero is not installed"
else
	rts=wasmtime,wazero
	have wasmi && rts=$rts,wasmi
	t0=$SECONDS
	"$WM" run "$S" --runtime "$rts" --baseline "$WM_ROOT/baselines" --out "$T/o" --color never >"$T/log" 2>&1; rc=$?
	[ $rc = 0 ] && grep -q '^baseline gate: passed' "$T/log" && ok "suites/apps on $rts: every outcome as recorded ($((SECONDS - t0)) s)" ||
		bad "suites/apps gate" "rc=$rc $(grep -A20 '^Unexpected' "$T/log" | grep -v '^      ' | head -20)"
	! grep "matches no result" "$T/log" | grep -q "entry 'apps/" && ok "no baseline entry for suites/apps is stale on $rts" ||
		bad "stale apps entries" "$(grep "entry 'apps/" "$T/log")"
	n=$(rq "$T/o/results.json" 'sum(1 for x in r["results"] if x["runtime"] == "wasmtime" and x["outcome"] == "pass")')
	[ "$n" = 13 ] && ok "wasmtime passes all 13 app tests" || bad "wasmtime apps" "$n of 13 pass"
	o=$(outcome "$T/o/results.json" apps/yosys-eval wazero)
	r=$(rq "$T/o/results.json" '[x.get("reason") or "" for x in r["results"] if x["runtime"] == "wazero" and x["test"] == "apps/yosys-eval"][0]')
	[ "$o" = xfail ] && [[ "$r" == *exception-handling* ]] && ok "wazero refuses yosys for exception handling (baselined: xfail)" ||
		bad "wazero yosys" "outcome=$o reason=$r"
	n=$(rq "$T/o/results.json" 'sum(1 for x in r["results"] if x["runtime"] == "wazero" and x["outcome"] == "pass")')
	[ "$n" = 10 ] && ok "wazero passes the 10 other app tests" || bad "wazero apps" "$n of 10 pass"
	if have wasmi; then
		o=$(outcome "$T/o/results.json" apps/yosys-stdin wasmi)
		r=$(rq "$T/o/results.json" '[x.get("reason") or "" for x in r["results"] if x["runtime"] == "wasmi" and x["test"] == "apps/yosys-stdin"][0]')
		n=$(rq "$T/o/results.json" 'sum(1 for x in r["results"] if x["runtime"] == "wasmi" and x["outcome"] == "pass")')
		[ "$o" = xfail ] && [[ "$r" == *"exception handling"* ]] && [ "$n" = 4 ] &&
			ok "wasmi refuses yosys for exception handling (xfail) and passes the 4 app tests without a preopen" ||
			bad "wasmi apps" "yosys-stdin=$o reason=$r pass=$n"
	fi
fi
