#!/usr/bin/env bash
# `pinnkit sweep --slurm --submit` against a real Slurm: starts a one-node
# cluster on this machine (munged, slurmctld, slurmd, all state in a temp
# folder, ports picked free), submits a 4-run array, waits for it and checks
# that every run completed. Stops the daemons on exit, whatever happens.
# Exit 77 (ctest: skipped) when Slurm is not installed or we are not root
# (slurmd must start job steps as their user).
#   usage: tests/hpc/slurm_sweep.sh PINNKIT_BINARY REPO_ROOT
set -euo pipefail
pinnkit=$(realpath "$1")
repo=$(realpath "$2")
for tool in munged slurmctld slurmd sbatch squeue; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
  command -v "$tool" >/dev/null || { echo "skipped: $tool not installed (Debian: slurm-wlm munge)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "skipped: a one-node Slurm needs root here"; exit 77; }

tmp=$(mktemp -d /tmp/pinnkit-slurm.XXXXXX)
pids=()
cleanup() {
  local rc=$?
  for f in "$tmp"/ctld.pid "$tmp"/d.pid "$tmp"/munge/pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 1
  if [ $rc -ne 0 ]; then
    echo "--- slurmctld log"; tail -20 "$tmp/ctld.log" 2>/dev/null || true
    echo "--- slurmd log"; tail -20 "$tmp/d.log" 2>/dev/null || true
    echo "--- job logs"; tail -5 "$tmp"/sweep/logs/* 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit $rc
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
head -c 1024 /dev/urandom >"$tmp/munge/key"
chmod 600 "$tmp/munge/key"
munged --force --key-file="$tmp/munge/key" --socket="$tmp/munge/sock" --pid-file="$tmp/munge/pid" \
  --log-file="$tmp/munge/log" --seed-file="$tmp/munge/seed"
host=$(hostname -s)
cat >"$tmp/slurm.conf" <<CONF
ClusterName=pinnkittest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/ctld.pid
SlurmdPidFile=$tmp/d.pid
SlurmctldLogFile=$tmp/ctld.log
SlurmdLogFile=$tmp/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && break
  sleep 0.5
done
sinfo -h -o %t | grep -q idle || { echo "FAIL: the one-node cluster did not come up"; exit 1; }

cat >"$tmp/sweep.yaml" <<SWEEP
base: $repo/experiments/quickstart.yaml
output: $tmp/sweep
set: ["training[0].steps=20", "training[1].steps=5", "model.hidden=[8, 8]", "evaluation.grid=[21, 21]"]
seeds: [1, 2, 3, 4]
slurm: {cpus_per_task: 1, time: "00:05:00"}
SWEEP
cd "$tmp"
"$pinnkit" sweep sweep.yaml --slurm --submit --partition debug
grep -q -- '--array=0-3' sweep/sweep.sbatch || { echo "FAIL: array range"; exit 1; }
for _ in $(seq 240); do
  [ -z "$(squeue -h 2>/dev/null)" ] && break
  sleep 0.5
done
[ -z "$(squeue -h)" ] || { echo "FAIL: the array did not finish in 120 s"; squeue; exit 1; }
table=$("$pinnkit" collect sweep/runs --csv)
echo "$table"
completed=$(echo "$table" | grep -c ',completed,' || true)
[ "$completed" -eq 4 ] || { echo "FAIL: expected 4 completed runs, got $completed"; exit 1; }
# Submitting again resumes: every task finds its run completed and exits at once.
again=$("$pinnkit" sweep sweep.yaml --slurm --submit)
job=$(echo "$again" | sed -n 's/^submitted job array \([0-9]*\).*/\1/p')
[ -n "$job" ] || { echo "FAIL: no job id in: $again"; exit 1; }
for _ in $(seq 120); do [ -z "$(squeue -h)" ] && break; sleep 0.5; done
grep -q "is completed" "sweep/logs/slurm_${job}_0.out" || { echo "FAIL: a resubmitted task ran its completed run again"; exit 1; }
echo "PASS: 4 array tasks ran on a one-node Slurm and a resubmission kept them"
