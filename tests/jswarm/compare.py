#!/usr/bin/env python3
"""compare.py COLD.json WARM.json: every (test, runtime) of the cold run (fresh processes) has
the same outcome, reason, exit code, stdout and stderr in the warm run (warm launchers); the warm
run's results say which ran warm. Prints the differences and exits 1 on any."""
import json, sys

def load(p):
    with open(p) as f:
        d = json.load(f)
    return {(r['test'], r['runtime']): r for r in d['results']}

cold, warm = load(sys.argv[1]), load(sys.argv[2])
# Known warm-only divergences (docs/adapters.md "Warm launchers"), reported but not failed:
# node:wasi's poll_oneoff clock timeout returned after 49 ms of 50 in a warm launcher once
# (libuv's cached loop time is older in a long-lived process); not yet understood.
KNOWN = {'portability/poll.short-timeout'}
bad = 0
if set(cold) != set(warm):
    print('different result sets:', sorted(set(cold) ^ set(warm)))
    bad += 1
nwarm = 0
for k in sorted(cold):
    if k not in warm:
        continue
    c, w = cold[k], warm[k]
    if c.get('launch') != 'fresh':
        print(k, 'cold run not fresh:', c.get('launch'))
        bad += 1
    nwarm += w.get('launch') == 'warm'
    for f in ('outcome', 'reason', 'exit_code', 'signal', 'trapped', 'stdout', 'stderr', 'files_digest', 'rule'):
        if c.get(f) != w.get(f):
            print(f'{k[0]} on {k[1]}: {f} differs: cold {c.get(f)!r} warm {w.get(f)!r}'
                  + (' (known, see docs/adapters.md "Warm launchers")' if k[0] in KNOWN else ''))
            bad += k[0] not in KNOWN
print(f'{len(cold)} results compared, {nwarm} ran warm, {bad} differences')
sys.exit(1 if bad else 0)
