#!/bin/sh
# Install the Debian packages wasmatrix needs to build, test and build its fixtures.
# Idempotent: only missing packages are installed. Uses sudo when not root.
set -eu
PKGS="build-essential pkg-config libyaml-dev libpcre2-dev libcurl4-openssl-dev libjansson-dev libssl-dev libarchive-dev libyajl-dev \
clang lld wasi-libc libclang-rt-14-dev-wasm32 libclang-rt-14-dev wabt libxml2-utils python3 python3-yaml nodejs chromium \
slurmctld slurmd slurm-client munge \
qemu-user-static libc6-arm64-cross libgcc-s1-arm64-cross"
# qemu-user-static + the arm64 cross C libraries (about 60 MB): the aarch64 runtimes run
# through user-mode emulation (docs/architectures.md).
# slurm*/munge (3.5 MB): tests/t_slurm.sh starts its own single-node cluster (nothing of the
# system's is configured or used); the services the packages may start are not needed.
[ "${WASMATRIX_EXTRA_PKGS:-}" ] && PKGS="$PKGS $WASMATRIX_EXTRA_PKGS"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
# node may come from elsewhere (nvm, nodesource): accept any node on PATH
case " $missing " in *" nodejs "*) command -v node >/dev/null 2>&1 && missing=$(echo "$missing" | sed 's/ nodejs//');; esac
if [ -z "$missing" ]; then
	echo "deps: all system packages present"
	exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/tmp/wasmatrix-apt.log 2>&1; then
	$SUDO apt-get update -q >>/tmp/wasmatrix-apt.log 2>&1 || { echo "deps: error: apt-get update failed (is the Debian mirror reachable?); see /tmp/wasmatrix-apt.log" >&2; exit 3; }
	$SUDO apt-get install -y -q --no-install-recommends $missing >>/tmp/wasmatrix-apt.log 2>&1 || { echo "deps: error: apt-get install failed; see /tmp/wasmatrix-apt.log" >&2; tail -20 /tmp/wasmatrix-apt.log >&2; exit 3; }
fi
echo "deps: done"
