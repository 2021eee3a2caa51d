# --shard auto on a real distributed engine: a single-node Slurm cluster (munge + slurmctld +
# slurmd on localhost, from a slurm.conf generated here, stopped at the end) runs a job array
# of `wasmatrix run --shard auto`, and `wasmatrix merge` of the shards equals the unsharded
# run. The array is --array=3-7:2 (tasks 3, 5, 7): a non-zero minimum and a step, as Slurm
# itself sets SLURM_ARRAY_TASK_*. First, the engines' variable combinations through the CLI.
. "$(dirname "$0")/lib.sh"
cd "$WM_ROOT"
S=suites/calibration
# shard_of "VAR=x ..." -> "K of N", or "exit RC: message"
shard_of() {
	# shellcheck disable=SC2086
	env -i PATH="$PATH" $1 "$WM" run "$S" --runtime node --shard auto --list >/dev/null 2>"$T/sh.err"
	local rc=$?
	if [ $rc = 0 ]; then sed -n 's/^wasmatrix: shard \([0-9]*\) of \([0-9]*\) .*/\1 of \2/p' "$T/sh.err"
	else echo "exit $rc: $(head -1 "$T/sh.err")"; fi
}
# case NAME "ENV" WANT: WANT is "K of N" or "exit 2" (a prefix of shard_of's answer)
case_() {
	local got; got=$(shard_of "$2")
	[[ "$got" == "$3"* ]] && ok "shard auto: $1 -> $3" || bad "shard auto: $1" "got '$got', wanted '$3'"
}
sl() { echo "SLURM_ARRAY_JOB_ID=9 SLURM_ARRAY_TASK_ID=$1 SLURM_ARRAY_TASK_MIN=$2 SLURM_ARRAY_TASK_MAX=$3 SLURM_ARRAY_TASK_STEP=$4 SLURM_ARRAY_TASK_COUNT=$5"; }
case_ "GitLab job without parallel: (CI_NODE_TOTAL=1, no CI_NODE_INDEX)" "CI_NODE_TOTAL=1" "1 of 1"
case_ "GitLab parallel: 3" "CI_NODE_INDEX=3 CI_NODE_TOTAL=3" "3 of 3"
case_ "GitLab CI_NODE_TOTAL=4 without CI_NODE_INDEX" "CI_NODE_TOTAL=4" "exit 2"
case_ "Slurm inside a GitLab job without parallel:" "CI_NODE_TOTAL=1 $(sl 5 3 7 2 3)" "2 of 3"
case_ "Slurm --array=0-10:2, task 10" "$(sl 10 0 10 2 6)" "6 of 6"
case_ "Slurm --array=0-10:2, task 4" "$(sl 4 0 10 2 6)" "3 of 6"
case_ "Slurm --array=3-5, task 3" "$(sl 3 3 5 1 3)" "1 of 3"
case_ "Slurm --array=3-5, task 5" "$(sl 5 3 5 1 3)" "3 of 3"
case_ "Slurm --array=0-3%1 (a limit), task 2" "$(sl 2 0 3 1 4)" "3 of 4"
case_ "Slurm --array=1,3,7 (a list: STEP=1, COUNT=3)" "$(sl 3 1 7 1 3)" "exit 2"
case_ "Slurm task off the step" "$(sl 3 0 10 2 6)" "exit 2"
case_ "Slurm without SLURM_ARRAY_TASK_STEP (older Slurm)" "SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_MIN=3 SLURM_ARRAY_TASK_MAX=5 SLURM_ARRAY_TASK_COUNT=3" "2 of 3"
case_ "Slurm without SLURM_ARRAY_TASK_MAX: one range" "SLURM_ARRAY_TASK_ID=6 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_COUNT=3" "2 of 3"
case_ "Slurm without SLURM_ARRAY_TASK_MAX, task past the range" "SLURM_ARRAY_TASK_ID=8 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_COUNT=3" "exit 2"
case_ "Slurm step 0" "$(sl 3 3 5 0 3)" "exit 2"
case_ "Kubernetes index 0 of --shard-count" "JOB_COMPLETION_INDEX=0 WASMATRIX_SHARD_COUNT=2" "1 of 2"
case_ "no engine" "" "exit 2"

# ---- the cluster
miss=""
for c in munged slurmctld slurmd sbatch squeue; do command -v $c >/dev/null 2>&1 || miss="$miss $c"; done
if [ -n "$miss" ]; then skip slurm-cluster "not installed:$miss (WASMATRIX_EXTRA_PKGS='slurmctld slurmd slurm-client munge' make deps)"; exit 0; fi
if [ "$(id -u)" != 0 ]; then skip slurm-cluster "slurmd must run as root to launch jobs"; exit 0; fi
if ! have_node; then skip slurm-cluster "node is not installed (the array runs $S on node)"; exit 0; fi
pids=""
stop() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done; kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap stop EXIT
C=$T/slurm; mkdir -p "$C/state" "$C/spool" "$C/out"
head -c 1024 /dev/urandom >"$C/munge.key" && chmod 400 "$C/munge.key"
# munged daemonizes: its pid comes from its pid file
munged --force --key-file="$C/munge.key" --socket="$C/munge.sock" --pid-file="$C/munged.pid" \
	--log-file="$C/munged.log" --seed-file="$C/munge.seed" 2>"$C/munged.err" && pids=$(cat "$C/munged.pid")
[ -n "$pids" ] || { bad "slurm: munged starts" "$(cat "$C/munged.err" "$C/munged.log" 2>/dev/null | tail -3)"; exit 0; }
node=$(hostname -s)
port=$((20000 + $$ % 20000))
cat >"$C/slurm.conf" <<EOF
ClusterName=wmtest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$C/munge.sock
CredType=cred/munge
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=wm Nodes=$node Default=YES MaxTime=10 State=UP
EOF
export SLURM_CONF=$C/slurm.conf
slurmctld -D -c -f "$C/slurm.conf" >"$C/slurmctld.out" 2>&1 & pids="$pids $!"
slurmd -D -f "$C/slurm.conf" >"$C/slurmd.out" 2>&1 & pids="$pids $!"
t0=$(date +%s)
up=""
for _ in $(seq 1 50); do
	sinfo -h -o '%T' 2>/dev/null | grep -qx idle && { up=1; break; }
	sleep 0.2
done
if [ -z "$up" ]; then
	bad "slurm: the cluster starts" "$(tail -3 "$C/slurmctld.log" "$C/slurmd.log" 2>&1)"; exit 0
fi
ok "slurm: a single-node cluster is up in $(( $(date +%s) - t0 ))s"
# the job: one shard per task, results in out/<task id>
cat >"$C/job.sh" <<EOF
#!/bin/sh
exec "$WM" run "$WM_ROOT/$S" --runtime node --shard auto --out "$C/out/\$SLURM_ARRAY_TASK_ID"
EOF
chmod +x "$C/job.sh"
job=$(sbatch --parsable --array=3-7:2 --time=5 -o "$C/out/log-%a" -e "$C/out/log-%a" "$C/job.sh" 2>"$C/sbatch.err")
[ -n "$job" ] || { bad "slurm: sbatch takes the array" "$(cat "$C/sbatch.err")"; exit 0; }
# meanwhile the unsharded run
"$WM" run "$S" --runtime node --out "$C/whole" >"$C/whole.log" 2>&1
for _ in $(seq 1 300); do
	[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
	sleep 0.3
done
if [ -n "$(squeue -h -j "$job" 2>/dev/null)" ]; then
	bad "slurm: the array finishes in 90 s" "$(squeue 2>&1 | tail -3)"; scancel "$job" 2>/dev/null; exit 0
fi
shards=""
for k in 3 5 7; do
	[ -f "$C/out/$k/results.json" ] && shards="$shards $C/out/$k/results.json"
	grep -q "^wasmatrix: shard $(( (k - 3) / 2 + 1 )) of 3 (from Slurm" "$C/out/log-$k" ||
		bad "slurm: task $k is shard $(( (k - 3) / 2 + 1 )) of 3" "$(head -3 "$C/out/log-$k")"
done
[ "$(echo $shards | wc -w)" = 3 ] && ok "slurm: the 3 tasks of --array=3-7:2 each wrote a shard in $(( $(date +%s) - t0 ))s" ||
	{ bad "slurm: 3 shards written" "$(cat "$C"/out/log-* | tail -5)"; exit 0; }
# shellcheck disable=SC2086
"$WM" merge $shards -o "$C/merged.json" >"$C/merge.log" 2>&1 || bad "slurm: merge" "$(cat "$C/merge.log")"
python3 - "$C/whole/results.json" "$C/merged.json" $shards >"$T/py" 2>&1 <<'PY'
import json, sys
whole, merged = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda r: {(x["test"], x["runtime"]): x["outcome"] for x in r["results"]}
ids = lambda r: sorted(t["id"] for t in r["tests"])
shard_ids = [ids(json.load(open(p))) for p in sys.argv[3:]]
assert all(s for s in shard_ids), "a shard holds no test: %s" % [len(s) for s in shard_ids]
assert sorted(sum(shard_ids, [])) == ids(whole), "the shards' tests are not a partition of the run"
assert ids(merged) == ids(whole), "test ids differ"
d = set(key(merged).items()) ^ set(key(whole).items())
assert not d, "outcomes differ: %s" % sorted(d)[:5]
print("%d tests in shards of %s" % (len(ids(whole)), "/".join(str(len(s)) for s in shard_ids)))
PY
[ $? = 0 ] && ok "slurm: merge of the array's shards equals the unsharded run ($(cat "$T/py"))" ||
	bad "slurm: merged = unsharded" "$(cat "$T/py")"
