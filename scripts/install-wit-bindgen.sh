#!/usr/bin/env bash
# Installs wit-bindgen (crates.io wit-bindgen-cli, pinned, C generator only) into
# $WASMATRIX_CACHE_DIR/cargo and links it as .runtimes/bin/wit-bindgen. Only the native
# WASI 0.2 fixtures need it (fixtures/p2native: `make -C fixtures p2native-bindings` and
# `check-p2native` regenerate their C bindings with it); the generated bindings and the built
# components are committed, so running the suites never needs it.
# Measured on this 2-core machine (2026-12-01): a cold build, crates downloaded, about 5 min
# while other builds shared the cores.
# Same conventions as scripts/install-runtimes.sh: pinned, idempotent (a binary already
# reporting the pin is only relinked), heavy artefacts in $WASMATRIX_CACHE_DIR (default
# .runtimes/cache): the cargo install root and CARGO_TARGET_DIR. Prints one line:
#   wit-bindgen: wit-bindgen-cli 0.63.0 .runtimes/bin/wit-bindgen
# Exit 3 when the install fails (the log is .runtimes/logs/wit-bindgen.log).
set -euo pipefail

WIT_BINDGEN_VERSION=0.63.0      # crates.io wit-bindgen-cli (needs rustc >= 1.88)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${WASMATRIX_RUNTIMES_DIR:-$ROOT/.runtimes/bin}
PREFIX=$(dirname "$BIN")
CACHE=${WASMATRIX_CACHE_DIR:-$PREFIX/cache}
LOGS=$PREFIX/logs
EXE=$CACHE/cargo/bin/wit-bindgen

say() { printf 'wit-bindgen: %s\n' "$*"; }
current() { [ -x "$1" ] && "$1" --version 2>/dev/null | head -n 1 | grep -qF " $WIT_BINDGEN_VERSION"; }

if ! current "$EXE"; then
	command -v cargo >/dev/null 2>&1 || { say "error: needs 'cargo' on PATH (Rust toolchain, rustup)" >&2; exit 3; }
	mkdir -p "$CACHE/cargo" "$LOGS"
	log=$LOGS/wit-bindgen.log t0=$SECONDS
	say "building wit-bindgen-cli $WIT_BINDGEN_VERSION from crates.io (C generator only)..."
	if ! CARGO_TARGET_DIR=$CACHE/cargo-target cargo install --locked --root "$CACHE/cargo" \
		--no-default-features --features c "wit-bindgen-cli@$WIT_BINDGEN_VERSION" >"$log" 2>&1; then
		say "error: install from crates.io failed; see $log" >&2
		tail -n 15 "$log" | sed 's/^/  | /' >&2
		exit 3
	fi
	say "built in $((SECONDS - t0)) s"
fi
mkdir -p "$BIN"
ln -sfn "$EXE" "$BIN/wit-bindgen"
current "$BIN/wit-bindgen" || { say "error: $BIN/wit-bindgen does not report version $WIT_BINDGEN_VERSION" >&2; exit 3; }
say "wit-bindgen-cli $WIT_BINDGEN_VERSION ${BIN#"$ROOT"/}/wit-bindgen"
