#!/bin/sh
# Starts a single-node Slurm cluster (munged, slurmctld, slurmd) whose every file lives under
# the folder $1, on the free ports $2 (slurmctld) and $3 (slurmd), with this machine's real CPUs
# and memory. Prints nothing on success; the daemons' pids are in $1/run/*.pid (the caller stops
# them by pid) and every Slurm command needs SLURM_CONF=$1/etc/slurm.conf.
# Usage: slurm-cluster.sh ROOT CTLD_PORT SLURMD_PORT [start|daemons]
#   start:   writes the configuration and starts the three daemons (the default);
#   daemons: starts slurmctld and slurmd again over an existing configuration and state.
# The configuration is the one measured to work on a 2-core cgroup v1 machine (FACTS.md).
set -eu
R=$1 CTLD_PORT=$2 SLURMD_PORT=$3 WHAT=${4:-start}
mkdir -p "$R/etc" "$R/run" "$R/log" "$R/state" "$R/spool" "$R/munge"
export SLURM_CONF="$R/etc/slurm.conf"
host=$(hostname -s)

if [ "$WHAT" = start ]; then
    dd if=/dev/urandom of="$R/munge/munge.key" bs=1024 count=1 2>/dev/null
    chmod 0400 "$R/munge/munge.key"
    node=$(slurmd -C | head -n 1)
    # A little less memory than the machine has, so the node is never refused for its size.
    memory=$(echo "$node" | sed -E 's/.*RealMemory=([0-9]+).*/\1/')
    node=$(echo "$node" | sed -E "s/RealMemory=[0-9]+/RealMemory=$((memory * 9 / 10))/")
    cat > "$R/etc/slurm.conf" <<CONF
ClusterName=gnomontest
SlurmctldHost=$host
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$R/run/munge.socket
StateSaveLocation=$R/state
SlurmdSpoolDir=$R/spool/%n
SlurmctldPidFile=$R/run/slurmctld.pid
SlurmdPidFile=$R/run/slurmd.pid
SlurmctldLogFile=$R/log/slurmctld.log
SlurmdLogFile=$R/log/slurmd.log
ProctrackType=proctrack/cgroup
TaskPlugin=task/cgroup
JobAcctGatherType=jobacct_gather/cgroup
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
SlurmdTimeout=20
KillWait=5
MinJobAge=300
MpiDefault=none
SwitchType=switch/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$R/log/jobcomp.txt
$node State=UNKNOWN
PartitionName=batch Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    cat > "$R/etc/cgroup.conf" <<CONF
CgroupPlugin=cgroup/v1
ConstrainCores=yes
ConstrainRAMSpace=yes
ConstrainSwapSpace=yes
CONF
    setsid munged --key-file="$R/munge/munge.key" --socket="$R/run/munge.socket" \
        --pid-file="$R/run/munged.pid" --log-file="$R/log/munged.log" --seed-file="$R/munge/seed" \
        --force
fi
# Each daemon starts in a session of its own (setsid) before it forks: the caller kills this
# script's process group once the script ends, and a daemon still between its fork and its own
# setsid would die with it (a node that never registers, now and then on a loaded machine).
setsid slurmctld -f "$SLURM_CONF"
setsid slurmd -f "$SLURM_CONF"
