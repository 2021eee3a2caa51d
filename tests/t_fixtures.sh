# The committed test modules are exactly what their sources build to.
. "$(dirname "$0")/lib.sh"
if ! command -v clang >/dev/null || ! command -v wat2wasm >/dev/null; then
	skip fixtures-reproducible "clang or wat2wasm missing (make deps installs them)"; exit 0
fi
check "fixtures: committed .wasm match a fresh build" make -s -C "$WM_ROOT/fixtures" check
