#!/usr/bin/env bash
# Installs the JS checkers' packages (tests/js/package-lock.json) with npm ci, once:
# skipped when node_modules already matches the lock file. Exit 0 when ready.
set -u
cd "$(dirname "$0")"
command -v npm >/dev/null 2>&1 || { echo "npm is not installed" >&2; exit 1; }
if [ -f node_modules/.package-lock.json ] && cmp -s <(python3 -c 'import json,sys; d=json.load(open("package-lock.json")); print(sorted((k,v.get("version")) for k,v in d["packages"].items() if k))') \
	<(python3 -c 'import json,sys; d=json.load(open("node_modules/.package-lock.json")); print(sorted((k,v.get("version")) for k,v in d["packages"].items() if k))'); then
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >/tmp/wasmatrix-npm.log 2>&1 || { tail -20 /tmp/wasmatrix-npm.log >&2; exit 1; }
